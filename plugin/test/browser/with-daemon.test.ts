import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTrace, startTestDaemon, type TestDaemon } from "../../../daemon/test/daemon-harness";
import { buildPlugin, launchChromium, loadedPlugin, showSettingTab } from "./harness";

/** The plugin in Chromium talking to a real daemon: the settings tab's connection test and the label commands. */
let browser: Browser;
let mainJs: string;
let daemon: TestDaemon;
beforeAll(async () => {
  mainJs = buildPlugin();
  browser = await launchChromium();
  daemon = await startTestDaemon();
  await daemon.call("POST", "/v1/traces", {
    body: {
      traces: [
        makeTrace({ id: "older", recordedAt: "2026-11-28T09:00:00.000Z" }),
        makeTrace({ id: "newest", recordedAt: "2026-11-28T10:00:00.000Z" }),
      ],
    },
  });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await daemon?.stop();
});

const loaded = (token = daemon.token, savedData?: unknown) =>
  loadedPlugin(browser, mainJs, daemon, { token, savedData });

describe("the plugin with a real daemon", () => {
  it("tests the connection from the settings tab, with the token masked", async () => {
    const page = await loaded();
    await showSettingTab(page);
    expect(await page.locator("input[type=password]").inputValue()).toBe(daemon.token);
    await page.getByRole("button", { name: "Test connection" }).click();
    await expect
      .poll(() => page.locator(".vault-tuner-connection").textContent())
      .toMatch(/^Connected to Vault Tuner \d+\.\d+\.\d+: /);

    const wrong = await loaded("not-the-token");
    await showSettingTab(wrong);
    await wrong.getByRole("button", { name: "Test connection" }).click();
    await expect
      .poll(() => wrong.locator(".vault-tuner-connection").textContent())
      .toContain("Not connected: the daemon refused the token");
  });

  it("labels the newest recorded call from the command, and the daemon has it", async () => {
    const page = await loaded();
    await page.evaluate(() =>
      (globalThis as any).plugin.commands
        .find((command: { id: string }) => command.id === "label-last-call-bad")
        .callback(),
    );
    await expect
      .poll(() => page.evaluate(() => (globalThis as any).obsidianShim.notices.at(-1)))
      .toMatch(/^Marked contentManager · readContent bad \(filePath: Meetings\/standup-\d+\.md\)\.$/);
    expect((await daemon.call("GET", "/v1/traces/newest")).body).toMatchObject({
      label: "undesirable",
      history: [{ label: "undesirable" }],
    });
    expect((await daemon.call("GET", "/v1/traces/older")).body.label).toBe("unlabeled");
  });

  it("sends the labels kept while the daemon was down as soon as it loads, once, and the status bar says so", async () => {
    const page = await loaded(daemon.token, {
      version: 1,
      labelQueue: [
        { traceId: "older", body: { label: "desirable", note: "made offline" }, queuedAt: "2026-11-28T11:00:00.000Z" },
      ],
    });
    await expect.poll(() => page.locator(".status-bar-item").textContent()).toBe("Vault Tuner");
    expect(await page.evaluate(() => (globalThis as any).plugin.services.labels.pending.length)).toBe(0);
    expect((await daemon.call("GET", "/v1/traces/older")).body).toMatchObject({
      label: "desirable",
      note: "made offline",
      history: [{ label: "desirable" }],
    });
    expect(await page.evaluate(() => (globalThis as any).obsidianShim.app.savedData.labelQueue)).toEqual([]);
  });
});
