import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../../../daemon/test/run-cli";
import { buildTap, ScriptedClient } from "./tap-harness";

/** A stand-in for the plugin's connector.js: CommonJS, answers initialize like an MCP server. */
const CONNECTOR = `const rl = require("node:readline").createInterface({ input: process.stdin });
rl.on("line", (line) => {
  const m = JSON.parse(line);
  if (m.method === "initialize") process.stdout.write(JSON.stringify({ jsonrpc: "2.0", id: m.id, result: { protocolVersion: "2025-06-18", capabilities: { tools: {} }, serverInfo: { name: "nexus-my-notes", version: "5.17.2" } } }) + "\\n");
});
`;

function setup() {
  const home = mkdtempSync(join(tmpdir(), "vault-tuner-install-"));
  const vault = join(home, "My Notes!");
  const connector = join(vault, ".obsidian", "plugins", "nexus", "connector.js");
  mkdirSync(join(vault, ".obsidian", "plugins", "nexus"), { recursive: true });
  writeFileSync(connector, CONNECTOR);
  const config = join(home, "claude_desktop_config.json");
  const original = {
    mcpServers: {
      filesystem: { command: "npx", args: ["-y", "@modelcontextprotocol/server-filesystem", "/tmp"] },
      "nexus-my-notes": {
        command: process.execPath,
        args: [connector],
        env: { NODE_OPTIONS: "--max-old-space-size=512" },
      },
    },
    globalShortcut: "Ctrl+Space",
  };
  const text = `${JSON.stringify(original, null, 4)}\n`;
  writeFileSync(config, text, { mode: 0o600 });
  const dataDir = join(home, "data");
  return {
    home,
    vault,
    config,
    text,
    original,
    dataDir,
    common: ["--vault", vault, "--config", config, "--data-dir", dataDir],
  };
}

describe("recorder install / uninstall", () => {
  it("puts the tap in front of the vault's entry only, and the client can still start the server", {
    timeout: 30_000,
  }, async () => {
    const s = setup();
    const tap = buildTap();
    const install = await runCli(["recorder", "install", ...s.common, "--tap", tap]);
    expect(install.code, install.stderr).toBe(0);
    expect(install.stdout).toContain("nexus-my-notes");
    const config = JSON.parse(readFileSync(s.config, "utf8"));
    expect(config.mcpServers.filesystem).toEqual(s.original.mcpServers.filesystem);
    expect(config.globalShortcut).toBe("Ctrl+Space");
    const entry = config.mcpServers["nexus-my-notes"];
    expect(entry.command).toBe(process.execPath);
    expect(entry.env).toEqual(s.original.mcpServers["nexus-my-notes"].env);
    expect(entry.args[0]).toBe(tap);
    expect(entry.args.slice(entry.args.indexOf("--") + 1)).toEqual([
      process.execPath,
      ...s.original.mcpServers["nexus-my-notes"].args,
    ]);
    expect(readFileSync(`${s.config}.vault-tuner-backup`, "utf8")).toBe(s.text);
    expect(readFileSync(s.config, "utf8")).toMatch(/^\{\n {4}"mcpServers"/);
    expect(statSync(s.config).mode & 0o777, "a private config stays private").toBe(0o600);
    expect(statSync(join(s.dataDir, "recorder-installs.json")).mode & 0o777).toBe(0o600);

    // Start the server the way Claude Desktop would from the rewritten entry.
    const client = new ScriptedClient([entry.command, ...entry.args]);
    const reply = await client.request(1, "initialize", {
      protocolVersion: "2025-06-18",
      capabilities: {},
      clientInfo: { name: "claude-ai", version: "1" },
    });
    expect(reply.result.serverInfo.name).toBe("nexus-my-notes");
    expect(await client.close()).toBe(0);

    const again = await runCli(["recorder", "install", ...s.common, "--tap", tap]);
    expect(again.stdout).toContain("already records");
    expect(JSON.parse(readFileSync(s.config, "utf8"))).toEqual(config);

    const uninstall = await runCli(["recorder", "uninstall", ...s.common]);
    expect(uninstall.code).toBe(0);
    expect(readFileSync(s.config, "utf8"), "the file comes back byte for byte").toBe(s.text);
    expect((await runCli(["recorder", "uninstall", ...s.common])).stdout).toContain("was not recording");
  });

  it("builds the tap into the data dir when none is given", { timeout: 30_000 }, async () => {
    const s = setup();
    expect((await runCli(["recorder", "install", ...s.common])).code).toBe(0);
    expect(existsSync(join(s.dataDir, "tap.cjs"))).toBe(true);
    expect(JSON.parse(readFileSync(s.config, "utf8")).mcpServers["nexus-my-notes"].args[0]).toBe(
      join(s.dataDir, "tap.cjs"),
    );
  });

  it("keeps changes the user made after install when uninstalling", async () => {
    const s = setup();
    await runCli(["recorder", "install", ...s.common, "--tap", buildTap()]);
    const edited = JSON.parse(readFileSync(s.config, "utf8"));
    edited.mcpServers.weather = { command: "weather-mcp" };
    writeFileSync(s.config, JSON.stringify(edited, null, 4));
    expect((await runCli(["recorder", "uninstall", ...s.common])).code).toBe(0);
    const after = JSON.parse(readFileSync(s.config, "utf8"));
    expect(after.mcpServers.weather).toEqual({ command: "weather-mcp" });
    expect(after.mcpServers["nexus-my-notes"]).toEqual(s.original.mcpServers["nexus-my-notes"]);
  });

  it("changes no byte outside the vault's entry, however the user formatted the rest", async () => {
    const s = setup();
    const entry = JSON.stringify(s.original.mcpServers["nexus-my-notes"]);
    // Hand-formatted: one-line arrays, a tab, no final newline; what JSON.stringify would never write.
    const text = `{\n  "mcpServers": {\n    "filesystem": { "command": "npx", "args": ["hi"] },\n\t"nexus-my-notes": ${entry}\n  },\n  "globalShortcut":"Ctrl+Space"\n}`;
    writeFileSync(s.config, text);
    expect((await runCli(["recorder", "install", ...s.common, "--tap", buildTap()])).code).toBe(0);
    const installed = readFileSync(s.config, "utf8");
    const start = text.indexOf(entry);
    expect(installed.slice(0, start)).toBe(text.slice(0, start));
    expect(installed.endsWith(text.slice(start + entry.length))).toBe(true);
    expect(JSON.parse(installed).mcpServers["nexus-my-notes"].args[0]).toBe(buildTap());

    // Uninstalling after the user changed something else restores the entry and keeps the rest as it is.
    const edited = installed.replace('"Ctrl+Space"', '"Ctrl+Shift+Space"');
    writeFileSync(s.config, edited);
    expect((await runCli(["recorder", "uninstall", ...s.common])).code).toBe(0);
    const restored = readFileSync(s.config, "utf8");
    expect(restored.slice(0, start)).toBe(text.slice(0, start));
    expect(restored.endsWith('\n  },\n  "globalShortcut":"Ctrl+Shift+Space"\n}')).toBe(true);
    expect(JSON.parse(restored).mcpServers["nexus-my-notes"]).toEqual(s.original.mcpServers["nexus-my-notes"]);
  });

  it("refuses a config that is not JSON or has no entry for the vault, and changes nothing", async () => {
    const s = setup();
    writeFileSync(s.config, '{"mcpServers": {');
    const broken = await runCli(["recorder", "install", ...s.common, "--tap", buildTap()]);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain("is not valid JSON");
    expect(readFileSync(s.config, "utf8")).toBe('{"mcpServers": {');
    const other = { mcpServers: { filesystem: { command: "npx" } } };
    writeFileSync(s.config, JSON.stringify(other));
    const missing = await runCli(["recorder", "install", ...s.common, "--tap", buildTap()]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("nexus-my-notes");
    expect(missing.stderr).toContain("found filesystem");
    expect(JSON.parse(readFileSync(s.config, "utf8"))).toEqual(other);
    expect((await runCli(["recorder", "install", "--config", s.config])).stderr).toContain("--vault DIR is required");
  });
});
