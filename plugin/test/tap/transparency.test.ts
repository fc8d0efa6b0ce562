import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { describe, expect, it } from "vitest";
import { buildTap, filesystemServer, ScriptedClient } from "./tap-harness";

const vault = mkdtempSync(join(tmpdir(), "vault-tuner-fs-"));
mkdirSync(join(vault, "Notes"));
writeFileSync(join(vault, "Notes", "a.md"), "# A\nfirst note\n");
writeFileSync(join(vault, "Notes", "b.md"), `# B\n${"line\n".repeat(2000)}`);

/** initialize, tools/list, calls (one failing, one cancelled), ping, resources and prompts. */
async function scriptedSession(client: ScriptedClient): Promise<void> {
  await client.open("scripted-client");
  await client.request(3, "tools/call", { name: "read_text_file", arguments: { path: join(vault, "Notes", "a.md") } });
  await client.request(4, "tools/call", { name: "read_text_file", arguments: { path: join(vault, "missing.md") } });
  await client.request(5, "ping");
  await client.request(6, "tools/call", { name: "list_directory", arguments: { path: join(vault, "Notes") } });
  client.send(
    {
      jsonrpc: "2.0",
      id: 7,
      method: "tools/call",
      params: { name: "read_text_file", arguments: { path: join(vault, "Notes", "b.md") } },
    },
    { jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: 7, reason: "user pressed stop" } },
  );
  await client.request(8, "resources/list", {});
  await client.request(9, "prompts/list", {});
  await client.request(10, "tools/call", { name: "read_text_file", arguments: { path: join(vault, "Notes", "b.md") } });
}

describe("the tap in front of a third-party MCP server", () => {
  it("hands the client exactly the bytes the server wrote, and writes nothing of its own", {
    timeout: 30_000,
  }, async () => {
    const spool = mkdtempSync(join(tmpdir(), "vault-tuner-spool-"));
    const direct = new ScriptedClient(filesystemServer(vault));
    await scriptedSession(direct);
    const tapped = new ScriptedClient([
      process.execPath,
      buildTap(),
      "--spool",
      spool,
      "--daemon",
      "http://127.0.0.1:9",
      "--",
      ...filesystemServer(vault),
    ]);
    await scriptedSession(tapped);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(tapped.bytes().length).toBeGreaterThan(10_000);
    expect(tapped.bytes().equals(direct.bytes())).toBe(true);
    expect(await tapped.close()).toBe(await direct.close());
    expect(tapped.stderr, "the tap's stderr is the server's stderr, nothing added").toBe(direct.stderr);
  });

  it("serves the SDK's own client like the server does", { timeout: 30_000 }, async () => {
    const spool = mkdtempSync(join(tmpdir(), "vault-tuner-spool-"));
    const [command, ...args] = [
      process.execPath,
      buildTap(),
      "--spool",
      spool,
      "--daemon",
      "http://127.0.0.1:9",
      "--",
      ...filesystemServer(vault),
    ];
    const client = new Client({ name: "sdk-client", version: "1.0.0" });
    await client.connect(new StdioClientTransport({ command: command as string, args, stderr: "pipe" }));
    const tools = await client.listTools();
    expect(tools.tools.map((tool) => tool.name)).toContain("read_text_file");
    const read = await client.callTool({ name: "read_text_file", arguments: { path: join(vault, "Notes", "a.md") } });
    expect(JSON.stringify(read.content)).toContain("first note");
    await client.close();
  });
});

describe("the tap in front of the reference vault server", () => {
  const cli = fileURLToPath(new URL("../../../daemon/bin/vault-tuner.mjs", import.meta.url));
  const server = [process.execPath, cli, "vault-server", "--vault", vault];
  const context = {
    sessionId: "session_1731000000000_abc123def",
    workspaceId: "default",
    sessionDescription: "Transparency check",
    sessionMemory: "Reading notes through the tap.",
    toolContext: "Read a note",
    primaryGoal: "Compare bytes",
    subgoal: "Call the tool",
  };

  async function vaultSession(client: ScriptedClient): Promise<void> {
    await client.request(1, "initialize", {
      protocolVersion: "2025-06-18",
      capabilities: {},
      clientInfo: { name: "claude-ai", version: "0.9" },
    });
    client.send({ jsonrpc: "2.0", method: "notifications/initialized" });
    await client.request(2, "tools/list", {});
    await client.request(3, "tools/call", {
      name: "contentManager",
      arguments: { context, mode: "readContent", filePath: "Notes/a.md" },
    });
    await client.request(4, "tools/call", {
      name: "contentManager",
      arguments: { context, mode: "readContent", filePath: "Notes/missing.md" },
    });
    await client.request(5, "ping");
    await client.request(6, "tools/call", {
      name: "vaultManager",
      arguments: { context, mode: "listDirectory", path: "Notes" },
    });
    // One write, so the server reads the call and its cancellation together whichever way it is reached.
    client.send(
      {
        jsonrpc: "2.0",
        id: 7,
        method: "tools/call",
        params: { name: "vaultLibrarian", arguments: { context, mode: "searchContent", query: "line" } },
      },
      { jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: 7, reason: "user pressed stop" } },
    );
    await client.request(8, "resources/list", {});
    await client.request(9, "prompts/list", {});
    await client.request(10, "tools/call", { name: "noSuchAgent", arguments: {} });
  }

  it("hands the client exactly the bytes the server wrote", { timeout: 60_000 }, async () => {
    const spool = mkdtempSync(join(tmpdir(), "vault-tuner-spool-"));
    const direct = new ScriptedClient(server);
    await vaultSession(direct);
    const tapped = new ScriptedClient([
      process.execPath,
      buildTap(),
      "--spool",
      spool,
      "--daemon",
      "http://127.0.0.1:9",
      "--",
      ...server,
    ]);
    await vaultSession(tapped);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(tapped.bytes().toString()).toContain("❌ Error: File not found: Notes/missing.md");
    expect(tapped.bytes().equals(direct.bytes())).toBe(true);
    expect(await tapped.close()).toBe(await direct.close());
  });

  it("serves the SDK's client through the tap", { timeout: 60_000 }, async () => {
    const spool = mkdtempSync(join(tmpdir(), "vault-tuner-spool-"));
    const [command, ...args] = [
      process.execPath,
      buildTap(),
      "--spool",
      spool,
      "--daemon",
      "http://127.0.0.1:9",
      "--",
      ...server,
    ];
    const client = new Client({ name: "sdk-client", version: "1.0.0" });
    await client.connect(new StdioClientTransport({ command: command as string, args, stderr: "pipe" }));
    expect((await client.listTools()).tools.map((tool) => tool.name)).toContain("contentManager");
    const read = await client.callTool({
      name: "contentManager",
      arguments: { context, mode: "readContent", filePath: "Notes/a.md" },
    });
    expect(JSON.stringify(read.content)).toContain("first note");
    await client.close();
  });
});
