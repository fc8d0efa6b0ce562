/**
 * npm run bench:deploy [-- --sizes tiny,0.5b]
 * Seconds from "training done" to "the model answers": a run of a random Llama-shaped model (one KTO
 * step, not timed) is exported (merge, 16-bit GGUF, Q4_K_M), loaded by node-llama-cpp in this process
 * and asked one chat turn with a tool. Prints each phase; the machine is this one, CPU only.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { execa } from "execa";
import { ensureLlamaCppTools } from "../src/export/llama-cpp-tools";
import { EmbeddedChat } from "../src/inference/embedded-chat";
import { llamaRuntime } from "../src/inference/embedded-model";
import { exportArgs } from "../src/export/export-args";
import { ensurePythonEnv, PYTHON_DIR } from "../src/train/python-env";
import { runTrainer } from "../src/train/run-trainer";

const SIZES: Record<string, { hidden: number; layers: number; intermediate: number }> = {
  tiny: { hidden: 256, layers: 2, intermediate: 512 },
  // About 0.4B parameters (1024 wide, 28 layers): the size of the smallest models people deploy.
  "0.5b": { hidden: 1024, layers: 28, intermediate: 4096 },
};
const { values } = parseArgs({ options: { sizes: { type: "string", default: "tiny,0.5b" } } });
const STARTER = join(PYTHON_DIR, "..", "datasets", "starter-claudesidian-3");
const TOOLS = [
  {
    type: "function" as const,
    function: {
      name: "contentManager_readContent",
      description: "Read a note",
      parameters: { type: "object", properties: { path: { type: "string" } }, required: ["path"] },
    },
  },
];

const { python } = await ensurePythonEnv({ onProgress: (line) => console.error(line) });
const tools = await ensureLlamaCppTools({ onProgress: (line) => console.error(line) });
const work = mkdtempSync(join(tmpdir(), "vt-deploy-bench-"));
const rows: string[] = [];
try {
  for (const size of (values.sizes as string).split(",")) {
    const shape = SIZES[size];
    if (!shape) throw new Error(`unknown size ${size}: ${Object.keys(SIZES).join(", ")}`);
    const model = join(work, `model-${size}`);
    const run = join(work, `run-${size}`);
    await execa(python, [
      join(PYTHON_DIR, "tests", "tiny_model.py"),
      "--dataset",
      STARTER,
      "--out",
      model,
      "--hidden-size",
      String(shape.hidden),
      "--layers",
      String(shape.layers),
      "--intermediate-size",
      String(shape.intermediate),
    ]);
    await runTrainer(python, [
      "kto",
      "--config",
      "tiny",
      "--dataset",
      STARTER,
      "--model",
      model,
      "--output",
      run,
      "--max-steps",
      "1",
      "--device",
      "cpu",
    ]);
    console.error(`${size}: trained; exporting`);

    const started = performance.now();
    const stages = new Map<string, number>();
    const { done } = await runTrainer(
      python,
      exportArgs(tools, {
        run,
        output: join(work, `gguf-${size}`),
        quant: ["q4_k_m"],
        dtype: "float16",
        adapter: false,
      }),
      {
        onEvent: (event) => {
          if (event.event === "stage") stages.set(event.stage, event.time);
        },
      },
    );
    const exported = performance.now();
    const exportedFile = done.files?.find((file) => file.kind === "q4_k_m");
    if (!exportedFile) throw new Error("the export wrote no q4_k_m file");
    const chat = await EmbeddedChat.open(await llamaRuntime(), join(work, `gguf-${size}`, exportedFile.name), 2048);
    const loaded = performance.now();
    await chat.answer([{ role: "user", content: "Read Notes/a.md" }], TOOLS, { maxTokens: 16 });
    const answered = performance.now();
    await chat.close();
    const at = (name: string) => stages.get(name) ?? Number.NaN;
    const seconds = (ms: number) => (ms / 1000).toFixed(1);
    const parameters =
      shape.layers * (4 * shape.hidden * shape.hidden + 3 * shape.hidden * shape.intermediate) +
      2 * 2000 * shape.hidden;
    rows.push(
      `| ${size} (${(parameters / 1e6).toFixed(0)}M) | ${(at("convert") - at("merge")).toFixed(1)} | ${(at("quantize q4_k_m") - at("convert")).toFixed(1)} | ${(at("check") - at("quantize q4_k_m")).toFixed(1)} | ${seconds(exported - started)} | ${seconds(loaded - exported)} | ${seconds(answered - loaded)} | ${seconds(answered - started)} | ${(exportedFile.bytes / 2 ** 20).toFixed(1)} |`,
    );
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
console.log(
  `\n${cpus().length} cores (${cpus()[0]?.model.trim()}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, CPU only\n`,
);
// merge includes loading torch and transformers; the export total also counts Python's start and the hashes.
console.log(
  "| model | merge s | convert f16 s | quantize q4_k_m s | export total s | load s | first answer s | training done -> answer s | q4_k_m MiB |",
);
console.log("|---|---|---|---|---|---|---|---|---|");
for (const row of rows) console.log(row);
