import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { expect, it } from "vitest";
import { startTestDaemon } from "../../../daemon/test/daemon-harness";
import { createSandboxServer } from "../../../daemon/src/vault-server/sandbox-server";
import { fileURLToPath } from "node:url";
import { buildTap, recordingFlags } from "./tap-harness";

const CLI = fileURLToPath(new URL("../../../daemon/bin/vault-tuner.mjs", import.meta.url));

/**
 * The plugin's local socket as Nexus serves it (MCP, newline-delimited JSON-RPC, one server a connection),
 * played by the reference server in Nexus mode.
 */
function nexusSocket(path: string, vault: string) {
  const server = createServer((socket) => {
    void createSandboxServer(vault, { toolset: "nexus-5.20.1" }).connect(new StdioServerTransport(socket, socket));
  });
  return new Promise<typeof server>((resolve) => server.listen(path, () => resolve(server)));
}

/** One run of the `nexus` shell command as its public source speaks: initialize, initialized, tools/call. */
async function shellCommand(path: string, session: string): Promise<any[]> {
  const socket = connect(path);
  const replies: any[] = [];
  const waiting = new Map<number, () => void>();
  createInterface({ input: socket }).on("line", (line) => {
    const message = JSON.parse(line);
    replies.push(message);
    waiting.get(message.id)?.();
  });
  const request = (id: number, method: string, params: unknown) =>
    new Promise<void>((resolve) => {
      waiting.set(id, resolve);
      socket.write(`${JSON.stringify({ jsonrpc: "2.0", id, method, params })}\n`);
    });
  await request(1, "initialize", {
    protocolVersion: "2025-06-18",
    capabilities: {},
    clientInfo: { name: "nexus-cli", version: "5.20.1" },
  });
  socket.write(`${JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" })}\n`);
  const context = { sessionId: session, memory: "Checking the list.", goal: "Read it." };
  await request(2, "tools/call", { name: "toolManager_getTools", arguments: { ...context, tool: "content read" } });
  await request(3, "tools/call", {
    name: "toolManager_useTools",
    arguments: { ...context, workspaceId: "default", tool: "content read List.md 1" },
  });
  socket.end();
  return replies;
}

it("records the nexus shell command's calls through a relay on the plugin's socket, by their own path", {
  timeout: 60_000,
}, async () => {
  const folder = mkdtempSync(join(tmpdir(), "vt-relay-"));
  const vault = join(folder, "vault");
  mkdirSync(vault);
  writeFileSync(join(vault, "List.md"), "# List\n- milk\n");
  const pluginPath = join(folder, "plugin.sock");
  const listenPath = join(folder, "nexus_mcp_notes.sock");
  const plugin = await nexusSocket(pluginPath, vault);
  const daemon = await startTestDaemon();
  try {
    const tap = spawn(
      process.execPath,
      [buildTap(), ...recordingFlags(daemon), "--socket", pluginPath, "--listen", listenPath],
      { stdio: ["ignore", "ignore", "pipe"] },
    );
    for (let i = 0; i < 200 && !existsSync(listenPath); i++) await new Promise((resolve) => setTimeout(resolve, 20));
    const first = await shellCommand(listenPath, "shell-one");
    expect(first.find((reply) => reply.id === 3)?.result.content[0].text).toContain('"content": "1: # List');
    await shellCommand(listenPath, "shell-two");

    let traces: any[] = [];
    for (let tries = 0; tries < 50 && traces.length < 4; tries++) {
      traces = await daemon.allTraces();
      if (traces.length < 4) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(traces).toHaveLength(4);
    for (const trace of traces) {
      expect(trace.source).toMatchObject({ transport: "socket-relay", client: "nexus-cli" });
      expect(
        trace.toolsetHash,
        "no tools/list on this path: the hash is the release's, once the daemon knows it",
      ).toBeUndefined();
    }
    expect(new Set(traces.map((trace) => trace.session)).size).toBe(2);

    const exited = new Promise((resolve) => tap.once("exit", resolve));
    tap.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(existsSync(listenPath), "the relay removes its own socket").toBe(false);
    expect(existsSync(pluginPath), "and leaves the plugin's").toBe(true);
  } finally {
    plugin.close();
    await daemon.stop();
  }
});

it("vault-tuner recorder relay moves the plugin's socket aside while it records, and puts it back", {
  timeout: 60_000,
}, async () => {
  const folder = mkdtempSync(join(tmpdir(), "vt-relay-cli-"));
  const vault = join(folder, "vault");
  mkdirSync(vault);
  writeFileSync(join(vault, "List.md"), "# List\n- milk\n");
  const socketPath = join(folder, "nexus_mcp_notes.sock");
  const aside = join(folder, ".vault-tuner-nexus_mcp_notes.sock");
  const plugin = await nexusSocket(socketPath, vault);
  const daemon = await startTestDaemon();
  const relay = (env: NodeJS.ProcessEnv = process.env) =>
    spawn(
      process.execPath,
      [CLI, "recorder", "relay", "--socket", socketPath, "--data-dir", daemon.dataDir, "--tap", buildTap()],
      {
        stdio: ["ignore", "pipe", "pipe"],
        env,
      },
    );
  const settle = async (ready: () => boolean) => {
    for (let i = 0; i < 300 && !ready(); i++) await new Promise((resolve) => setTimeout(resolve, 20));
  };
  try {
    const running = relay();
    let stderr = "";
    running.stderr.on("data", (chunk) => (stderr += String(chunk)));
    await settle(() => existsSync(aside) && existsSync(socketPath));
    const replies = await shellCommand(socketPath, "through-cli");
    expect(replies.find((reply) => reply.id === 3)?.result.content[0].text).toContain("1: # List");
    const stopped = new Promise((resolve) => running.once("exit", resolve));
    running.kill("SIGTERM");
    expect(await stopped, stderr).toBe(0);
    expect(existsSync(aside)).toBe(false);
    // The plugin's own socket is back where the shell command looks for it.
    expect((await shellCommand(socketPath, "after")).find((reply) => reply.id === 3)).toBeDefined();
    let traces: any[] = [];
    for (let tries = 0; tries < 50 && traces.length < 2; tries++) {
      traces = (await daemon.allTraces()).filter((trace) => trace.source.transport === "socket-relay");
      if (traces.length < 2) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(traces.map((trace) => trace.call.name).sort()).toEqual(["toolManager_getTools", "toolManager_useTools"]);

    // Nexus going away ends the relay, which says so. The plugin is a separate process here, killed
    // outright: a Node server closing cleanly would unlink its bound path, which is now the relay's.
    plugin.close();
    const gone = spawn(process.execPath, [
      "-e",
      `require("node:net").createServer(() => undefined).listen(${JSON.stringify(socketPath)})`,
    ]);
    await settle(() => existsSync(socketPath));
    const second = relay();
    let said = "";
    second.stderr.on("data", (chunk) => (said += String(chunk)));
    await settle(() => existsSync(aside) && existsSync(socketPath));
    const ended = new Promise((resolve) => second.once("exit", resolve));
    gone.kill("SIGKILL");
    // No client needed: the relay's own probe finds the plugin gone, and the plugin's (dead) socket file
    // is back at its path, as before the relay, for the restarting plugin to replace.
    expect(await ended).toBe(3);
    expect(existsSync(socketPath)).toBe(true);
    expect(existsSync(aside)).toBe(false);
    expect(said).toContain("the plugin's socket went away");
  } finally {
    plugin.close();
    await daemon.stop();
  }
});
