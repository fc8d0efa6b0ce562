import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTrace, startTestDaemon, type TestDaemon } from "../../../daemon/test/daemon-harness";
import { finishedJob } from "../../../daemon/test/jobs/job-fixtures";
import { buildPlugin, launchChromium, loadedPlugin, runCommand } from "./harness";

/** The plugin's commands in Chromium against a real daemon: the tap on load, the recorder, a dataset, training with its confirmation, cancel. */
let browser: Browser;
let mainJs: string;
let daemon: TestDaemon;
let home: string;
let vault: string;
let configFile: string;
let configText: string;

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), "vt-commands-"));
  vault = join(home, "Work Notes");
  // The daemon runs in this process: Claude Desktop's config is looked for under XDG_CONFIG_HOME on Linux.
  process.env.XDG_CONFIG_HOME = join(home, "config");
  configFile = join(home, "config", "Claude", "claude_desktop_config.json");
  mkdirSync(dirname(configFile), { recursive: true });
  const connector = join(vault, ".obsidian", "plugins", "claudesidian-mcp", "connector.js");
  configText = `${JSON.stringify({ mcpServers: { "claudesidian-mcp-work-notes": { command: "node", args: [connector] } } }, null, 2)}\n`;
  writeFileSync(configFile, configText);
  mainJs = buildPlugin();
  browser = await launchChromium();
  daemon = await startTestDaemon({ dataDir: join(home, "data") });
  const traces = Array.from({ length: 12 }, (_, index) =>
    makeTrace({ id: `t${index}`, session: `session-${index % 6}` }),
  );
  await daemon.call("POST", "/v1/traces", { body: { traces } });
  for (const [index, trace] of traces.entries())
    await daemon.call("PUT", `/v1/traces/${trace.id}/label`, {
      body: { label: index % 3 === 0 ? "undesirable" : "desirable" },
    });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await daemon?.stop();
});

const loaded = (): Promise<Page> => loadedPlugin(browser, mainJs, daemon, { vault });

const notices = (page: Page): Promise<string[]> => page.evaluate(() => (globalThis as any).obsidianShim.notices);
const lastNotice = async (page: Page) => (await notices(page)).at(-1);

describe("the plugin's commands", () => {
  it("writes its tap next to itself on load, and installs and uninstalls the recorder with it", async () => {
    const page = await loaded();
    const tap = join(vault, ".obsidian", "plugins", "vault-tuner", "tap.cjs");
    expect(await page.evaluate(() => (globalThis as any).plugin.services.tapPath())).toBe(tap);
    expect(readFileSync(tap, "utf8")).toBe(readFileSync(join(dirname(mainJs), "tap.cjs"), "utf8"));

    await runCommand(page, "install-recorder");
    await expect
      .poll(() => lastNotice(page))
      .toMatch(/^Recording claudesidian-mcp-work-notes: restart Claude Desktop to start\./);
    const entry = JSON.parse(readFileSync(configFile, "utf8")).mcpServers["claudesidian-mcp-work-notes"];
    expect(entry.args[0]).toBe(tap);
    // The tap finds the daemon from the address it writes beside its token, wherever it listens next time.
    expect(entry.args).not.toContain("--daemon");
    expect(entry.args[entry.args.indexOf("--token-file") + 1]).toBe(join(daemon.dataDir, "token"));
    expect(await page.evaluate(() => (globalThis as any).obsidianShim.app.savedData.recording)).toBe(true);

    await runCommand(page, "uninstall-recorder");
    await expect
      .poll(() => lastNotice(page))
      .toBe("claudesidian-mcp-work-notes no longer records: restart Claude Desktop.");
    expect(readFileSync(configFile, "utf8")).toBe(configText);
    expect(await page.evaluate(() => (globalThis as any).obsidianShim.app.savedData.recording)).toBe(false);
  });

  it("builds a dataset from the labelled calls, asks before training, and says why the daemon will not train on this machine", async () => {
    const page = await loaded();
    await runCommand(page, "build-dataset");
    await expect
      .poll(() => lastNotice(page), { timeout: 30_000 })
      .toMatch(
        /^Dataset vault-\d{8}-\d{6} built: \d+ good and \d+ bad examples to train on, \d+ held out for evaluation\.$/,
      );
    const built = (await daemon.call("GET", "/v1/datasets")).body.items;
    expect(built).toHaveLength(1);
    expect(built[0].sources.traces.records).toBe(12);
    expect(await notices(page)).toContain(`Building dataset ${built[0].name}…`);

    // Cancelled at the question: nothing runs.
    await runCommand(page, "start-training");
    await expect.poll(() => page.locator(".modal-title").textContent()).toBe("Start training?");
    expect(await page.locator(".modal-content").textContent()).toContain(`Dataset: ${built[0].name} (`);
    expect(await page.locator(".modal-content").textContent()).toContain("Machine: CPU only");
    expect(await page.locator(".modal-content").textContent()).toContain("Model: the preset's.");
    await page.getByRole("button", { name: "Cancel" }).click();
    expect((await daemon.call("GET", "/v1/jobs")).body.items).toEqual([]);

    // This machine has no GPU: the daemon refuses the job and the user reads why.
    await runCommand(page, "start-training");
    await page.getByRole("button", { name: "Start training" }).click();
    await expect
      .poll(() => lastNotice(page))
      .toMatch(/^Vault Tuner could not start training: invalid body: this machine has no GPU to train on/);
    expect((await daemon.call("GET", "/v1/jobs")).body.items).toEqual([]);
  });

  it("cancels the running job and says so", async () => {
    const page = await loaded();
    const dataset = (await daemon.call("GET", "/v1/datasets")).body.items[0].name;
    const started = await daemon.call("POST", "/v1/jobs", {
      body: { kind: "pipeline", dataset, train: { recipe: "tiny", model: join(home, "no-model-here"), device: "cpu" } },
    });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    await runCommand(page, "cancel-running-job");
    const finished = await finishedJob(daemon, started.body.id, 60_000);
    expect(finished.state).toBe("cancelled");
    expect(await notices(page)).toContainEqual(
      expect.stringMatching(
        new RegExp(`^Vault Tuner: the pipeline job ${started.body.id} is (cancelled|stopping)\\.$`),
      ),
    );
    await runCommand(page, "cancel-running-job");
    await expect.poll(() => lastNotice(page)).toBe("Vault Tuner is not running any job.");
  });
});
