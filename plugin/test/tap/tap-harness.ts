import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));
let built: string | undefined;

/** tap.cjs as users get it: built by esbuild.config.mjs, into a temporary folder. */
export function buildTap(): string {
  if (built) return built;
  const out = join(mkdtempSync(join(tmpdir(), "vault-tuner-tap-")), "tap.cjs");
  const scratch = join(mkdtempSync(join(tmpdir(), "vault-tuner-tap-plugin-")), "main.js");
  execFileSync(process.execPath, ["esbuild.config.mjs", "production"], {
    cwd: ROOT,
    env: { ...process.env, VAULT_TUNER_TAP_OUTFILE: out, VAULT_TUNER_PLUGIN_OUTFILE: scratch },
    stdio: "pipe",
  });
  built = out;
  return out;
}

/** The tap's recording flags for a test daemon: its spool, its address and its token. */
export function recordingFlags(daemon: { dataDir: string; url: string; daemon: { tokenFile: string } }): string[] {
  return ["--spool", join(daemon.dataDir, "spool"), "--daemon", daemon.url, "--token-file", daemon.daemon.tokenFile];
}

/** The third-party MCP server used to show the tap knows nothing of Claudesidian. */
export function filesystemServer(root: string): string[] {
  const require = createRequire(import.meta.url);
  return [process.execPath, require.resolve("@modelcontextprotocol/server-filesystem/dist/index.js"), root];
}

/**
 * A scripted MCP client that speaks raw newline-delimited JSON-RPC and keeps every byte it receives,
 * so a session straight to a server and one through the tap can be compared byte for byte.
 */
export class ScriptedClient {
  readonly child: ChildProcessWithoutNullStreams;
  private readonly received: Buffer[] = [];
  private readonly waiters: { id: number; resolve(message: any): void }[] = [];
  stderr = "";

  constructor(command: string[], env: NodeJS.ProcessEnv = process.env) {
    this.child = spawn(command[0] as string, command.slice(1), { stdio: ["pipe", "pipe", "pipe"], env });
    let pending = "";
    this.child.stdout.on("data", (chunk: Buffer) => {
      this.received.push(chunk);
      pending += chunk.toString("utf8");
      let newline: number;
      while ((newline = pending.indexOf("\n")) >= 0) {
        const message = JSON.parse(pending.slice(0, newline));
        pending = pending.slice(newline + 1);
        const index = this.waiters.findIndex((waiter) => waiter.id === message.id);
        if (index >= 0) this.waiters.splice(index, 1)[0]?.resolve(message);
      }
    });
    this.child.stderr.on("data", (chunk) => (this.stderr += String(chunk)));
  }

  /** Sends a request and waits for its response. */
  request(id: number, method: string, params?: unknown): Promise<any> {
    const answered = new Promise((resolve) => this.waiters.push({ id, resolve }));
    this.send({ jsonrpc: "2.0", id, method, ...(params === undefined ? {} : { params }) });
    return answered;
  }

  /** The start of every session: initialize as `client`, the initialized notification, tools/list (ids 1 and 2). */
  async open(client: string, version = "1.0.0"): Promise<void> {
    await this.request(1, "initialize", {
      protocolVersion: "2025-06-18",
      capabilities: {},
      clientInfo: { name: client, version },
    });
    this.send({ jsonrpc: "2.0", method: "notifications/initialized" });
    await this.request(2, "tools/list", {});
  }

  /** Writes the messages in one write. */
  send(...messages: unknown[]): void {
    this.child.stdin.write(messages.map((message) => `${JSON.stringify(message)}\n`).join(""));
  }

  bytes(): Buffer {
    return Buffer.concat(this.received);
  }

  /** Closes stdin, as a client does when it quits, and resolves with the exit code. */
  close(): Promise<number | null> {
    const exited = new Promise<number | null>((resolve) => this.child.once("exit", (code) => resolve(code)));
    this.child.stdin.end();
    return exited;
  }
}
