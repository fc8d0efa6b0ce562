/**
 * npm run bench:eval [-- --set full-coverage --latencies 0,250 --concurrency 1,4,16 --skip-embedded]
 * Cases per second through the evaluator (fresh sandbox per try, MCP calls, scoring, report):
 * - embedded: a tiny GGUF that always calls (tests/tiny_model.py --always-call), in node-llama-cpp here,
 *   every case with all 47 tools and the grammar that constrains their calls;
 * - openai: a local OpenAI-compatible server answering each case with its reference solution after a set
 *   latency, with 1 to N cases in flight, which is what a served model's parallel slots allow.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { execa } from "execa";
import type { EvalReport } from "@vault-tuner/shared";
import { DEFAULT_SAMPLING, type BackendSpec } from "../src/evals/backends/eval-backend";
import { openBackend } from "../src/evals/backends/open-backend";
import { loadPromptSet } from "../src/evals/prompt-sets";
import { runEval } from "../src/evals/run-eval";
import { inferenceThreads } from "../src/inference/embedded-model";
import { ensurePythonEnv, PYTHON_DIR } from "../src/train/python-env";
import { main } from "../src/cli/main";
import { startReferenceServer } from "./reference-server";

const { values } = parseArgs({
  options: {
    set: { type: "string", default: "full-coverage" },
    latencies: { type: "string", default: "0,250" },
    concurrency: { type: "string", default: "1,4,16" },
    "skip-embedded": { type: "boolean", default: false },
    "max-tokens": { type: "string", default: "256" },
  },
});
const set = loadPromptSet(values.set as string);
// The embedded row measures node-llama-cpp's grammar-constrained function calling, as its table says.
const spec = (kind: BackendSpec["kind"], model: string, url?: string): BackendSpec => ({
  kind,
  model,
  ...(url ? { url } : {}),
  temperature: 0,
  topP: 1,
  maxTokens: Number(values["max-tokens"]),
  timeoutMs: DEFAULT_SAMPLING.timeoutMs,
  retries: 0,
  grammar: kind === "embedded",
});
const rows: string[] = [];
const row = (backend: string, concurrency: number, report: EvalReport, seconds: number) => {
  const requests = report.records.reduce((sum, record) => sum + record.requests.length, 0);
  rows.push(
    `| ${backend} | ${concurrency} | ${report.records.length} | ${seconds.toFixed(1)} | ${(report.records.length / seconds).toFixed(2)} | ${requests} | ${report.summary.latency_ms.p50 ?? "n/a"} | ${report.summary.passed}/${report.summary.total} |`,
  );
};

const work = mkdtempSync(join(tmpdir(), "vt-eval-bench-"));
try {
  if (!values["skip-embedded"]) {
    const { python } = await ensurePythonEnv({ onProgress: (line) => console.error(line) });
    const starter = join(PYTHON_DIR, "..", "datasets", "starter-claudesidian-3");
    await execa(python, [
      join(PYTHON_DIR, "tests", "tiny_model.py"),
      "--dataset",
      starter,
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
        starter,
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
    const quiet = { out: () => undefined, err: (text: string) => void process.stderr.write(text) };
    if (
      (await main(
        ["export", "--run", join(work, "run"), "--output", join(work, "gguf"), "--quant", "q8_0", "--no-adapter"],
        quiet,
      )) !== 0
    )
      throw new Error("the export failed");
    console.error("embedded: model ready");
    const backend = await openBackend(spec("embedded", join(work, "gguf", "model-q8_0.gguf")));
    const started = performance.now();
    const report = await runEval({
      set,
      backend,
      turnLimit: 2,
      onProgress: (progress) => console.error(`embedded [${progress.done}/${progress.total}]`),
    });
    row(
      `embedded (2M-parameter GGUF, ${inferenceThreads()} thread${inferenceThreads() === 1 ? "" : "s"}, turn limit 2, ${values["max-tokens"]} tokens)`,
      1,
      report,
      (performance.now() - started) / 1000,
    );
    await backend.close();
  }
  for (const latency of (values.latencies as string).split(",").map(Number)) {
    const server = await startReferenceServer(set, latency);
    for (const concurrency of (values.concurrency as string).split(",").map(Number)) {
      const backend = await openBackend(spec("openai", "reference", server.url));
      const started = performance.now();
      const report = await runEval({ set, backend, concurrency });
      row(`openai-compatible, ${latency} ms a request`, concurrency, report, (performance.now() - started) / 1000);
    }
    await server.close();
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
console.log(
  `bench:eval on ${set.id} (${set.cases.length} cases), ${cpus().length} x ${cpus()[0]?.model ?? "CPU"}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
);
console.log("| backend | cases in flight | tries | seconds | cases/s | requests | median request ms | passed |");
console.log("|---|---|---|---|---|---|---|---|");
for (const line of rows) console.log(line);
