import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  addressUrl,
  DAEMON_ADDRESS_FILE,
  DaemonEventSchema,
  DEFAULT_DAEMON_URL,
  type DaemonEvent,
} from "@vault-tuner/shared";
import WebSocket from "ws";
import { resolveDataDir } from "../config/data-dir";
import { UsageError } from "./usage-error";

/** A running daemon, as the CLI reaches it: its URL and the token in its data dir. */
export interface DaemonClient {
  url: string;
  // biome-ignore lint/suspicious/noExplicitAny: each command reads the reply it expects; the typed route client will parse them
  call(method: string, path: string, body?: unknown): Promise<{ status: number; body: any; text: string }>;
  /** The live event feed; returns a function that closes it. */
  events(onEvent: (event: DaemonEvent) => void): Promise<() => void>;
}

/**
 * The daemon of a data dir: at `--daemon URL` when given, else where the running daemon says it listens
 * (its daemon.json), else the default port.
 */
export function daemonClient(values: Record<string, unknown>): DaemonClient {
  const dataDir = resolveDataDir(values["data-dir"] as string | undefined);
  const url = ((values.daemon as string | undefined) ?? runningAt(dataDir) ?? DEFAULT_DAEMON_URL).replace(/\/$/, "");
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
    async call(method, path, body) {
      let response: Response;
      try {
        response = await fetch(`${url}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${token}`,
            ...(body === undefined ? {} : { "content-type": "application/json" }),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
      } catch {
        throw new UsageError(
          `the daemon does not answer at ${url}: start it with npx vault-tuner daemon (or pass --daemon URL)`,
        );
      }
      const text = await response.text();
      const json =
        response.headers.get("content-type")?.includes("application/json") && text ? JSON.parse(text) : undefined;
      return { status: response.status, body: json, text };
    },
    async events(onEvent) {
      const socket = new WebSocket(`${url.replace(/^http/, "ws")}/v1/events`, {
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

function runningAt(dataDir: string): string | undefined {
  try {
    return addressUrl(readFileSync(join(dataDir, DAEMON_ADDRESS_FILE), "utf8"));
  } catch {
    return undefined;
  }
}

/** The daemon's error reply as one line: `code: message` with the first field named. */
export function replyError(reply: { status: number; body: unknown; text: string }): string {
  const error = (reply.body as { error?: { message: string; issues?: { path: string }[] } } | undefined)?.error;
  if (!error) return `the daemon answered ${reply.status}: ${reply.text.slice(0, 200)}`;
  const issue = error.issues?.[0];
  return `${error.message}${issue && !String(error.message).includes(issue.path) ? ` (${issue.path})` : ""}`;
}
