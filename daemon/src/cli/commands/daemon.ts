import { DEFAULT_DAEMON_PORT } from "@vault-tuner/shared";
import { resolveDataDir } from "../../config/data-dir";
import { DataDirInUseError } from "../../config/data-dir-lock";
import { DataDirUnwritableError } from "../../config/data-dir-unwritable";
import { startDaemon } from "../../http/server";
import { DatabaseDamagedError } from "../../store/open-database";
import type { Output } from "../output";
import { EXIT_OK, UsageError } from "../usage-error";

/** Starts the daemon and keeps it running until SIGINT or SIGTERM, then shuts it down cleanly. */
export async function runDaemon(args: { values: Record<string, unknown> }, output: Output): Promise<number> {
  const port = parsePort(args.values.port);
  let daemon: Awaited<ReturnType<typeof startDaemon>>;
  try {
    daemon = await startDaemon({
      dataDir: resolveDataDir(args.values["data-dir"] as string | undefined),
      port,
      logLevel: (args.values["log-level"] as string | undefined) ?? "info",
    });
  } catch (error) {
    if (error instanceof DataDirInUseError) {
      output.err(`vault-tuner daemon: ${error.message}\n`);
      return EXIT_DATA_DIR_IN_USE;
    }
    if (error instanceof DatabaseDamagedError) {
      output.err(`vault-tuner daemon: ${error.message}\n`);
      return EXIT_DATABASE_DAMAGED;
    }
    if (error instanceof DataDirUnwritableError) {
      output.err(`vault-tuner daemon: ${error.message}\n`);
      return EXIT_DATA_DIR_UNWRITABLE;
    }
    throw error;
  }
  output.out(`listening on ${daemon.url}\n`);
  output.out(`token file: ${daemon.tokenFile}\n`);
  await new Promise<void>((resolve) => {
    // The handlers stay until the daemon has closed: with none left, a repeated signal (a second Ctrl-C, or
    // one the served model's native code raises again as it unloads) would end the process mid-close.
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) return void output.err(`received ${signal} again; still shutting down\n`);
      stopping = true;
      output.err(`received ${signal}, shutting down\n`);
      void daemon.close().then(resolve);
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
  return EXIT_OK;
}

function parsePort(value: unknown): number {
  if (value === undefined) return DEFAULT_PORT;
  const text = String(value);
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535)
    throw new UsageError(`--port must be a whole number from 0 to 65535 (0 picks a free port), got "${text}"`);
  return port;
}

/** Another daemon holds the data dir. */
const EXIT_DATA_DIR_IN_USE = 3;
/** The store is damaged; the message says how to recover. */
const EXIT_DATABASE_DAMAGED = 4;
/** The data dir cannot be written (read-only, not the user's, disk full); the message says what to do. */
const EXIT_DATA_DIR_UNWRITABLE = 5;

/** The port the plugin and the tap look for first. */
export const DEFAULT_PORT = DEFAULT_DAEMON_PORT;
