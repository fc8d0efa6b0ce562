import { existsSync, readFileSync } from "node:fs";
import {
  JobIdParamsSchema,
  JobListQuerySchema,
  JobLogQuerySchema,
  JobRequestSchema,
  JobSchema,
} from "@vault-tuner/shared";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { metricsFromLog } from "../../train/metrics-log";
import { JobRequestError } from "../../jobs/job-kind";
import { JobStateError } from "../../jobs/job-runner";
import type { AppContext } from "../app-context";
import { HttpError } from "../error-replies";

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
    app.post("/v1/jobs", { schema: { body: JobRequestSchema, response: { 201: JobSchema } } }, async (request, reply) =>
      reply.code(201).send(answer(() => runner.submit(request.body))),
    );

    app.get(
      "/v1/jobs",
      { schema: { querystring: JobListQuerySchema, response: { 200: z.object({ items: z.array(JobSchema) }) } } },
      async (request) => ({
        items: context.store.jobs.list(request.query),
      }),
    );

    app.get(
      "/v1/jobs/:id",
      { schema: { params: JobIdParamsSchema, response: { 200: JobSchema.extend({ logTail: z.array(z.string()) }) } } },
      async (request) => {
        const job = context.store.jobs.get(request.params.id);
        if (!job) throw new HttpError(404, "not-found", `no job ${request.params.id}`);
        return { ...job, logTail: logLines(runner.logFile(job.id), 20) };
      },
    );

    app.get(
      "/v1/jobs/:id/log",
      { schema: { params: JobIdParamsSchema, querystring: JobLogQuerySchema } },
      async (request, reply) => {
        const job = context.store.jobs.get(request.params.id);
        if (!job) throw new HttpError(404, "not-found", `no job ${request.params.id}`);
        const lines = logLines(runner.logFile(job.id), request.query.tail);
        return reply.type("text/plain; charset=utf-8").send(lines.length > 0 ? `${lines.join("\n")}\n` : "");
      },
    );

    /** The training curves: every step's loss, rewards, KL... as the trainer reported them. */
    app.get("/v1/jobs/:id/metrics", { schema: { params: JobIdParamsSchema } }, async (request) => {
      const job = context.store.jobs.get(request.params.id);
      if (!job) throw new HttpError(404, "not-found", `no job ${request.params.id}`);
      return {
        jobId: job.id,
        kind: job.kind,
        state: job.state,
        items: metricsFromLog(logLines(runner.logFile(job.id), undefined)),
      };
    });

    app.post(
      "/v1/jobs/:id/cancel",
      { schema: { params: JobIdParamsSchema, response: { 200: JobSchema } } },
      async (request) => answer(() => runner.cancel(request.params.id)),
    );

    app.post(
      "/v1/jobs/:id/resume",
      { schema: { params: JobIdParamsSchema, response: { 200: JobSchema } } },
      async (request) => answer(() => runner.resume(request.params.id)),
    );
  };
}

function logLines(file: string, tail: number | undefined): string[] {
  if (!existsSync(file)) return [];
  const lines = readFileSync(file, "utf8").split("\n");
  if (lines.at(-1) === "") lines.pop();
  return tail === undefined ? lines : lines.slice(-tail);
}
