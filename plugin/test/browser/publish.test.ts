import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestDaemon, type TestDaemon } from "../../../daemon/test/daemon-harness";
import { type HubStandin, seedPublishableModels, startHubStandin } from "../../../daemon/test/publish/publish-fixture";
import { buildPlugin, launchChromium, loadedPlugin, runCommand, saveScreenshot } from "./harness";

/**
 * "Publish a model to Hugging Face" in Chromium: the form, the confirmation that lists what leaves, and the
 * upload through a real daemon whose publish job sends the files to the Hub stand-in on 127.0.0.1.
 */
let browser: Browser;
let mainJs: string;
let work: string;
let hub: HubStandin;
let daemon: TestDaemon;
let model: string;
let unexported: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "vt-plugin-publish-"));
  hub = await startHubStandin(work);
  ({ model, unexported } = seedPublishableModels(join(work, "data")));
  daemon = await startTestDaemon({ dataDir: join(work, "data") });
  mainJs = buildPlugin();
  browser = await launchChromium();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await daemon?.stop();
  hub?.stop();
  rmSync(work, { recursive: true, force: true });
});

const notices = (page: Page): Promise<string[]> => page.evaluate(() => (globalThis as any).obsidianShim.notices);
const modalText = (page: Page) => page.locator(".modal-content").last().textContent();

/** Opens the form and fills it in: the model, the repository; everything else as the form offers it. */
async function fillForm(page: Page, chosen: string, repo: string, before?: () => Promise<void>): Promise<void> {
  await runCommand(page, "publish-model");
  await expect.poll(() => page.locator(".modal-title").textContent()).toBe("Publish a model to Hugging Face");
  await before?.();
  await page.locator(".modal select").selectOption(chosen);
  await page.locator(".modal input[type=text]").fill(repo);
  await page.getByRole("button", { name: "Review files" }).click();
}

describe("the publish command", () => {
  it("lists every file that would leave, sends nothing on Cancel, and uploads exactly that list on Publish", async () => {
    const page = await loadedPlugin(browser, mainJs, daemon);
    await fillForm(page, model, "alice/vault-notes", async () => {
      // Private, the adapter and the GGUF files, no dataset: what the form offers before the user touches it.
      const boxes = page.locator(".modal input[type=checkbox]");
      expect(await boxes.evaluateAll((all) => all.map((box) => (box as HTMLInputElement).checked))).toEqual([
        true,
        true,
        false,
        true,
        false,
      ]);
    });
    await expect.poll(() => page.locator(".modal-title").last().textContent()).toBe("Publish to alice/vault-notes?");
    const listed = await modalText(page);
    expect(listed).toMatch(/5 files, 1\.5\d? MB, to a private repository:/);
    for (const line of [
      "README.md (card, ",
      "adapter_config.json (adapter,",
      "adapter_model.safetensors (adapter, 40.0 KB)",
      "model-q4_k_m.gguf (q4_k_m, 1.5 MB)",
      "adapter-f16.gguf (adapter-gguf, 5.0 KB)",
      "No recorded call text leaves this machine",
    ])
      expect(listed).toContain(line);
    await saveScreenshot(page, "publish-confirmation");
    await page.getByRole("button", { name: "Cancel" }).click();
    expect(await hub.state()).toEqual({});
    const publishJobs = async () =>
      (await daemon.call("GET", "/v1/jobs")).body.items.filter((job: { kind: string }) => job.kind === "publish");
    expect(await publishJobs()).toEqual([]);

    // The form remembers the repository; this time the user publishes.
    await runCommand(page, "publish-model");
    await expect.poll(() => page.locator(".modal input[type=text]").inputValue()).toBe("alice/vault-notes");
    await page.locator(".modal select").selectOption(model);
    await page.getByRole("button", { name: "Review files" }).click();
    await page.getByRole("button", { name: "Publish" }).click();
    await expect
      .poll(() => notices(page), { timeout: 120_000 })
      .toContain(`Published: ${hub.endpoint}/alice/vault-notes`);
    expect(await notices(page)).toContain("Publishing to alice/vault-notes finished.");
    expect(await notices(page)).toContainEqual(
      expect.stringMatching(/^Publishing to alice\/vault-notes: (started|queued)/),
    );
    const repo = (await hub.state())["alice/vault-notes"];
    expect(repo.private).toBe(true);
    expect(await publishJobs()).toHaveLength(1);
    expect(Object.keys(repo.files).sort()).toEqual([
      "README.md",
      "adapter-f16.gguf",
      "adapter_config.json",
      "adapter_model.safetensors",
      "model-q4_k_m.gguf",
    ]);
  }, 180_000);

  it("says why a model without an export cannot send GGUF files, before anything is asked", async () => {
    const page = await loadedPlugin(browser, mainJs, daemon);
    await fillForm(page, unexported, "alice/other");
    await expect
      .poll(() => notices(page))
      .toContainEqual(expect.stringMatching(/^Vault Tuner cannot publish: .*has no export yet/));
    expect(await page.locator(".modal-title").count()).toBe(0);
    expect((await hub.state())["alice/other"]).toBeUndefined();
  });
});
