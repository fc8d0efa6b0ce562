import { join, resolve } from "node:path";
import { EvalJobRequestSchema, formatRate, type EvalReport, type PromptSet, describeError } from "@vault-tuner/shared";
import { checkGate, compareReports } from "../../evals/scoring/compare-reports";
import { resolveDataDir } from "../../config/data-dir";
import { BACKEND_KINDS, DEFAULT_SAMPLING, type BackendKind, type BackendSpec } from "../../evals/backends/eval-backend";
import { openBackend } from "../../evals/backends/open-backend";
import { referenceBackend } from "../../evals/backends/reference-backend";
import { importSeedSet } from "../../evals/import-seed-set";
import { listPromptSets, loadPromptSet, PromptSetError, selectCases, writeUserSet } from "../../evals/prompt-sets";
import { recordedSet } from "../../evals/recorded-set";
import { comparisonText } from "../../evals/report-markdown";
import { readReport, saveReport, saveToDataDir } from "../../evals/report-store";
import { runEval } from "../../evals/run-eval";
import type { Output } from "../output";
import { EXIT_EVAL_CANNOT_RUN, EXIT_EVAL_FAILURES, EXIT_EVAL_REQUEST_ERRORS, EXIT_EVAL_STOPPED } from "../exit-codes";
import { EXIT_OK, UsageError } from "../usage-error";

type Args = { values: Record<string, unknown>; positionals: string[] };

/** `vault-tuner eval run|compare|import|sets|check|recorded`: each a command of its own. */
export const runEvalRun = (args: Args, output: Output) => evalRun(args.values, output);
export const runEvalCompare = (args: Args, output: Output) => evalCompare(args.positionals, args.values, output);
export const runEvalImport = (args: Args, output: Output) => evalImport(args.positionals, args.values, output);
export const runEvalSets = (args: Args, output: Output) => evalSets(args.values, output);
export const runEvalCheck = (args: Args, output: Output) => evalCheck(args.values, output);
export const runEvalRecorded = (args: Args, output: Output) => evalRecorded(args.values, output);

async function evalRun(v: Record<string, unknown>, output: Output): Promise<number> {
  const dataDir = resolveDataDir(v["data-dir"] as string | undefined);
  if (typeof v.set !== "string")
    throw new UsageError("give --set NAME (a prompt set id; `vault-tuner eval sets` lists them) or --set FILE.json");
  if (!BACKEND_KINDS.includes(v.backend as BackendKind))
    throw new UsageError(`give --backend ${BACKEND_KINDS.join("|")}`);
  if (typeof v.model !== "string")
    throw new UsageError("give --model (embedded: a GGUF file; ollama: a model name; openai: the server's model id)");
  const spec: BackendSpec = {
    kind: v.backend as BackendKind,
    model: v.model,
    ...(typeof v.url === "string" ? { url: v.url } : {}),
    ...((v["api-key"] ?? process.env.VAULT_TUNER_API_KEY)
      ? { apiKey: String(v["api-key"] ?? process.env.VAULT_TUNER_API_KEY) }
      : {}),
    temperature: number(v.temperature, "--temperature", DEFAULT_SAMPLING.temperature, 0, 2),
    topP: number(v["top-p"], "--top-p", DEFAULT_SAMPLING.topP, 0, 1),
    maxTokens: integer(v["max-tokens"], "--max-tokens", DEFAULT_SAMPLING.maxTokens, 1),
    ...(v.seed !== undefined ? { seed: integer(v.seed, "--seed", 0, 0) } : {}),
    timeoutMs: number(v.timeout, "--timeout", DEFAULT_SAMPLING.timeoutMs / 1000, 1, 3600) * 1000,
    retries: integer(v.retries, "--retries", DEFAULT_SAMPLING.retries, 0),
    grammar: v.grammar === true,
  };
  const repeat = integer(v.repeat, "--repeat", 1, 1);
  const concurrency = integer(v.concurrency, "--concurrency", 4, 1);
  const turnLimit = v["turn-limit"] !== undefined ? integer(v["turn-limit"], "--turn-limit", 8, 1) : undefined;
  checkAgainstRoute({
    repeat,
    concurrency,
    temperature: spec.temperature,
    topP: spec.topP,
    maxTokens: spec.maxTokens,
    seed: spec.seed,
    turnLimit,
  });
  const failUnder = v["fail-under"] !== undefined ? rate(v["fail-under"]) : undefined;
  const baseline = typeof v["no-regression-vs"] === "string" ? readReportOrUsage(v["no-regression-vs"]) : undefined;

  let set: PromptSet;
  try {
    set = selectCases(loadPromptSet(v.set, dataDir), splitIds(v.cases));
  } catch (error) {
    if (error instanceof PromptSetError) return cannotRun(output, error.message);
    throw error;
  }
  let backend;
  try {
    backend = await openBackend(spec);
  } catch (error) {
    return cannotRun(output, describeError(error));
  }
  const abort = new AbortController();
  const onSignal = () => abort.abort(new Error("stopped by the user"));
  process.once("SIGINT", onSignal);
  output.err(
    `evaluating ${backend.info.kind}:${backend.info.model} on ${set.id} (${set.cases.length} cases${repeat > 1 ? ` x ${repeat}` : ""})\n`,
  );
  let report: EvalReport;
  try {
    report = await runEval({
      set,
      backend,
      repeat,
      concurrency,
      turnLimit,
      signal: abort.signal,
      onProgress: (progress) => {
        if (v.quiet === true || !progress.last) return;
        const eta =
          progress.done < progress.total && progress.etaS !== undefined ? ` · about ${progress.etaS} s left` : "";
        output.err(
          `[${progress.done}/${progress.total}] ${progress.last.caseId}${repeat > 1 ? ` #${progress.last.attempt}` : ""} ${progress.last.status} · ${progress.passed} passed, ${progress.failed} failed${progress.requestErrors ? `, ${progress.requestErrors} request errors` : ""}${eta}\n`,
        );
      },
    });
  } catch (error) {
    if (!abort.signal.aborted) throw error;
    output.err("stopped before the end: no report written\n");
    return EXIT_EVAL_STOPPED;
  } finally {
    process.removeListener("SIGINT", onSignal);
    await backend.close();
  }
  const saved =
    typeof v.out === "string"
      ? saveReport(report, resolve(v.out), typeof v.markdown === "string" ? resolve(v.markdown) : undefined)
      : saveToDataDir(report, dataDir);
  const gate = failUnder !== undefined || baseline ? checkGate(report, { failUnder, baseline }) : undefined;
  output.out(
    v.json === true
      ? `${JSON.stringify({ summary: report.summary, report: saved.json, gate }, null, 2)}\n`
      : summaryText(report, saved.json, saved.markdown, gate),
  );
  if (report.summary.request_errors > 0) return EXIT_EVAL_REQUEST_ERRORS;
  if (gate) return gate.passed ? EXIT_OK : EXIT_EVAL_FAILURES;
  return report.summary.failed > 0 ? EXIT_EVAL_FAILURES : EXIT_OK;
}

async function evalCompare(files: string[], v: Record<string, unknown>, output: Output): Promise<number> {
  if (files.length !== 2) throw new UsageError("give two reports: eval compare A.json B.json");
  const [a, b] = files.map(readReportOrUsage) as [EvalReport, EvalReport];
  const comparison = compareReports(a, b);
  output.out(v.json === true ? `${JSON.stringify(comparison, null, 2)}\n` : comparisonText(comparison));
  // With --fail-on-regression the comparison is a gate: B significantly worse than A fails.
  return v["fail-on-regression"] === true && comparison.significant && (comparison.delta ?? 0) < 0
    ? EXIT_EVAL_FAILURES
    : EXIT_OK;
}

async function evalImport(files: string[], v: Record<string, unknown>, output: Output): Promise<number> {
  if (files.length === 0)
    throw new UsageError(
      "give the seed's prompt files: eval import baseline.json full_coverage.json ... --id NAME [--out FILE]",
    );
  if (typeof v.id !== "string")
    throw new UsageError("give --id NAME for the imported set (lowercase letters, digits and -)");
  let result;
  try {
    result = importSeedSet(
      files.map((file) => resolve(file)),
      { id: v.id, ...(typeof v.title === "string" ? { title: v.title } : {}) },
    );
  } catch (error) {
    if (error instanceof PromptSetError) return cannotRun(output, error.message);
    throw error;
  }
  const target = writeUserSet(
    resolveDataDir(v["data-dir"] as string | undefined),
    result.set,
    typeof v.out === "string" ? resolve(v.out) : undefined,
  );
  output.out(`imported ${result.set.cases.length} cases into ${target}\n`);
  for (const item of result.skipped) output.err(`skipped ${item.id}: ${item.reason}\n`);
  return EXIT_OK;
}

/** `eval check --set NAME`: replays every case's reference solution; a case that fails its own reference is broken. */
async function evalCheck(v: Record<string, unknown>, output: Output): Promise<number> {
  if (typeof v.set !== "string") throw new UsageError("give --set NAME or --set FILE.json");
  let set: PromptSet;
  try {
    set = selectCases(loadPromptSet(v.set, resolveDataDir(v["data-dir"] as string | undefined)), splitIds(v.cases));
  } catch (error) {
    if (error instanceof PromptSetError) return cannotRun(output, error.message);
    throw error;
  }
  const withReference = { ...set, cases: set.cases.filter((evalCase) => evalCase.reference) };
  const unchecked = set.cases.filter((evalCase) => !evalCase.reference).map((evalCase) => evalCase.id);
  if (withReference.cases.length === 0)
    return cannotRun(output, `${set.id} has no case with a reference solution to check`);
  const report = await runEval({ set: withReference, backend: referenceBackend(withReference), concurrency: 8 });
  const broken = report.records.filter((record) => record.status !== "passed");
  for (const record of broken)
    output.out(
      `${record.case_id}: fails its own reference\n${record.failure_reasons.map((reason) => `  ${reason}`).join("\n")}\n`,
    );
  output.out(
    `${set.id}: ${report.summary.passed}/${withReference.cases.length} cases pass their reference solution${unchecked.length ? `; ${unchecked.length} have none (${unchecked.slice(0, 5).join(", ")}${unchecked.length > 5 ? ", ..." : ""})` : ""}\n`,
  );
  return broken.length > 0 ? EXIT_EVAL_FAILURES : EXIT_OK;
}

/** `eval recorded --dataset NAME`: the recorded set from a built dataset's holdout, into the data dir. */
async function evalRecorded(v: Record<string, unknown>, output: Output): Promise<number> {
  if (typeof v.dataset !== "string")
    throw new UsageError("give --dataset NAME: a dataset the daemon built from your labelled traces");
  const dataDir = resolveDataDir(v["data-dir"] as string | undefined);
  let result;
  try {
    result = await recordedSet(join(dataDir, "datasets"), v.dataset, {
      ...(typeof v.id === "string" ? { id: v.id } : {}),
      allSources: v["all-sources"] === true,
    });
  } catch (error) {
    if (error instanceof PromptSetError) return cannotRun(output, error.message);
    throw error;
  }
  const file = writeUserSet(dataDir, result.set);
  output.out(`${result.set.cases.length} cases from ${v.dataset}'s holdout in ${file}\n`);
  for (const item of result.skipped) output.err(`skipped ${item.source}: ${item.reason}\n`);
  return EXIT_OK;
}

async function evalSets(v: Record<string, unknown>, output: Output): Promise<number> {
  const sets = listPromptSets(resolveDataDir(v["data-dir"] as string | undefined));
  if (v.json === true) output.out(`${JSON.stringify(sets, null, 2)}\n`);
  else
    for (const set of sets)
      output.out(`${set.id.padEnd(20)} ${String(set.cases).padStart(4)} cases  ${set.source.padEnd(9)} ${set.title}\n`);
  return EXIT_OK;
}

function summaryText(
  report: EvalReport,
  json: string,
  markdown: string,
  gate: ReturnType<typeof checkGate> | undefined,
): string {
  const s = report.summary;
  const lines = [
    `${s.passed}/${s.total - s.request_errors} passed: ${formatRate(s.pass_rate)} (95% interval ${formatRate(s.pass_rate_ci95[0])} to ${formatRate(s.pass_rate_ci95[1])})${s.request_errors ? `; ${s.request_errors} request errors, not scored` : ""}`,
    ...(s.repeats > 1
      ? [
          `pass^k: ${Object.entries(s.pass_hat_k)
            .map(([k, value]) => `k=${k} ${formatRate(value)}`)
            .join(", ")}`,
        ]
      : []),
    "checks:",
    ...Object.entries(s.by_check).map(
      ([check, r]) =>
        `  ${check.padEnd(12)} ${`${r.passed}/${r.total}`.padStart(7)}  ${formatRate(r.rate).padStart(6)}`,
    ),
  ];
  if (s.top_failure_reasons.length > 0)
    lines.push(
      "most common failures:",
      ...s.top_failure_reasons.slice(0, 5).map((item) => `  ${String(item.count).padStart(3)} x ${item.reason}`),
    );
  if (gate) lines.push(gate.passed ? "gate: passed" : `gate: FAILED: ${gate.reasons.join("; ")}`);
  lines.push(`report: ${json}`, `note:   ${markdown}`);
  return `${lines.join("\n")}\n`;
}

/** The options `POST /v1/evals` also takes, and the command line's names for them. */
const ROUTE_OPTIONS = {
  repeat: "repeat",
  concurrency: "concurrency",
  temperature: "temperature",
  topP: "top-p",
  maxTokens: "max-tokens",
  seed: "seed",
  turnLimit: "turn-limit",
} as const;
const RouteOptionsSchema = EvalJobRequestSchema.pick({
  repeat: true,
  concurrency: true,
  temperature: true,
  topP: true,
  maxTokens: true,
  seed: true,
  turnLimit: true,
});

/** What the daemon's route would refuse, the command line refuses too: one definition of each limit. */
function checkAgainstRoute(values: Record<keyof typeof ROUTE_OPTIONS, number | undefined>): void {
  const checked = RouteOptionsSchema.safeParse(values);
  if (checked.success) return;
  const issue = checked.error.issues[0];
  const field = issue?.path[0] as keyof typeof ROUTE_OPTIONS;
  throw new UsageError(`--${ROUTE_OPTIONS[field]} ${values[field]}: ${issue?.message}`);
}

function splitIds(given: unknown): string[] | undefined {
  return typeof given === "string"
    ? given
        .split(",")
        .map((id) => id.trim())
        .filter(Boolean)
    : undefined;
}

function readReportOrUsage(file: string): EvalReport {
  try {
    return readReport(resolve(file));
  } catch (error) {
    throw new UsageError(describeError(error));
  }
}

function cannotRun(output: Output, message: string): number {
  output.err(`vault-tuner eval: ${message}\n`);
  return EXIT_EVAL_CANNOT_RUN;
}

function number(value: unknown, flag: string, fallback: number, min: number, max = Number.POSITIVE_INFINITY): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < min || parsed > max)
    throw new UsageError(
      `${flag} ${String(value)}: give a number from ${min}${Number.isFinite(max) ? ` to ${max}` : " up"}`,
    );
  return parsed;
}

function integer(value: unknown, flag: string, fallback: number, min: number): number {
  const parsed = number(value, flag, fallback, min);
  if (!Number.isInteger(parsed)) throw new UsageError(`${flag} ${String(value)}: give a whole number`);
  return parsed;
}

/** A pass rate as 0.8 or 80%. */
function rate(value: unknown): number {
  const text = String(value);
  const parsed = text.endsWith("%") ? Number(text.slice(0, -1)) / 100 : Number(text);
  if (!Number.isFinite(parsed) || parsed < 0 || parsed > 1)
    throw new UsageError(`--fail-under ${text}: give a pass rate such as 0.8 or 80%`);
  return parsed;
}
