// The subpath, not the package index: the tap must stay a few kilobytes with no schemas in it.
import { DAEMON_ADDRESS_FILE } from "@vault-tuner/shared/daemon-address";
import { homedir } from "node:os";
import { dirname, join } from "node:path";

export interface TapOptions {
  /** Folder for the write-ahead spool (one JSONL file per run). */
  spool: string;
  /** The daemon's URL when given (--daemon, VAULT_TUNER_DAEMON); else it is read from addressFile at each delivery. */
  daemon?: string;
  /** Where the running daemon writes its address: daemon.json beside the token. */
  addressFile: string;
  tokenFile?: string;
  /** Connect to the plugin's socket instead of spawning an upstream command. */
  socket?: string;
  /**
   * With `socket`: listen here (where the plugin's socket used to be) and relay every connection to
   * `socket`, for the `nexus` shell command, instead of serving one client on stdio.
   */
  listen?: string;
  upstream?: { command: string; args: string[] };
  debug: boolean;
}

export class TapUsageError extends Error {}

export const TAP_USAGE =
  "node tap.cjs [--spool DIR] [--token-file FILE] [--daemon URL] [--debug] (-- <upstream command> [args...] | --socket PATH [--listen PATH])";

/** The data dir the daemon uses by default, where the spool and the token live unless told otherwise. */
function defaultHome(env: NodeJS.ProcessEnv): string {
  return env.VAULT_TUNER_HOME || join(homedir(), ".vault-tuner");
}

export function parseTapOptions(argv: string[], env: NodeJS.ProcessEnv = process.env): TapOptions {
  const separator = argv.indexOf("--");
  const own = separator < 0 ? argv : argv.slice(0, separator);
  const upstream = separator < 0 ? [] : argv.slice(separator + 1);
  const values = new Map<string, string>();
  let debug = false;
  for (let i = 0; i < own.length; i++) {
    const flag = own[i] as string;
    if (flag === "--debug") {
      debug = true;
      continue;
    }
    if (!["--spool", "--daemon", "--token-file", "--socket", "--listen"].includes(flag))
      throw new TapUsageError(`unknown option ${flag}`);
    const value = own[++i];
    if (value === undefined) throw new TapUsageError(`${flag} needs a value`);
    values.set(flag, value);
  }
  const socket = values.get("--socket");
  if ((socket === undefined) === (upstream.length === 0))
    throw new TapUsageError("give either -- <upstream command> or --socket PATH");
  const listen = values.get("--listen");
  if (listen !== undefined && socket === undefined)
    throw new TapUsageError("--listen relays to the plugin's socket: give --socket PATH too");
  const home = defaultHome(env);
  const tokenFile = values.get("--token-file") ?? join(home, "token");
  return {
    spool: values.get("--spool") ?? join(home, "spool"),
    daemon: values.get("--daemon") ?? env.VAULT_TUNER_DAEMON,
    addressFile: join(dirname(tokenFile), DAEMON_ADDRESS_FILE),
    tokenFile,
    socket,
    ...(listen !== undefined ? { listen } : {}),
    upstream: upstream.length > 0 ? { command: upstream[0] as string, args: upstream.slice(1) } : undefined,
    debug,
  };
}
