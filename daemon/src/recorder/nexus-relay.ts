import { spawn } from "node:child_process";
import { existsSync, renameSync, rmSync, statSync } from "node:fs";
import { basename, dirname, join } from "node:path";

/**
 * The `nexus` shell command (Nexus 5.15+, for Claude Code, Cursor, Codex) reaches the plugin over a
 * local socket, `/tmp/nexus_mcp_<vault>.sock`, never through the MCP client our tap sits in front of. The
 * relay records that path without changing the plugin: it moves the plugin's socket file aside (the
 * plugin keeps listening on it), listens at the original path with the tap, and puts the file back
 * when it stops.
 */
export const NEXUS_SOCKET_DIR = "/tmp";

/** The socket name Nexus derives from a vault's name: lower case, word characters and hyphens. */
export function nexusSocketPath(vaultName: string, dir = NEXUS_SOCKET_DIR): string {
  const sanitized = vaultName
    .toLowerCase()
    .replace(/[^\w\s-]/g, "")
    .replace(/\s+/g, "-")
    .replace(/-+/g, "-");
  return join(dir, `nexus_mcp_${sanitized}.sock`);
}

/** Where the plugin's socket waits while the relay runs: hidden, and outside the names the shell command lists. */
export function asidePath(socketPath: string): string {
  return join(dirname(socketPath), `.vault-tuner-${basename(socketPath)}`);
}

export class RelayError extends Error {}

export interface RelayRun {
  socketPath: string;
  tap: string;
  spool: string;
  tokenFile: string;
  log: (line: string) => void;
}

/**
 * Runs the relay until a signal stops it or the plugin goes away; returns the tap's exit code. The
 * plugin's socket is always back at its path afterwards, unless the plugin closed it meanwhile.
 */
export async function runNexusRelay(run: RelayRun): Promise<number> {
  const { socketPath } = run;
  const aside = asidePath(socketPath);
  if (!statSync(socketPath, { throwIfNoEntry: false })?.isSocket())
    throw new RelayError(`no Nexus socket at ${socketPath}: is Obsidian open with Nexus 5.15+ for this vault?`);
  if (existsSync(aside))
    throw new RelayError(
      `${aside} exists: a relay is running, or one stopped without putting the plugin's socket back (move it to ${socketPath} if nothing listens there)`,
    );
  renameSync(socketPath, aside);
  const tap = spawn(
    process.execPath,
    [run.tap, "--spool", run.spool, "--token-file", run.tokenFile, "--socket", aside, "--listen", socketPath],
    { stdio: ["ignore", "inherit", "inherit"] },
  );
  const stop = () => tap.kill("SIGTERM");
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  run.log(`recording the nexus shell command: ${socketPath} now passes through the relay (Ctrl-C stops it)`);
  const code = await new Promise<number>((resolve) => tap.on("close", (exit) => resolve(exit ?? 1)));
  process.off("SIGINT", stop);
  process.off("SIGTERM", stop);
  if (!existsSync(socketPath) && existsSync(aside)) renameSync(aside, socketPath);
  else rmSync(aside, { force: true });
  return code;
}
