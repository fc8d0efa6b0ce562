import type { FastifyInstance, FastifyRequest } from "fastify";
import { ROUTES } from "@vault-tuner/shared";
import { tokenMatches } from "../config/token";
import { sendError } from "./error-replies";

/** The one browser origin allowed to call the daemon: Obsidian's own window. */
export const OBSIDIAN_ORIGIN = "app://obsidian.md";

const PUBLIC_ROUTES = new Set(["GET /v1/health"]);

/**
 * Runs before anything else, body parsing included: a `Host` other than the daemon's own loopback address
 * is refused (403: a page that rebinds its own name to 127.0.0.1 still sends its name), as is a foreign web
 * page, whatever it sends, since a browser attaches its `Origin`; then every route but health needs the
 * bearer token, from the `Authorization` header or, for the websocket alone (browsers cannot set its
 * headers), `?token=`. `hosts` are the `Host` values the daemon answers to, known once it listens.
 */
export function installRequestGuard(app: FastifyInstance, token: string, hosts: () => readonly string[]): void {
  closeRefusedUpgrades(app);
  app.addHook("onRequest", async (request, reply) => {
    const host = request.headers.host?.toLowerCase();
    if (host === undefined || !hosts().includes(host))
      return sendError(
        reply,
        403,
        "forbidden-host",
        `the daemon answers only at its own loopback address (${hosts().join(" or ")}), not ${host ?? "no Host"}`,
      );
    const origin = request.headers.origin;
    if (origin !== undefined) {
      if (origin !== OBSIDIAN_ORIGIN)
        return sendError(
          reply,
          403,
          "forbidden-origin",
          `requests from ${origin} are refused; only Obsidian may call the daemon`,
        );
      reply.header("access-control-allow-origin", OBSIDIAN_ORIGIN).header("vary", "Origin");
      if (request.method === "OPTIONS") {
        return reply
          .code(204)
          .header("access-control-allow-methods", "GET, POST, PUT, DELETE")
          .header("access-control-allow-headers", "authorization, content-type")
          .header("access-control-max-age", "600")
          .send();
      }
    }
    if (PUBLIC_ROUTES.has(`${request.method} ${request.routeOptions.url}`)) return;
    const given = bearerToken(request);
    if (given === undefined)
      return sendError(
        reply,
        401,
        "unauthorized",
        "missing token: send Authorization: Bearer <token> (the token file is in the daemon's data dir)",
      );
    if (!tokenMatches(given, token)) return sendError(reply, 401, "unauthorized", "wrong token");
  });
}

/**
 * A websocket upgrade that is refused gets its HTTP answer, but its socket has left the HTTP server's
 * keeping, so nothing would ever close it: close it here once the answer is out.
 */
function closeRefusedUpgrades(app: FastifyInstance): void {
  app.addHook("onResponse", async (request, reply) => {
    if (request.headers.upgrade !== undefined && reply.statusCode !== 101) request.raw.socket.destroy();
  });
}

function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header !== undefined) return /^Bearer (\S+)$/i.exec(header)?.[1];
  // A token in a URL ends up in logs and histories: only the websocket, which has no other way, may.
  if (request.routeOptions.url !== ROUTES.events.path) return undefined;
  const query = request.query as Record<string, unknown> | undefined;
  return typeof query?.token === "string" ? query.token : undefined;
}
