import { ROUTES } from "@vault-tuner/shared";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { schemaOf } from "../route-schema";
import type { AppContext } from "../app-context";

/** What this machine trains on (NVIDIA, Apple Silicon or CPU), why, and which preset fits it. */
export function platformRoutes(context: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(ROUTES.platform.path, { schema: schemaOf(ROUTES.platform) }, async () => context.platform);
  };
}
