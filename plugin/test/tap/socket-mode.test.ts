import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { expect, it } from "vitest";
import { buildTap } from "./tap-harness";

/** Stands in for the plugin's socket server: answers every request line with its id and method. */
function pluginSocket(path: string, connections: Socket[]): Promise<Server> {
  const server = createServer((socket) => {
    connections.push(socket);
    createInterface({ input: socket }).on("line", (line) => {
      const message = JSON.parse(line);
      if (message.id !== undefined)
        socket.write(`${JSON.stringify({ jsonrpc: "2.0", id: message.id, result: { echo: message.method } })}\n`);
    });
  });
  return new Promise((resolve) => server.listen(path, () => resolve(server)));
}

it("connects to the plugin's socket once it appears, holds input meanwhile, and reconnects after a drop", {
  timeout: 30_000,
}, async () => {
  const folder = mkdtempSync(join(tmpdir(), "vault-tuner-sock-"));
  const path = join(folder, "nexus_mcp_notes.sock");
  const tap = spawn(
    process.execPath,
    [buildTap(), "--spool", join(folder, "spool"), "--daemon", "http://127.0.0.1:9", "--socket", path],
    { stdio: ["pipe", "pipe", "pipe"] },
  );
  const replies: any[] = [];
  createInterface({ input: tap.stdout }).on("line", (line) => replies.push(JSON.parse(line)));
  const waitFor = async (count: number) => {
    for (let i = 0; i < 300 && replies.length < count; i++) await new Promise((resolve) => setTimeout(resolve, 20));
  };
  let stderr = "";
  tap.stderr.on("data", (chunk) => (stderr += String(chunk)));

  // Obsidian is not running yet: the request waits in the tap.
  tap.stdin.write(`${JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: {} })}\n`);
  await new Promise((resolve) => setTimeout(resolve, 600));
  expect(replies).toEqual([]);
  const connections: Socket[] = [];
  const server = await pluginSocket(path, connections);
  await waitFor(1);
  expect(replies).toEqual([{ jsonrpc: "2.0", id: 1, result: { echo: "initialize" } }]);

  // The plugin restarts: the connection drops and the tap comes back on its own.
  connections[0]?.destroy();
  await new Promise((resolve) => setTimeout(resolve, 100));
  tap.stdin.write(`${JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/list" })}\n`);
  await waitFor(2);
  expect(replies[1]).toEqual({ jsonrpc: "2.0", id: 2, result: { echo: "tools/list" } });
  expect(connections.length).toBe(2);

  const exited = new Promise((resolve) => tap.once("exit", resolve));
  tap.stdin.end();
  expect(await exited).toBe(0);
  expect(stderr).toBe("");
  server.close();
});
