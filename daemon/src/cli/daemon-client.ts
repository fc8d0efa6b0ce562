import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  callRoute,
  httpTransport,
  DaemonEventSchema,
  DEFAULT_DAEMON_URL,
  ROUTES,
  RouteInputError,
  RouteReplyError,
  type DaemonEvent,
  type Route,
  type RouteInput,
  type RouteResult,
} from "@vault-tuner/shared";
import WebSocket from "ws";
import { resolveDataDir } from "../config/data-dir";
import { runningDaemonUrl } from "../config/running-daemon";
import { UsageError } from "./usage-error";

/** A running daemon, as the CLI reaches it: its URL and the token in its data dir. */
export interface DaemonClient {
  url: string;
  /**
   * Calls a route of the shared route table: the request checked with the route's schemas before it is sent,
   * the reply parsed with its reply schema. A refusal (here or by the daemon) is a UsageError that says why.
   */
  call<R extends Route>(
    route: R,
    ...input: object extends RouteInput<R> ? [RouteInput<R>?] : [RouteInput<R>]
  ): Promise<RouteResult<R>>;
  /** The live event feed; returns a function that closes it. */
  events(onEvent: (event: DaemonEvent) => void): Promise<() => void>;
}

/**
 * The daemon of a data dir: at `--daemon URL` when given, else where the running daemon says it listens
 * (its daemon.json), else the default port.
 */
export function daemonClient(values: Record<string, unknown>): DaemonClient {
  const dataDir = resolveDataDir(values["data-dir"] as string | undefined);
  const url = ((values.daemon as string | undefined) ?? runningDaemonUrl(dataDir) ?? DEFAULT_DAEMON_URL).replace(
    /\/$/,
    "",
  );
  const tokenFile = join(dataDir, "token");
  let token: string;
  try {
    token = readFileSync(tokenFile, "utf8").trim();
  } catch {
    throw new UsageError(
      `no daemon token at ${tokenFile}: start the daemon first (npx vault-tuner daemon), or pass the --data-dir it uses`,
    );
  }
  return {
    url,
    async call(route, ...input) {
      const transport = httpTransport(
        (address, init) => fetch(address, init),
        url,
        token,
        () =>
          new UsageError(
            `the daemon does not answer at ${url}: start it with npx vault-tuner daemon (or pass --daemon URL)`,
          ),
      );
      try {
        return await callRoute(transport, route, input[0]);
      } catch (error) {
        if (error instanceof RouteInputError || error instanceof RouteReplyError) throw new UsageError(refusal(error));
        throw error;
      }
    },
    async events(onEvent) {
      const socket = new WebSocket(`${url.replace(/^http/, "ws")}${ROUTES.events.path}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      socket.on("message", (data) => {
        const parsed = DaemonEventSchema.safeParse(JSON.parse(String(data)));
        if (parsed.success) onEvent(parsed.data);
      });
      await new Promise<void>((resolve, reject) => {
        socket.once("open", () => resolve());
        socket.once("error", reject);
      });
      return () => socket.close();
    },
  };
}

/** A refused request as one line: the reason, with the field it is about when the reason does not name it. */
function refusal(error: RouteInputError | RouteReplyError): string {
  return error.path && !error.message.includes(error.path) ? `${error.message} (${error.path})` : error.message;
}
