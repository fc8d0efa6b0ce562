import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTrace, startTestDaemon, type TestDaemon } from "../../../daemon/test/daemon-harness";
import { asObsidian, buildPlugin, launchChromium, loadedPlugin, runCommand, saveScreenshot } from "./harness";

/** The review view in Chromium against a real daemon: labels by click and by key, a note, a correction, a session, the live feed. */
let browser: Browser;
let mainJs: string;
let daemon: TestDaemon;

const at = (minute: number) => `2026-11-28T10:${String(minute).padStart(2, "0")}:00.000Z`;
const read = (path: string) =>
  makeTrace({
    id: `read-${path}`,
    recordedAt: at(path.length),
    call: { name: "contentManager", arguments: { ...makeTrace().call.arguments, filePath: path } },
  });

beforeAll(async () => {
  mainJs = buildPlugin();
  browser = await launchChromium();
  daemon = await startTestDaemon();
  const traces = [
    makeTrace({ id: "oldest", recordedAt: at(1), truncated: true }),
    makeTrace({
      id: "wrong-folder",
      recordedAt: at(2),
      call: {
        name: "vaultManager",
        arguments: { ...makeTrace().call.arguments, mode: "listDirectory", filePath: undefined, path: "Meeting" },
      },
    }),
    makeTrace({
      id: "failed-read",
      recordedAt: at(3),
      result: { content: [{ type: "text", text: "File not found: Meetings/nope.md" }], isError: true },
    }),
    makeTrace({ id: "other-1", recordedAt: at(4), session: "session-b" }),
    makeTrace({ id: "other-2", recordedAt: at(5), session: "session-b" }),
    makeTrace({ id: "newest", recordedAt: at(6) }),
  ];
  await daemon.call("POST", "/v1/traces", { body: { traces } });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await daemon?.stop();
});

async function openReview(): Promise<Page> {
  const page = await loadedPlugin(browser, mainJs, daemon, { viewport: { width: 560, height: 900 } });
  await runCommand(page, "open-review");
  await expect.poll(() => page.locator(".vault-tuner-feed").textContent()).toBe("live");
  return page;
}

const row = (page: Page, id: string) => page.locator(`.vault-tuner-call[data-trace-id="${id}"]`);
const label = async (id: string) => (await daemon.call("GET", `/v1/traces/${id}`)).body;

describe("the review view", () => {
  it("lists unlabelled calls newest first with their summary, badges and result, and labels them by click and by key", async () => {
    const page = await openReview();
    await expect.poll(() => page.locator(".vault-tuner-call").count()).toBe(6);
    expect(
      await page
        .locator(".vault-tuner-call")
        .evaluateAll((rows) => rows.map((element) => element.getAttribute("data-trace-id"))),
    ).toEqual(["newest", "other-2", "other-1", "failed-read", "wrong-folder", "oldest"]);
    expect(await page.locator(".vault-tuner-count").textContent()).toBe("6 calls: unlabelled");
    expect(await row(page, "wrong-folder").locator(".vault-tuner-tool").textContent()).toBe(
      "vaultManager · listDirectory",
    );
    expect(await row(page, "wrong-folder").locator(".vault-tuner-args").textContent()).toBe("path: Meeting");
    expect(await row(page, "failed-read").locator(".vault-tuner-badge.is-failed").textContent()).toBe("failed");
    expect(await row(page, "oldest").locator(".vault-tuner-badge.is-truncated").textContent()).toBe("cut");
    expect(await row(page, "newest").locator(".vault-tuner-badge.is-truncated").count()).toBe(0);
    await row(page, "failed-read").locator("summary").click();
    expect(await row(page, "failed-read").locator("pre").textContent()).toBe("File not found: Meetings/nope.md");

    await row(page, "newest").getByRole("button", { name: "Thumbs up" }).click();
    await expect.poll(async () => (await label("newest")).label).toBe("desirable");
    expect(await row(page, "newest").locator(".vault-tuner-badge.is-desirable").textContent()).toBe("good");

    // j twice from the top: other-1; d marks it bad.
    await page.locator(".vault-tuner-review").focus();
    await page.keyboard.press("j");
    await page.keyboard.press("j");
    expect(await page.locator(".vault-tuner-call.is-selected").getAttribute("data-trace-id")).toBe("other-1");
    await page.keyboard.press("d");
    await expect.poll(async () => (await label("other-1")).label).toBe("undesirable");
    await page.keyboard.press("k");
    await page.keyboard.press("u");
    await expect.poll(async () => (await label("other-2")).label).toBe("desirable");
    expect(await page.locator(".vault-tuner-message").textContent()).toBe("Saved 1 label.");
  });

  it("writes a note, then a correction checked against the catalog, and a later thumbs keeps the note", async () => {
    const page = await openReview();
    await row(page, "wrong-folder").click();
    await page.keyboard.press("n");
    await page.locator(".vault-tuner-note-text").fill("The folder is Meetings, not Meeting.");
    await page.getByRole("button", { name: "Save note" }).click();
    await expect.poll(async () => (await label("wrong-folder")).note).toBe("The folder is Meetings, not Meeting.");

    await page.keyboard.press("e");
    const args = page.locator(".vault-tuner-correction-args");
    await args.fill('{ "mode": "listDirectory", "path": "Meetings", }');
    expect(await page.locator(".vault-tuner-problems .is-error").first().textContent()).toMatch(
      /^the arguments are not valid JSON: line 1, column \d+/,
    );
    expect(await page.getByRole("button", { name: "Save correction" }).isDisabled()).toBe(true);
    const fixed = { ...(await label("wrong-folder")).trace.call.arguments, path: "Meetings" };
    await args.fill(JSON.stringify(fixed, null, 2));
    expect(await page.locator(".vault-tuner-problems .is-error").count()).toBe(0);
    await saveScreenshot(page, "review-correction");
    await page.getByRole("button", { name: "Save correction" }).click();
    await expect
      .poll(async () => (await label("wrong-folder")).correction)
      .toEqual({ name: "vaultManager", arguments: fixed });
    expect((await label("wrong-folder")).label).toBe("undesirable");
    expect((await label("wrong-folder")).note).toBe("The folder is Meetings, not Meeting.");

    await page.keyboard.press("u");
    await expect.poll(async () => (await label("wrong-folder")).label).toBe("desirable");
    expect(await label("wrong-folder")).toMatchObject({
      note: "The folder is Meetings, not Meeting.",
      correction: null,
    });
  });

  it("labels a whole session, filters, and shows calls recorded while it is open on top", async () => {
    const page = await openReview();
    await row(page, "oldest").click();
    await page.getByRole("button", { name: "Mark session bad" }).click();
    await expect
      .poll(async () => (await daemon.allTraces("&session=session-a")).map((trace) => trace.label).sort())
      .toEqual(["undesirable", "undesirable", "undesirable", "undesirable"]);
    // session-b's calls keep their own labels.
    expect((await label("other-2")).label).toBe("desirable");

    await page.getByRole("combobox", { name: "Label" }).selectOption("");
    await page.getByRole("checkbox", { name: "Failed only" }).check();
    await expect.poll(() => page.locator(".vault-tuner-call").count()).toBe(1);
    expect(await page.locator(".vault-tuner-count").textContent()).toBe("1 call: failed");
    await page.getByRole("checkbox", { name: "Failed only" }).uncheck();
    await expect.poll(() => page.locator(".vault-tuner-call").count()).toBe(6);
    await row(page, "other-1").click();

    await daemon.call("POST", "/v1/traces", { body: { traces: [read("Projects/plan.md"), read("Inbox/today.md")] } });
    await expect.poll(() => page.locator(".vault-tuner-call").count()).toBe(8);
    expect(await page.locator(".vault-tuner-call").first().getAttribute("data-trace-id")).toMatch(/^read-/);
    expect(await page.locator(".vault-tuner-call.is-selected").getAttribute("data-trace-id")).toBe("other-1");
    await saveScreenshot(page, "review-view");
  });

  it("keeps labels while the daemon is away, says so, and they arrive once it is back", async () => {
    const page = await openReview();
    await page.getByRole("combobox", { name: "Label" }).selectOption("");
    await expect.poll(() => page.locator(".vault-tuner-call").count()).toBe(8);
    await page.route(`${daemon.url}/**`, (route) => route.abort("connectionrefused"));
    await row(page, "other-2").getByRole("button", { name: "Thumbs down" }).click();
    await expect
      .poll(() => page.locator(".vault-tuner-queued").textContent())
      .toBe("1 label kept here until the daemon is reachable; they are sent as soon as it is.");
    expect(await page.locator(".vault-tuner-message").textContent()).toMatch(
      /^Kept 1 label here: the daemon is not reachable/,
    );
    expect(
      await page.evaluate(() =>
        (globalThis as any).obsidianShim.app.savedData.labelQueue.map((item: any) => [item.traceId, item.body.label]),
      ),
    ).toEqual([["other-2", "undesirable"]]);
    expect((await label("other-2")).label).toBe("desirable");

    await page.unroute(`${daemon.url}/**`);
    await asObsidian(page, daemon.url);
    await page.evaluate(() => (globalThis as any).plugin.services.labels.flush());
    await expect.poll(async () => (await label("other-2")).label).toBe("undesirable");
    expect((await label("other-2")).history.filter((change: any) => change.label === "undesirable")).toHaveLength(1);
  });
});
