import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { AppContext } from "../app-context";

/** What this machine trains on (NVIDIA, Apple Silicon or CPU), why, and which preset fits it. */
export function platformRoutes(context: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get("/v1/platform", async () => context.platform);
  };
}
