import { ROUTES } from "@vault-tuner/shared";
import type { FastifyPluginAsync } from "fastify";
import type { AppContext } from "../app-context";
import { DAEMON_VERSION } from "../../version";

/** Websocket subscribers that stop reading are dropped once this much is queued for them. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

/** The live feed: one JSON event per message, starting with `hello`. Authenticated by the request guard. */
export function eventRoutes(context: AppContext): FastifyPluginAsync {
  return async (app) => {
    app.get(ROUTES.events.path, { websocket: true }, (socket) => {
      const unsubscribe = context.events.subscribe((event) => {
        if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
          socket.close(1013, "too far behind; reconnect and refetch");
          return;
        }
        socket.send(JSON.stringify(event));
      });
      socket.on("close", unsubscribe);
      socket.send(JSON.stringify({ type: "hello", at: new Date().toISOString(), version: DAEMON_VERSION }));
    });
  };
}
