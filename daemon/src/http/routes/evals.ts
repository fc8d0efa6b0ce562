import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ROUTES, type EvalReport } from "@vault-tuner/shared";
import { compareReports } from "../../evals/scoring/compare-reports";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { schemaOf } from "../route-schema";
import { listPromptSets, PromptSetError, writeUserSet } from "../../evals/prompt-sets";
import { recordedSet } from "../../evals/recorded-set";
import { listReports, readReport, reportsDir } from "../../evals/report-store";
import { JobRequestError } from "../../jobs/job-kind";
import type { AppContext } from "../app-context";
import { HttpError } from "../error-replies";

/** Evaluations for the eval panel: start one (a job), list the prompt sets and the stored runs, read and compare runs. */
export function evalRoutes(context: AppContext): FastifyPluginAsyncZod {
  const root = context.dataDir.root;
  const report = (id: string): EvalReport => {
    const file = join(reportsDir(root), id, "report.json");
    if (!existsSync(file)) throw new HttpError(404, "not-found", `no evaluation run ${id}`);
    return readReport(file);
  };
  return async (app) => {
    app.post(ROUTES.runEval.path, { schema: schemaOf(ROUTES.runEval) }, async (request, reply) => {
      try {
        return reply.code(201).send(context.jobs.submit({ kind: "eval", ...request.body }));
      } catch (error) {
        if (error instanceof JobRequestError)
          throw new HttpError(400, "invalid-body", `invalid body: ${error.message}`, [
            { path: error.path, message: error.message },
          ]);
        throw error;
      }
    });

    app.get(ROUTES.listEvalSets.path, { schema: schemaOf(ROUTES.listEvalSets) }, async () => ({
      items: listPromptSets(root).map(({ id, title, cases, source }) => ({ id, title, cases, source })),
    }));

    app.post(ROUTES.makeRecordedSet.path, { schema: schemaOf(ROUTES.makeRecordedSet) }, async (request, reply) => {
      try {
        const { set, skipped } = await recordedSet(context.dataDir.datasets, request.body.dataset, {
          id: request.body.id,
          allSources: request.body.allSources,
        });
        writeUserSet(root, set);
        return reply
          .code(201)
          .send({ id: set.id, title: set.title, cases: set.cases.length, source: set.source.kind, skipped });
      } catch (error) {
        if (error instanceof PromptSetError)
          throw new HttpError(400, "invalid-body", `invalid body: ${error.message}`, [
            { path: "dataset", message: error.message },
          ]);
        throw error;
      }
    });

    app.get(ROUTES.listEvals.path, { schema: schemaOf(ROUTES.listEvals) }, async () => ({
      items: listReports(root).map(({ metadata, summary }) => ({ metadata, summary })),
    }));

    app.get(ROUTES.compareEvals.path, { schema: schemaOf(ROUTES.compareEvals) }, async (request) =>
      compareReports(report(request.query.a), report(request.query.b)),
    );

    app.get(ROUTES.getEval.path, { schema: schemaOf(ROUTES.getEval) }, async (request) => report(request.params.id));

    app.get(ROUTES.evalNote.path, { schema: schemaOf(ROUTES.evalNote) }, async (request, reply) => {
      report(request.params.id);
      return reply
        .type("text/markdown; charset=utf-8")
        .send(readFileSync(join(reportsDir(root), request.params.id, "report.md"), "utf8"));
    });
  };
}
