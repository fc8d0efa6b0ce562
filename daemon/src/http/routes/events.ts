import { ROUTES } from "@vault-tuner/shared";
import type { FastifyPluginAsync } from "fastify";
import type { AppContext } from "../app-context";
import { DAEMON_VERSION } from "../../version";

/** Websocket subscribers that stop reading are dropped once this much is queued for them. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
/** How long a subscriber gets to answer the closing handshake when the daemon stops (ws would wait 30 s). */
const CLOSE_GRACE_MS = 500;

/** The live feed: one JSON event per message, starting with `hello`. Authenticated by the request guard. */
export function eventRoutes(context: AppContext): FastifyPluginAsync {
  return async (app) => {
    const open = new Set<{ close(code: number, reason: string): void; terminate(): void }>();
    // A stopping daemon says goodbye to each subscriber, and does not wait long for the answer.
    app.addHook("preClose", async () => {
      for (const socket of open) socket.close(1001, "the daemon is stopping");
      if (open.size === 0) return;
      await new Promise((resolve) => setTimeout(resolve, CLOSE_GRACE_MS));
      for (const socket of open) socket.terminate();
    });
    app.get(ROUTES.events.path, { websocket: true }, (socket) => {
      open.add(socket);
      const unsubscribe = context.events.subscribe((event) => {
        if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
          socket.close(1013, "too far behind; reconnect and refetch");
          return;
        }
        socket.send(JSON.stringify(event));
      });
      socket.on("close", () => {
        unsubscribe();
        open.delete(socket);
      });
      socket.send(JSON.stringify({ type: "hello", at: new Date().toISOString(), version: DAEMON_VERSION }));
    });
  };
}
