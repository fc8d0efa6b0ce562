import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestDaemon, type TestDaemon } from "../../../daemon/test/daemon-harness";
import { finishedJob, makeTinyModel } from "../../../daemon/test/jobs/job-fixtures";
import { readReport, reportsDir, saveToDataDir } from "../../../daemon/src/evals/report-store";
import { buildPlugin, launchChromium, loadedPlugin, runCommand, saveScreenshot } from "./harness";

/**
 * The eval panel in Chromium against a real daemon that really trained (KTO, a tiny model), exported,
 * evaluated and deployed a model: the stored run with its checks, tools and training curves, a second
 * run started from the panel with live progress, the comparison of the two, and the report note.
 */
let browser: Browser;
let mainJs: string;
let daemon: TestDaemon;
let work: string;
let pipeline: any;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "vt-eval-panel-"));
  mainJs = buildPlugin();
  browser = await launchChromium();
  daemon = await startTestDaemon({ dataDir: join(work, "data") });
  // Two quick cases, so a run started from the panel ends in seconds on a CPU.
  const irrelevance = JSON.parse(
    readFileSync(join(import.meta.dirname, "..", "..", "..", "datasets", "eval", "irrelevance.json"), "utf8"),
  );
  const quick = {
    ...irrelevance,
    id: "quick",
    title: "Quick: two requests that need no tool",
    cases: irrelevance.cases.slice(0, 2).map((item: any) => ({ ...item, turnLimit: 1 })),
  };
  mkdirSync(join(work, "data", "evals", "sets"), { recursive: true });
  writeFileSync(join(work, "data", "evals", "sets", "quick.json"), JSON.stringify(quick));
  const model = await makeTinyModel(join(work, "tiny"));
  const created = await daemon.call("POST", "/v1/jobs", {
    body: {
      kind: "pipeline",
      build: {
        name: "panel",
        sources: { files: ["sources/starter-claudesidian-3.jsonl"] },
        holdout: 0.1,
        mutations: { perRecord: 1 },
      },
      train: { mode: "kto", recipe: "tiny", model, maxSteps: 8, device: "cpu" },
      export: { quant: ["q8_0"] },
      evaluate: { set: "quick", maxTokens: 16 },
      deploy: { target: "embedded", file: "q8_0" },
    },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  pipeline = await finishedJob(daemon, created.body.id, 480_000);
  expect(pipeline.state, JSON.stringify(pipeline.error)).toBe("succeeded");
}, 600_000);
afterAll(async () => {
  await browser?.close();
  await daemon?.stop();
  rmSync(work, { recursive: true, force: true });
});

async function openPanel(): Promise<Page> {
  const page = await loadedPlugin(browser, mainJs, daemon, { viewport: { width: 720, height: 1500 } });
  await runCommand(page, "open-eval-panel");
  await expect.poll(() => page.locator(".vault-tuner-eval-runs tr[data-run-id]").count()).toBeGreaterThan(0);
  return page;
}

describe("the eval panel", () => {
  it("shows the stored run's checks and tools, and the training curves of the job that made the model", async () => {
    const page = await openPanel();
    const run = (await daemon.call("GET", `/v1/evals/${pipeline.artefacts.evaluate}`)).body;
    expect(await page.locator(".vault-tuner-eval-headline").textContent()).toContain(
      `${run.summary.passed} of ${run.summary.total} passed`,
    );
    const checks = await page.locator(".vault-tuner-rates").first().locator("tr td:first-child").allTextContents();
    expect(checks).toEqual(Object.keys(run.summary.by_check));
    // KTO logs loss, both rewards and KL at every step: three charts, the rewards chart with two lines.
    await expect.poll(() => page.locator(".vault-tuner-chart").count()).toBe(3);
    expect(await page.locator(".vault-tuner-chart-title").allTextContents()).toEqual(["Loss", "Rewards", "KL"]);
    expect(await page.locator(".vault-tuner-chart").nth(1).locator("polyline").count()).toBe(2);
    const metrics = (await daemon.call("GET", `/v1/jobs/${pipeline.artefacts.train}/metrics`)).body;
    const steps = metrics.items.filter((item: any) => item.event === "step");
    expect(steps.map((item: any) => item.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const lossPoints = (
      await page.locator(".vault-tuner-chart").first().locator("polyline").getAttribute("points")
    )?.split(" ");
    expect(lossPoints).toHaveLength(steps.length);
    expect(await page.locator(".vault-tuner-curves .setting-item-description").textContent()).toBe(
      `Training job ${pipeline.artefacts.train}, 8 steps.`,
    );
  });

  it("runs an evaluation from the panel with live progress, compares it with the first, and writes the report note", async () => {
    const page = await openPanel();
    const model = page.getByRole("combobox", { name: "Model" });
    expect(await model.locator("option").first().textContent()).toMatch(/^Served by the daemon: .*q8_0.*\.gguf$/);
    await page.getByRole("combobox", { name: "Prompt set" }).selectOption("quick");
    await page.getByRole("button", { name: "Run evaluation" }).click();
    await expect
      .poll(() => page.locator(".vault-tuner-eval-progress").textContent())
      .toMatch(/of 2 cases|starting|queued/);
    await expect
      .poll(() => page.locator(".vault-tuner-eval-runs tr[data-run-id]").count(), { timeout: 240_000 })
      .toBe(2);
    await expect
      .poll(() => page.evaluate(() => (globalThis as any).obsidianShim.notices.at(-1)))
      .toBe("Vault Tuner evaluation finished.");
    const runs = (await daemon.call("GET", "/v1/evals")).body.items;
    expect(runs).toHaveLength(2);

    await page.getByRole("button", { name: "Compare" }).click();
    await expect
      .poll(() => page.locator(".vault-tuner-comparison-headline").textContent())
      .toMatch(/over 2 paired cases: \d better, \d worse, (not )?significant/);
    const sideBySide = await page.locator(".vault-tuner-side-by-side tr td:first-child").allTextContents();
    expect(sideBySide).toEqual(Object.keys(runs[0].summary.by_check));

    await page.getByRole("button", { name: "Open the report note" }).click();
    await expect.poll(() => page.evaluate(() => (globalThis as any).obsidianShim.app.opened)).toHaveLength(1);
    const opened = await page.evaluate(() => {
      const app = (globalThis as any).obsidianShim.app;
      return { path: app.opened[0], text: app.vault.files.get(app.opened[0]).text };
    });
    const selected = await page.locator(".vault-tuner-eval-runs tr.is-selected").getAttribute("data-run-id");
    expect(opened.path).toBe(`Vault Tuner/Evaluations/${selected}.md`);
    const note = await fetch(`${daemon.url}/v1/evals/${selected}/note`, {
      headers: { authorization: `Bearer ${daemon.token}` },
    });
    expect(opened.text).toBe(await note.text());
    expect(opened.text).toMatch(/^# Evaluation /);
    await saveScreenshot(page, "eval-panel");
  });

  it("deploys the last trained model from the command, with its progress and the end in Notices", async () => {
    const page = await openPanel();
    await runCommand(page, "deploy-last-model");
    const notices = () => page.evaluate(() => (globalThis as any).obsidianShim.notices as string[]);
    // The file the export's quantization check recommended (Q8_0 when it kept the training, else the 16-bit file).
    const recommended = (await daemon.call("GET", "/v1/models")).body.items[0].exports[0].recommended;
    expect(["q8_0", "f16"]).toContain(recommended);
    const name = (await daemon.call("GET", "/v1/models")).body.items[0].name;
    expect(name).toMatch(/^tiny · KTO · panel · \d+ labels · \d{4}-\d{2}-\d{2}$/);
    await expect.poll(notices, { timeout: 60_000 }).toContain(`Deploying ${name} (${recommended}) finished.`);
    const models = (await daemon.call("GET", "/v1/models")).body;
    expect(models.items[0].deployments).toHaveLength(2);
    expect(models.items[0].deployments[0]).toMatchObject({ current: true, target: "embedded" });
    expect(models.serving.jobId).toBe(models.items[0].deployments[0].jobId);
  });

  it("draws the pass rate by labelled rows from every run whose report says what trained the model", async () => {
    // The pipeline's run knows its model's training; an earlier model on fewer labels is its report with
    // fewer labelled rows and another pass rate (training a second model here would add minutes).
    const run = readReport(join(reportsDir(daemon.dataDir), pipeline.artefacts.evaluate, "report.json"));
    const labels = run.metadata.training?.labels as number;
    expect(labels).toBeGreaterThan(1);
    const earlier = {
      ...run,
      metadata: {
        ...run.metadata,
        id: "earlier-model",
        created_at: "2026-01-01T00:00:00.000Z",
        training: { labels: Math.floor(labels / 2), file: "q8_0" },
      },
      summary: { ...run.summary, passed: 0, pass_rate: 0, pass_rate_ci95: [0, 0.658] as [number, number] },
    };
    saveToDataDir(earlier, daemon.dataDir);
    const page = await openPanel();
    await page.locator(`.vault-tuner-eval-runs tr[data-run-id="${pipeline.artefacts.evaluate}"]`).click();
    await expect
      .poll(() => page.locator(".vault-tuner-chart-title").first().textContent())
      .toBe("Quick: two requests that need no tool: pass rate and its 95% interval by labelled rows");
    const curve = page.locator(".vault-tuner-chart").first();
    expect(await curve.locator("circle").count()).toBe(2);
    expect(await curve.locator("line.vault-tuner-whisker").count()).toBe(2);
    // One point per label count, the newest run of it: the run started from the panel replaced the pipeline's.
    const newest = (await daemon.call("GET", "/v1/evals")).body.items
      .filter((item: any) => item.metadata.training?.labels === labels)
      .sort((a: any, b: any) => b.metadata.created_at.localeCompare(a.metadata.created_at))[0];
    const rows = await page
      .locator(".vault-tuner-label-curve tr[data-run-id]")
      .evaluateAll((items) =>
        items.map((row) => [
          row.getAttribute("data-run-id"),
          ...Array.from(row.querySelectorAll("td"), (cell) => cell.textContent),
        ]),
      );
    expect(rows).toEqual([
      ["earlier-model", String(Math.floor(labels / 2)), "0.0%", "0.0% to 65.8%", "q8_0"],
      [
        newest.metadata.id,
        String(labels),
        expect.stringMatching(/%$/),
        expect.stringMatching(/% to .*%$/),
        expect.stringMatching(/^(q8_0|f16)$/),
      ],
    ]);
    await saveScreenshot(page, "eval-panel-label-curve");
  });
});
