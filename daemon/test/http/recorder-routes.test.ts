import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestDaemon, type TestDaemon } from "../daemon-harness";

/** The recorder installer over HTTP (what the plugin's install command calls): refusals say what and where. */
let daemon: TestDaemon;
let home: string;
beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), "vt-recorder-routes-"));
  daemon = await startTestDaemon();
});
afterAll(() => daemon.stop());

describe("POST /v1/recorder/install and /uninstall", () => {
  it("refuse a relative vault, a tap that is not tap.cjs or not there, a missing config and a vault the config does not know", async () => {
    const vault = join(home, "Notes");
    const config = join(home, "claude_desktop_config.json");
    const relative = await daemon.call("POST", "/v1/recorder/install", {
      body: { vault: "Notes", configPath: config },
    });
    expect([relative.status, relative.body.error.message]).toEqual([
      400,
      "the vault must be an absolute folder path, not Notes",
    ]);
    const notTap = await daemon.call("POST", "/v1/recorder/install", {
      body: { vault, configPath: config, tap: "/usr/bin/python3" },
    });
    expect(notTap.status).toBe(400);
    expect(JSON.stringify(notTap.body)).toContain("the tap is a file named tap.cjs");
    const missingTap = await daemon.call("POST", "/v1/recorder/install", {
      body: { vault, configPath: config, tap: join(home, "tap.cjs") },
    });
    expect([missingTap.status, missingTap.body.error.message]).toEqual([400, `no tap at ${join(home, "tap.cjs")}`]);
    writeFileSync(join(home, "tap.cjs"), "// tap\n");
    const noConfig = await daemon.call("POST", "/v1/recorder/install", {
      body: { vault, configPath: config, tap: join(home, "tap.cjs") },
    });
    expect([noConfig.status, noConfig.body.error.code]).toEqual([409, "client-config"]);
    expect(noConfig.body.error.message).toContain(`no client config at ${config}`);
    // A folder where the config should be is the user's mistake to fix, not the daemon's failure.
    const folder = await daemon.call("POST", "/v1/recorder/install", {
      body: { vault, configPath: home, tap: join(home, "tap.cjs") },
    });
    expect([folder.status, folder.body.error.code]).toEqual([409, "client-config"]);
    expect(folder.body.error.message).toMatch(/cannot read the client config .*EISDIR/);
    mkdirSync(vault);
    const text = `${JSON.stringify({ mcpServers: { other: { command: "node", args: ["/elsewhere/server.js"] } } })}\n`;
    writeFileSync(config, text);
    const unknown = await daemon.call("POST", "/v1/recorder/uninstall", { body: { vault, configPath: config } });
    expect(unknown.status).toBe(409);
    expect(readFileSync(config, "utf8")).toBe(text);
  });
});
