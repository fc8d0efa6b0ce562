/**
 * npm run bench:quality -- --base DIR [--toolset claudesidian-3|nexus-5] [--runs DIR] [--work DIR] [--docs DIR] [--sets a,b,c] [--stages base,sft,...] [--labels 25,50,100,200] [--data-dir DIR]
 *
 * Does training make a real model better at the vault's tools? From an imported base (`vault-tuner base
 * import`, with its `model.gguf`) this evaluates, on the built-in sets, in the embedded backend decoding
 * freely (as in Ollama), greedy, and on `recorded`: the approved calls of the KTO dataset's holdout split,
 * which no stage trained on (`vault-tuner eval recorded --all-sources` builds the same set):
 *   base -> SFT (starter + seed data) -> KTO on top (desirable, undesirable and correction rows), as each
 *   of its files (16-bit, Q8_0, Q4_K_M), the one the export's check chose last: the final model,
 * and the label-efficiency curve: the toolset's full-coverage set after KTO on the first 0, 25, 50, 100, 200 labelled calls.
 *
 * Training: `--runs DIR` takes the runs python/bench/quality_train.py wrote (on a GPU machine, say: bring back
 * `runs/`); without it that script runs here first, on this machine's device. The datasets are built here
 * either way (`<work>/datasets`), so they can be carried to the training machine.
 *
 * Every step is skipped when its output exists, so an interrupted run goes on where it stopped. Reports go
 * to `<docs>` (default docs/benchmarks/quality) with index.json; the table is printed in Markdown. With
 * `--data-dir` they are also stored where the daemon lists runs, so the plugin's eval panel shows every
 * stage and compares the base with the tuned model.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, totalmem } from "node:os";
import { join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { execa } from "execa";
import { DatasetBuildRequestSchema, type EvalReport, type TrainingInfo } from "@vault-tuner/shared";
import { compareReports } from "../src/evals/scoring/compare-reports";
import { main } from "../src/cli/main";
import { buildDataset } from "../src/datasets/build-dataset";
import { STARTER_MUTATIONS } from "../src/datasets/starter/starter-dataset";
import { DEFAULT_SAMPLING, type BackendSpec } from "../src/evals/backends/eval-backend";
import { openBackend } from "../src/evals/backends/open-backend";
import { loadPromptSet } from "../src/evals/prompt-sets";
import { recordedSet } from "../src/evals/recorded-set";
import { saveReport, saveToDataDir } from "../src/evals/report-store";
import { runEval } from "../src/evals/run-eval";
import { checkQuantizations, heldOutPrompts, type QuantCheck } from "../src/export/quant-check";
import { inferenceThreads } from "../src/inference/embedded-model";
import { ensurePythonEnv, PYTHON_DIR } from "../src/train/python-env";
import { labelCurveSvg } from "./label-curve-svg";

const ROOT = resolve(PYTHON_DIR, "..");
const { values } = parseArgs({
  options: {
    base: { type: "string" },
    runs: { type: "string" },
    toolset: { type: "string", default: "claudesidian-3" },
    work: { type: "string" },
    docs: { type: "string" },
    sets: { type: "string" },
    stages: { type: "string" },
    labels: { type: "string", default: "25,50,100,200" },
    seed: {
      type: "string",
      default: join(ROOT, "..", "shared", "data", "anchor", "syngen_toolset_v1.0.1_copilot.jsonl"),
    },
    "max-tokens": { type: "string", default: "320" },
    "turn-limit": { type: "string", default: "5" },
    "check-rows": { type: "string", default: "8" },
    "data-dir": { type: "string" },
  },
});
if (!values.base)
  throw new Error(
    "give --base: a folder `vault-tuner base import` wrote (it holds model.gguf and vault-tuner-base.json)",
  );
/**
 * What a run trains on and is judged by, per toolset: Claudesidian 3.x (the starter and the seed's copilot
 * file, the 3.x sets) or Nexus 5.20.1 (the Nexus starter, the Nexus sets). `recorded` is the KTO holdout's
 * approved calls either way. The Nexus starter holds approved calls only, so its KTO dataset takes one
 * mutation negative per call, as `dataset starter` builds it; the 3.x seed file brings its own negatives.
 * `coverage` is the set the label-efficiency curve is drawn on.
 */
const TOOLSETS: Record<
  string,
  {
    catalog: string;
    sources: string[];
    mutations?: { perRecord: number };
    sets: string;
    coverage: string;
    docs: string;
    work: string;
  }
> = {
  "claudesidian-3": {
    catalog: "claudesidian-3",
    sources: [join(ROOT, "datasets", "sources", "starter-claudesidian-3.jsonl"), values.seed as string],
    sets: "full-coverage,combos,irrelevance,recorded",
    coverage: "full-coverage",
    docs: join(ROOT, "docs", "benchmarks", "quality"),
    work: "/tmp/vault-tuner-quality",
  },
  "nexus-5": {
    catalog: "nexus-5.20.1",
    sources: [join(ROOT, "datasets", "sources", "starter-nexus-5.jsonl")],
    mutations: STARTER_MUTATIONS,
    sets: "nexus-full-coverage,nexus-combos,nexus-discovery,nexus-irrelevance,recorded",
    coverage: "nexus-full-coverage",
    docs: join(ROOT, "docs", "benchmarks", "quality-nexus"),
    work: "/tmp/vault-tuner-quality-nexus",
  },
};
const toolset = TOOLSETS[values.toolset as string];
if (!toolset) throw new Error(`--toolset: one of ${Object.keys(TOOLSETS).join(", ")}, not ${values.toolset}`);
const base = resolve(values.base);
const work = resolve(values.work ?? toolset.work);
const docs = resolve(values.docs ?? toolset.docs);
const sets = (values.sets ?? toolset.sets).split(",");
const labelPoints = (values.labels as string).split(",").filter(Boolean).map(Number);
const say = (line: string) => console.error(`[quality ${new Date().toISOString().slice(11, 19)}] ${line}`);
const quietCli = { out: () => undefined, err: (text: string) => void process.stderr.write(text) };
mkdirSync(docs, { recursive: true });

// 1. Datasets: SFT on the starter source and the seed file; KTO on the same; label subsets from the KTO file.
const datasets = join(work, "datasets");
for (const format of ["sft", "kto"] as const) {
  if (existsSync(join(datasets, format, "card.json"))) continue;
  say(`building the ${format} dataset`);
  const files = toolset.sources;
  await buildDataset(
    DatasetBuildRequestSchema.parse({
      name: format,
      format,
      sources: { files },
      catalog: toolset.catalog,
      ...(format === "kto" && toolset.mutations ? { mutations: toolset.mutations } : {}),
    }),
    {
      outputRoot: datasets,
    },
  );
}
for (const count of labelPoints) {
  const folder = join(datasets, `kto-${count}`);
  if (existsSync(join(folder, "train.jsonl"))) continue;
  // The builder interleaves the classes, so the first N rows are N labelled calls, half of each label.
  mkdirSync(join(folder, "toolsets"), { recursive: true });
  const rows = readFileSync(join(datasets, "kto", "train.jsonl"), "utf8")
    .split("\n")
    .filter(Boolean)
    .slice(0, count);
  writeFileSync(join(folder, "train.jsonl"), `${rows.join("\n")}\n`);
  writeFileSync(join(folder, "card.json"), readFileSync(join(datasets, "kto", "card.json")));
  for (const name of readdirSync(join(datasets, "kto", "toolsets")))
    writeFileSync(join(folder, "toolsets", name), readFileSync(join(datasets, "kto", "toolsets", name)));
}

// 2. Training, unless the runs were made elsewhere.
const { python } = await ensurePythonEnv({ onProgress: say });
const runs = values.runs ? resolve(values.runs) : join(work, "train", "runs");
if (!values.runs && !existsSync(join(runs, "kto", "training.json"))) {
  say("training here (give --runs to use runs made on a GPU machine)");
  const subsets = labelPoints.flatMap((count) => ["--kto-subset", `${count}=${join(datasets, `kto-${count}`)}`]);
  await execa(
    python,
    [
      join(PYTHON_DIR, "bench", "quality_train.py"),
      "--gguf",
      join(base, "model.gguf"),
      "--tokenizer",
      base,
      "--sft",
      join(datasets, "sft"),
      "--kto",
      join(datasets, "kto"),
      ...subsets,
      "--out",
      join(work, "train"),
    ],
    { cwd: PYTHON_DIR, stderr: "inherit" },
  );
}

// 3. Exports: the SFT run onto the base; every KTO run onto the merged SFT model it was trained from.
const sftMerged = join(work, "sft-merged");
if (!existsSync(join(sftMerged, "export.json"))) {
  say("merging the SFT run (the base of every KTO run)");
  await execa(
    python,
    [
      "-m",
      "vault_tuner_train",
      "merge",
      "--run",
      join(runs, "sft"),
      "--output",
      sftMerged,
      "--base",
      base,
      "--dtype",
      "float32",
    ],
    { cwd: PYTHON_DIR },
  );
}
async function exportRun(run: string, onto: string, quants: string[]): Promise<string> {
  const out = join(work, "export", run);
  if (existsSync(join(out, "export.json"))) return out;
  say(`exporting ${run}`);
  const args = [
    "export",
    "--run",
    join(runs, run),
    "--output",
    out,
    "--base",
    onto,
    "--no-adapter",
    "--check-rows",
    "0",
    ...quants.flatMap((kind) => ["--quant", kind]),
  ];
  if ((await main(args, quietCli)) !== 0) throw new Error(`exporting ${run} failed`);
  return out;
}
const sftExport = await exportRun("sft", base, ["q8_0"]);
const ktoExport = await exportRun("kto", sftMerged, ["q8_0", "q4_k_m"]);
const labelExports = new Map<number, string>();
for (const count of labelPoints) labelExports.set(count, await exportRun(`kto-${count}`, sftMerged, ["q8_0"]));

// 4. The quantization check on the final model: which file kept the training.
const checkFile = join(docs, "quant-check.json");
let check: QuantCheck;
if (existsSync(checkFile)) check = JSON.parse(readFileSync(checkFile, "utf8")) as QuantCheck;
else {
  const quantized = ["q8_0", "q4_k_m"].map((kind) => ({
    kind,
    file: join(ktoExport, `model-${kind}.gguf`),
    bytes: statSync(join(ktoExport, `model-${kind}.gguf`)).size,
  }));
  check = await checkQuantizations(
    { kind: "f16", file: join(ktoExport, "model-f16.gguf") },
    quantized,
    heldOutPrompts(join(datasets, "kto"), Number(values["check-rows"])),
    { onProgress: ({ file, index, total }) => say(`quantization check [${index}/${total}]: ${relative(work, file)}`) },
  );
  writeFileSync(
    checkFile,
    `${JSON.stringify({ ...check, reference: relative(work, check.reference), files: check.files.map((file) => ({ ...file, file: relative(work, file.file) })) }, null, 2)}\n`,
  );
}

// 5. Evaluations, greedy and free-running.
// Every file of the final model is evaluated; the one the check recommended is the final stage, listed last.
const QUANTIZED = ["q8_0", "q4_k_m"];
const finalStage = QUANTIZED.includes(check.recommended) ? check.recommended : "kto";
const ktoFiles = [
  { stage: "kto", gguf: join(ktoExport, "model-f16.gguf") },
  ...QUANTIZED.map((kind) => ({ stage: kind, gguf: join(ktoExport, `model-${kind}.gguf`) })),
];
const allStages: { stage: string; gguf: string }[] = [
  { stage: "base", gguf: join(base, "model.gguf") },
  { stage: "sft", gguf: join(sftExport, "model-f16.gguf") },
  ...ktoFiles.filter(({ stage }) => stage !== finalStage),
  ...ktoFiles.filter(({ stage }) => stage === finalStage),
];
// `--stages` evaluates some stages only (a CPU evaluation of all of them takes hours, and an evaluation uses
// one core of two: two invocations with different stages use both). A later run without it adds the rest.
const chosen = values.stages?.split(",").filter(Boolean);
const unknownStage = chosen?.find((stage) => !allStages.some((known) => known.stage === stage));
if (unknownStage)
  throw new Error(
    `--stages: ${unknownStage} is not a stage; the stages are ${allStages.map(({ stage }) => stage).join(", ")}`,
  );
const stages = allStages.filter(({ stage }) => !chosen || chosen.includes(stage));
const spec = (gguf: string): BackendSpec => ({
  kind: "embedded",
  model: gguf,
  temperature: 0,
  topP: DEFAULT_SAMPLING.topP,
  maxTokens: Number(values["max-tokens"]),
  timeoutMs: DEFAULT_SAMPLING.timeoutMs,
  retries: 0,
});
/**
 * The label curve's runs say what trained their model, so the panel draws the curve from them too: the SFT
 * model is the curve's 0 (no KTO labels yet), each KTO run its distinct rows.
 */
function trainingOf(stage: string): TrainingInfo | undefined {
  const distinctRows = (folder: string) =>
    new Set(readFileSync(join(folder, "train.jsonl"), "utf8").split("\n").filter(Boolean)).size;
  if (stage === "sft") return { labels: 0, dataset: "sft", file: "f16" };
  if (stage === "kto") return { labels: distinctRows(join(datasets, "kto")), dataset: "kto", file: "f16" };
  const subset = /^kto-(\d+)$/.exec(stage);
  return subset ? { labels: distinctRows(join(datasets, stage)), dataset: stage, file: "q8_0" } : undefined;
}
async function evaluate(set: string, stage: string, gguf: string): Promise<EvalReport> {
  const file = join(docs, `${set}.${stage}.json`);
  const training = trainingOf(stage);
  if (existsSync(file)) {
    const stored = JSON.parse(readFileSync(file, "utf8")) as EvalReport;
    // Reports written before the curve's runs carried their training get it now.
    if (!training || JSON.stringify(stored.metadata.training) === JSON.stringify(training))
      return shareWithPanel(stored);
    const tagged = { ...stored, metadata: { ...stored.metadata, training } };
    saveReport(tagged, file);
    return shareWithPanel(tagged);
  }
  say(`evaluating ${stage} on ${set}`);
  const backend = await openBackend(spec(gguf));
  try {
    const evaluated = await runEval({
      set: await promptSet(set),
      backend,
      id: `quality-${set}-${stage}`,
      turnLimit: Number(values["turn-limit"]),
      onProgress: (p) => p.last && say(`  ${stage} ${set} [${p.done}/${p.total}] ${p.last.caseId} ${p.last.status}`),
    });
    const report = training ? { ...evaluated, metadata: { ...evaluated.metadata, training } } : evaluated;
    saveReport(report, file);
    return shareWithPanel(report);
  } finally {
    await backend.close();
  }
}
/** A built-in set by name; `recorded`: the held-out approved calls of the KTO dataset, whatever file they came from. */
async function promptSet(set: string) {
  return set === "recorded" ? (await recordedSet(datasets, "kto", { allSources: true })).set : loadPromptSet(set);
}
function shareWithPanel(report: EvalReport): EvalReport {
  if (values["data-dir"]) saveToDataDir(report, resolve(values["data-dir"]));
  return report;
}
const reports = new Map<string, EvalReport>();
for (const set of sets)
  for (const { stage, gguf } of stages) reports.set(`${set}.${stage}`, await evaluate(set, stage, gguf));
const curve: { labels: number; report: EvalReport }[] = [];
for (const count of labelPoints)
  curve.push({
    labels: count,
    report: await evaluate(
      toolset.coverage,
      `kto-${count}`,
      join(labelExports.get(count) as string, "model-q8_0.gguf"),
    ),
  });

// 6. The table, index.json and the label-efficiency chart.
const training = JSON.parse(readFileSync(join(runs, "..", "training-summary.json"), "utf8")) as {
  stages: Record<string, { runtime_s?: number; wall_s?: number; steps?: number }>;
};
const percent = (value: number | null | undefined) =>
  value === null || value === undefined ? "n/a" : `${(value * 100).toFixed(1)}%`;
const lines = [
  "| set | stage | passed | pass rate (95% interval) | vs base: better / worse, McNemar p | finished | selection | arguments | irrelevance | tokens/s | training s |",
  "|---|---|---|---|---|---|---|---|---|---|---|",
];
for (const set of sets) {
  // Without the base's report (a run of some stages), no comparison.
  const baseReport = reports.get(`${set}.base`);
  for (const { stage } of stages) {
    const report = reports.get(`${set}.${stage}`) as EvalReport;
    const summary = report.summary;
    const versus =
      stage === "base" || !baseReport
        ? ""
        : (() => {
            const c = compareReports(baseReport, report);
            return `${c.better} / ${c.worse}, p ${c.p_value < 0.001 ? "< 0.001" : c.p_value.toFixed(3)}`;
          })();
    const check = (name: string) => percent(summary.by_check?.[name]?.rate);
    const tokens = report.records.flatMap((record) => record.requests);
    const seconds = tokens.reduce((sum, request) => sum + request.latency_ms, 0) / 1000;
    const generated = tokens.reduce((sum, request) => sum + (request.completion_tokens ?? 0), 0);
    const trained =
      stage === "sft" ? training.stages.sft?.runtime_s : stage === "kto" ? training.stages.kto?.runtime_s : undefined;
    lines.push(
      `| ${set} | ${stage} | ${summary.passed}/${summary.total - summary.request_errors} | ${percent(summary.pass_rate)} (${percent(summary.pass_rate_ci95?.[0])}-${percent(summary.pass_rate_ci95?.[1])}) | ${versus} | ${check("finished")} | ${check("selection")} | ${check("arguments")} | ${check("irrelevance")} | ${(generated / Math.max(seconds, 1e-9)).toFixed(1)} | ${trained ?? ""} |`,
    );
  }
}
const index = {
  model: JSON.parse(readFileSync(join(base, "vault-tuner-base.json"), "utf8")).name as string,
  settings: {
    backend: "embedded, free-running (no grammar)",
    temperature: 0,
    max_tokens: Number(values["max-tokens"]),
    turn_limit: Number(values["turn-limit"]),
  },
  quantization: { recommended: check.recommended, check: "quant-check.json" },
  sets: sets.map((set) => ({
    set,
    base: `${set}.base.json`,
    tuned: stages.filter(({ stage }) => stage !== "base").map(({ stage }) => ({ stage, file: `${set}.${stage}.json` })),
  })),
  label_efficiency: [
    { labels: 0, file: `${toolset.coverage}.sft.json` },
    ...curve.map(({ labels }) => ({ labels, file: `${toolset.coverage}.kto-${labels}.json` })),
    { labels: "all", file: `${toolset.coverage}.kto.json` },
  ],
};
writeFileSync(join(docs, "index.json"), `${JSON.stringify(index, null, 2)}\n`);
const points = [{ labels: 0, report: reports.get(`${toolset.coverage}.sft`) }, ...curve].filter(
  (point): point is { labels: number; report: EvalReport } => !!point.report,
);
writeFileSync(
  join(docs, "label-efficiency.svg"),
  labelCurveSvg(
    points.map(({ labels, report }) => ({
      labels,
      rate: report.summary.pass_rate ?? 0,
      low: report.summary.pass_rate_ci95?.[0] ?? 0,
      high: report.summary.pass_rate_ci95?.[1] ?? 0,
    })),
  ),
);
// The thread count is this invocation's: runs kept from earlier invocations may have used another.
console.log(
  `bench:quality, ${index.model}: ${cpus().length} x ${cpus()[0]?.model ?? "CPU"} (${availableParallelism()} threads), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}; evaluations run now use ${inferenceThreads()} llama.cpp threads`,
);
console.log(
  `quantization check: ${check.files.map((file) => `${file.kind} agreement ${file.agreement}, same calls ${file.same_calls} (${file.verdict})`).join("; ")}; recommended ${check.recommended}`,
);
for (const line of lines) console.log(line);
console.log(
  `label efficiency (${toolset.coverage}): ${points.map(({ labels, report }) => `${labels}: ${percent(report.summary.pass_rate)}`).join(", ")}`,
);
