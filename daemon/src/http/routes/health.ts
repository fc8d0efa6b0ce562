import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { schemaOf } from "../route-schema";
import { ROUTES } from "@vault-tuner/shared";
import { DAEMON_VERSION } from "../../version";

/** Unauthenticated liveness check: says only that the daemon runs and which version. */
export const healthRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(ROUTES.health.path, { schema: schemaOf(ROUTES.health) }, async () => ({
    status: "ok" as const,
    version: DAEMON_VERSION,
  }));
};
