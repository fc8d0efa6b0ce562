import { existsSync, readFileSync } from "node:fs";
import { ROUTES } from "@vault-tuner/shared";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { metricsFromLog } from "../../train/metrics-log";
import { JobRequestError } from "../../jobs/job-kind";
import { JobStateError } from "../../jobs/job-runner";
import type { AppContext } from "../app-context";
import { HttpError } from "../error-replies";
import { schemaOf } from "../route-schema";

/** Jobs: queue training and export, follow them, cancel, resume, read their logs. */
export function jobRoutes(context: AppContext): FastifyPluginAsyncZod {
  const runner = context.jobs;
  const answer = <T>(action: () => T): T => {
    try {
      return action();
    } catch (error) {
      if (error instanceof JobRequestError) {
        if (error.path === "id") throw new HttpError(404, "not-found", error.message);
        throw new HttpError(400, "invalid-body", `invalid body: ${error.message}`, [
          { path: error.path, message: error.message },
        ]);
      }
      if (error instanceof JobStateError) throw new HttpError(409, "job-state", error.message);
      throw error;
    }
  };
  return async (app) => {
    app.post(ROUTES.submitJob.path, { schema: schemaOf(ROUTES.submitJob) }, async (request, reply) =>
      reply.code(201).send(answer(() => runner.submit(request.body))),
    );

    app.get(ROUTES.listJobs.path, { schema: schemaOf(ROUTES.listJobs) }, async (request) => ({
      items: context.store.jobs.list(request.query),
    }));

    app.get(ROUTES.getJob.path, { schema: schemaOf(ROUTES.getJob) }, async (request) => {
      const job = context.store.jobs.get(request.params.id);
      if (!job) throw new HttpError(404, "not-found", `no job ${request.params.id}`);
      return { ...job, logTail: logLines(runner.logFile(job.id), 20) };
    });

    app.get(ROUTES.jobLog.path, { schema: schemaOf(ROUTES.jobLog) }, async (request, reply) => {
      const job = context.store.jobs.get(request.params.id);
      if (!job) throw new HttpError(404, "not-found", `no job ${request.params.id}`);
      const lines = logLines(runner.logFile(job.id), request.query.tail);
      return reply.type("text/plain; charset=utf-8").send(lines.length > 0 ? `${lines.join("\n")}\n` : "");
    });

    /** The training curves: every step's loss, rewards, KL... as the trainer reported them. */
    app.get(ROUTES.jobMetrics.path, { schema: schemaOf(ROUTES.jobMetrics) }, async (request) => {
      const job = context.store.jobs.get(request.params.id);
      if (!job) throw new HttpError(404, "not-found", `no job ${request.params.id}`);
      return {
        jobId: job.id,
        kind: job.kind,
        state: job.state,
        items: metricsFromLog(logLines(runner.logFile(job.id), undefined)),
      };
    });

    app.post(ROUTES.cancelJob.path, { schema: schemaOf(ROUTES.cancelJob) }, async (request) =>
      answer(() => runner.cancel(request.params.id)),
    );

    app.post(ROUTES.resumeJob.path, { schema: schemaOf(ROUTES.resumeJob) }, async (request) =>
      answer(() => runner.resume(request.params.id)),
    );
  };
}

function logLines(file: string, tail: number | undefined): string[] {
  if (!existsSync(file)) return [];
  const lines = readFileSync(file, "utf8").split("\n");
  if (lines.at(-1) === "") lines.pop();
  return tail === undefined ? lines : lines.slice(-tail);
}
