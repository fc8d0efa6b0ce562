import { ROUTES } from "@vault-tuner/shared";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { schemaOf } from "../route-schema";
import { InvalidCursorError } from "../../store/trace-store";
import type { AppContext } from "../app-context";
import { HttpError } from "../error-replies";

/** Recording and labelling: traces, the toolsets they were made with, and the user's verdicts. */
export function traceRoutes(context: AppContext): FastifyPluginAsyncZod {
  const { store, events } = context;
  return async (app) => {
    app.post(ROUTES.postTraces.path, { schema: schemaOf(ROUTES.postTraces) }, async (request, reply) => {
      // Resolves only after the commit (WAL, synchronous=FULL) that holds these rows has returned.
      const { ids, created } = await context.ingest.submit(request.body.traces);
      if (created.length > 0) events.publish({ type: "trace.created", traces: created });
      const seen = new Set<string>();
      const repeated = new Set<string>();
      for (const id of ids) (seen.has(id) ? repeated : seen).add(id);
      return reply.code(201).send(repeated.size > 0 ? { ids, repeated: [...repeated] } : { ids });
    });

    app.get(ROUTES.listTraces.path, { schema: schemaOf(ROUTES.listTraces) }, async (request) => {
      const { limit, cursor, ...filter } = request.query;
      try {
        return store.traces.list(filter, limit, cursor);
      } catch (error) {
        if (error instanceof InvalidCursorError)
          throw new HttpError(400, "invalid-querystring", `invalid querystring: cursor: ${error.message}`, [
            { path: "cursor", message: error.message },
          ]);
        throw error;
      }
    });

    app.get(ROUTES.getTrace.path, { schema: schemaOf(ROUTES.getTrace) }, async (request) => {
      const detail = store.traces.get(request.params.id);
      if (!detail) throw new HttpError(404, "not-found", `no trace ${request.params.id}`);
      return detail;
    });

    app.put(ROUTES.labelTrace.path, { schema: schemaOf(ROUTES.labelTrace) }, async (request) => {
      const outcome = store.traces.label(request.params.id, request.body, new Date().toISOString());
      if (!outcome) throw new HttpError(404, "not-found", `no trace ${request.params.id}`);
      events.publish({
        type: "trace.labelled",
        traceId: request.params.id,
        label: request.body.label,
        previous: outcome.previous,
        corrected: request.body.correction !== undefined,
      });
      return outcome.detail;
    });

    app.post(ROUTES.postToolset.path, { schema: schemaOf(ROUTES.postToolset) }, async (request, reply) => {
      const { hash, created } = store.toolsets.put(request.body, new Date().toISOString());
      return reply.code(created ? 201 : 200).send({ hash, created, tools: request.body.tools.length });
    });

    app.get(ROUTES.getToolset.path, { schema: schemaOf(ROUTES.getToolset) }, async (request) => {
      const toolsList = store.toolsets.get(request.params.hash);
      if (!toolsList) throw new HttpError(404, "not-found", `no toolset ${request.params.hash} is stored`);
      return toolsList;
    });
  };
}
