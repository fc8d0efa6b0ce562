import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildPlugin, launchChromium, pluginPage } from "./harness";

/** The built main.js in real Chromium, with the small Obsidian shim: the ground the plugin's browser tests stand on. */
let browser: Browser;
let mainJs: string;
beforeAll(async () => {
  mainJs = buildPlugin();
  browser = await launchChromium();
}, 120_000);
afterAll(() => browser?.close());

describe("the plugin in Chromium", () => {
  it("loads: its commands are registered, its settings read, its label queue started", async () => {
    const page = await pluginPage(browser, mainJs);
    const loaded = await page.evaluate(async () => {
      const plugin = (globalThis as any).plugin;
      await plugin.onload();
      return {
        commands: plugin.commands.map((command: { id: string }) => command.id),
        settings: plugin.services.settings.current(),
        intervals: plugin.intervals.length,
        device: plugin.services.device.current(),
      };
    });
    expect(loaded.commands).toContain("validate-active-dataset");
    expect(loaded.settings).toMatchObject({ version: 1, recording: false, labelQueue: [] });
    expect(loaded.intervals).toBe(1);
    expect(loaded.device).toEqual({ daemonUrl: "http://127.0.0.1:51717", token: "" });
  });

  it("keeps the queued labels it can read from saved data and says what it dropped", async () => {
    const page = await pluginPage(browser, mainJs, {
      version: 1,
      labelQueue: [{ traceId: "t1", body: { label: "desirable" }, queuedAt: "2026-11-28T10:00:00Z" }, { traceId: "" }],
    });
    const state = await page.evaluate(async () => {
      const plugin = (globalThis as any).plugin;
      await plugin.onload();
      return {
        queued: plugin.services.labels.pending.map((item: { traceId: string }) => item.traceId),
        notices: (globalThis as any).obsidianShim.notices,
      };
    });
    expect(state.queued).toEqual(["t1"]);
    await expect
      .poll(() => page.locator(".status-bar-item").textContent())
      .toBe("Vault Tuner: daemon offline · 1 label waiting");
    expect(state.notices).toEqual([expect.stringContaining("queued label 2 could not be read and was dropped")]);
  });
});
