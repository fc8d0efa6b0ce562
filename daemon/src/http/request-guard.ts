import type { FastifyInstance, FastifyRequest } from "fastify";
import { tokenMatches } from "../config/token";
import { sendError } from "./error-replies";

/** The one browser origin allowed to call the daemon: Obsidian's own window. */
export const OBSIDIAN_ORIGIN = "app://obsidian.md";

const PUBLIC_ROUTES = new Set(["GET /v1/health"]);

/**
 * Runs before anything else, body parsing included: a foreign web page is refused (403) whatever it
 * sends, since a browser attaches its `Origin`; then every route but health needs the bearer token,
 * from the `Authorization` header or, for the websocket (browsers cannot set its headers), `?token=`.
 */
export function installRequestGuard(app: FastifyInstance, token: string): void {
  closeRefusedUpgrades(app);
  app.addHook("onRequest", async (request, reply) => {
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
  const query = request.query as Record<string, unknown> | undefined;
  return typeof query?.token === "string" ? query.token : undefined;
}
