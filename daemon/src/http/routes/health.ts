import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { schemaOf } from "../route-schema";
import { ROUTES } from "@vault-tuner/shared";
import { DAEMON_VERSION } from "../../version";
import type { Quarantine } from "../../store/quarantine";

/** Unauthenticated liveness check: says that the daemon runs, which version, and how many records it set aside. */
export function healthRoutes(quarantine: Pick<Quarantine, "count">): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(ROUTES.health.path, { schema: schemaOf(ROUTES.health) }, async () => ({
      status: "ok" as const,
      version: DAEMON_VERSION,
      quarantined: quarantine.count,
    }));
  };
}
