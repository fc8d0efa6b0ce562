import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { DAEMON_VERSION } from "../../version";

/** Unauthenticated liveness check: says only that the daemon runs and which version. */
export const healthRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    "/v1/health",
    { schema: { response: { 200: z.object({ status: z.literal("ok"), version: z.string() }) } } },
    async () => ({
      status: "ok" as const,
      version: DAEMON_VERSION,
    }),
  );
};
