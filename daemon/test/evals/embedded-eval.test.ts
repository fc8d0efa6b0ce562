import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { EvalReportSchema, type EvalReport } from "@vault-tuner/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUILTIN_SETS_DIR, userSetsDir } from "../../src/evals/prompt-sets";
import { ensurePythonEnv, PYTHON_DIR } from "../../src/train/python-env";
import type { TestDaemon } from "../daemon-harness";
import { daemonWithEvents, finishedJob, STARTER } from "../jobs/job-fixtures";
import { runCli } from "../run-cli";

/**
 * A real model answers: a tiny GGUF (made, trained one step and exported here) runs in the embedded
 * backend, its calls run in the sandbox and are scored. Its weights are set so that it always starts a
 * tool call (tiny_model.py --always-call); node-llama-cpp's grammar then writes a schema-valid call
 * with junk values, so the whole path runs: template, grammar, parsing, sandbox, scoring, report.
 */
const CASES = ["contentManager_readContent", "vaultManager_listDirectory", "agentManager_toggleAgent"];

/** Three full-coverage cases, each offering only its own tool, so whatever the grammar writes is that tool's call. */
function writeSubset(dataDir: string): void {
  const set = JSON.parse(readFileSync(join(BUILTIN_SETS_DIR, "full-coverage.json"), "utf8"));
  set.id = "embedded-subset";
  set.cases = set.cases
    .filter((evalCase: any) => CASES.includes(evalCase.id))
    .map((evalCase: any) => ({ ...evalCase, tools: [evalCase.id] }));
  mkdirSync(userSetsDir(dataDir), { recursive: true });
  writeFileSync(join(userSetsDir(dataDir), "embedded-subset.json"), JSON.stringify(set));
}
let work: string;
let gguf: string;
let daemon: TestDaemon;
let stop: () => Promise<void>;
let events: any[];

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "vt-embedded-eval-"));
  const { python } = await ensurePythonEnv();
  await execa(python, [
    join(PYTHON_DIR, "tests", "tiny_model.py"),
    "--dataset",
    STARTER,
    "--out",
    join(work, "tiny"),
    "--always-call",
  ]);
  await execa(
    python,
    [
      "-m",
      "vault_tuner_train",
      "sft",
      "--config",
      "tiny",
      "--dataset",
      STARTER,
      "--model",
      join(work, "tiny"),
      "--output",
      join(work, "run"),
      "--max-steps",
      "1",
      "--device",
      "cpu",
    ],
    { cwd: PYTHON_DIR },
  );
  const exported = await runCli([
    "export",
    "--run",
    join(work, "run"),
    "--output",
    join(work, "gguf"),
    "--dtype",
    "float32",
    "--quant",
    "q8_0",
    "--no-adapter",
  ]);
  if (exported.code !== 0) throw new Error(exported.stderr);
  gguf = join(work, "gguf", "model-q8_0.gguf");
  writeSubset(join(work, "data"));
  ({ daemon, stop, events } = await daemonWithEvents(work));
}, 600_000);

afterAll(async () => {
  await stop?.();
  rmSync(work, { recursive: true, force: true });
});

function checkRealRun(report: EvalReport): void {
  expect(report.metadata.backend).toMatchObject({ kind: "embedded", grammar_constrained: true, temperature: 0 });
  expect(report.records.map((record) => record.case_id)).toEqual(CASES);
  for (const record of report.records) {
    expect(record.status).not.toBe("request-error");
    // The model called the one tool offered, the grammar made the call readable, the sandbox answered it.
    expect(record.calls.length, record.case_id).toBeGreaterThan(0);
    expect(record.calls[0]?.tool).toBe(record.case_id);
    expect(record.checks.parsed?.status).toBe("pass");
    expect(record.checks.selection?.status).toBe("pass");
    for (const call of record.calls) {
      expect(call.form).toBe("openai");
      expect(call.result.startsWith('{"success":true') || call.result.startsWith("❌ Error:"), call.result).toBe(true);
    }
    // Junk ids are caught: the grammar fixes the shape, not the values.
    expect(record.checks.ids?.status).toBe("fail");
    for (const request of record.requests) {
      expect(request.prompt_tokens).toBeGreaterThan(0);
      expect(request.completion_tokens).toBeGreaterThan(0);
    }
  }
  expect(report.summary.tokens.counted).toBe(true);
}

describe("the evaluator on a GGUF in the embedded backend", () => {
  it("runs from the command line: calls, sandbox, scores and the report note", async () => {
    const out = join(work, "cli", "report.json");
    const run = await runCli([
      "eval",
      "run",
      "--set",
      "embedded-subset",
      "--data-dir",
      join(work, "data"),
      "--backend",
      "embedded",
      "--model",
      gguf,
      "--temperature",
      "0",
      "--max-tokens",
      "400",
      "--turn-limit",
      "2",
      "--grammar",
      "--out",
      out,
    ]);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain("[3/3] agentManager_toggleAgent failed");
    const report = EvalReportSchema.parse(JSON.parse(readFileSync(out, "utf8")));
    checkRealRun(report);
    expect(readFileSync(join(work, "cli", "report.md"), "utf8")).toContain("calls grammar-constrained");
  }, 300_000);

  it("scores every case on default settings: free-running, 1,024 tokens a reply, each case's own turn limit", async () => {
    const out = join(work, "defaults", "report.json");
    const run = await runCli([
      "eval",
      "run",
      "--set",
      "embedded-subset",
      "--cases",
      CASES.slice(0, 2).join(","),
      "--data-dir",
      join(work, "data"),
      "--backend",
      "embedded",
      "--model",
      gguf,
      "--out",
      out,
    ]);
    expect([0, 2], run.stderr).toContain(run.code);
    const report = EvalReportSchema.parse(JSON.parse(readFileSync(out, "utf8")));
    expect(report.metadata.backend).toMatchObject({ grammar_constrained: false, max_tokens: 1024 });
    expect(report.summary).toMatchObject({ total: 2, request_errors: 0 });
    for (const record of report.records) expect(record.requests.length, record.case_id).toBeGreaterThan(0);
  }, 300_000);

  it("runs as a daemon job with live progress, lists the run for the eval panel and gates on it", async () => {
    const created = await daemon.call("POST", "/v1/evals", {
      body: {
        set: "embedded-subset",
        model: gguf,
        temperature: 0,
        maxTokens: 400,
        turnLimit: 2,
        grammar: true,
        gate: { failUnder: 0.5 },
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const done = await finishedJob(daemon, created.body.id, 300_000);
    // Nothing passes, so the gate fails the job; the report stays.
    expect(done).toMatchObject({
      kind: "eval",
      state: "failed",
      error: { code: "gate-failed", message: expect.stringContaining("pass rate 0.0% is under the required 50.0%") },
      progress: { step: 3, total: 3 },
    });
    expect(existsSync(done.artefacts.report)).toBe(true);
    const progress = events
      .filter((event) => event.type === "job.progress" && event.jobId === done.id)
      .map((event) => [event.progress.step, event.progress.total]);
    expect(progress).toEqual([
      [1, 3],
      [2, 3],
      [3, 3],
    ]);
    const listed = (await daemon.call("GET", "/v1/evals")).body.items;
    expect(listed.map((run: any) => run.metadata.id)).toContain(done.id);
    const report = EvalReportSchema.parse((await daemon.call("GET", `/v1/evals/${done.id}`)).body);
    checkRealRun(report);
    const note = await fetch(`${daemon.url}/v1/evals/${done.id}/note`, {
      headers: { authorization: `Bearer ${daemon.token}` },
    });
    expect(note.status).toBe(200);
    expect(note.headers.get("content-type")).toContain("text/markdown");
    expect(await note.text()).toContain(`# Evaluation ${done.id}`);
    const compared = await daemon.call("GET", `/v1/evals/compare?a=${done.id}&b=${done.id}`);
    expect(compared.body).toMatchObject({ paired_cases: 3, better: 0, worse: 0, significant: false });
    expect((await daemon.call("GET", "/v1/evals/sets")).body.items.map((set: any) => set.id)).toEqual([
      "combos",
      "embedded-subset",
      "full-coverage",
      "irrelevance",
      "nexus-combos",
      "nexus-discovery",
      "nexus-full-coverage",
      "nexus-irrelevance",
    ]);
  }, 300_000);

  it("refuses an evaluation it cannot run before queueing it", async () => {
    const nothingDeployed = await daemon.call("POST", "/v1/evals", { body: { set: "full-coverage" } });
    expect(nothingDeployed.status).toBe(400);
    expect(nothingDeployed.body.error.issues[0]).toMatchObject({
      path: "model",
      message: expect.stringContaining("no model is deployed"),
    });
    const unknownSet = await daemon.call("POST", "/v1/evals", { body: { set: "nope", model: gguf } });
    expect(unknownSet.body.error.issues[0]).toMatchObject({
      path: "set",
      message: expect.stringContaining('no prompt set "nope"'),
    });
    expect((await daemon.call("GET", "/v1/evals/job_missing")).status).toBe(404);
  });
});
