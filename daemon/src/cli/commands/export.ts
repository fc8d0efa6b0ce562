import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { QUANTS, type ExportedFile, type ExportJobRequest } from "@vault-tuner/shared";
import { ensureLlamaCppTools } from "../../export/llama-cpp-tools";
import { checkQuantizations, heldOutPrompts, type QuantCheck } from "../../export/quant-check";
import { exportArgs } from "../../jobs/trainer-args";
import { ensurePythonEnv, PYTHON_DIR } from "../../python/python-env";
import { runTrainer, TrainerError } from "../../python/run-trainer";
import type { Output } from "../output";
import { EXIT_OK, UsageError } from "../usage-error";

const DTYPES = ["float16", "bfloat16", "float32"];
/** Held-out prompts the quantization check answers by default: enough to see a lost fine-tune, a few minutes on a CPU. */
const DEFAULT_CHECK_ROWS = 8;
const QUANT_KINDS = new Set<string>(QUANTS);

/**
 * `vault-tuner export --run DIR --output DIR`: merge a finished run, convert it to GGUF with the
 * llama.cpp sources node-llama-cpp ships, quantize with its prebuilt libllama, keep the adapter GGUF,
 * and check the chat template. The Python environment and the sources are set up on first use.
 */
export async function runExport(args: { values: Record<string, unknown> }, output: Output): Promise<number> {
  const v = args.values;
  if (typeof v.run !== "string" || typeof v.output !== "string") throw new UsageError("give --run (a finished training run) and --output (a folder for the GGUF files)");
  const quants = (v.quant as string[] | undefined) ?? ["q4_k_m", "q8_0"];
  const unknown = quants.filter((kind) => !(QUANTS as readonly string[]).includes(kind));
  if (unknown.length > 0) throw new UsageError(`--quant ${unknown.join(", ")}: choose from ${QUANTS.join(", ")}`);
  const dtype = (v.dtype as string | undefined) ?? "float16";
  if (!DTYPES.includes(dtype)) throw new UsageError(`--dtype ${dtype}: choose from ${DTYPES.join(", ")}`);

  const started = Date.now();
  const say = (line: string) => output.err(`[${((Date.now() - started) / 1000).toFixed(0)} s] ${line}\n`);
  const env = await ensurePythonEnv({ onProgress: say });
  const tools = await ensureLlamaCppTools({ onProgress: say });
  const trainerArgs = exportArgs(tools, { run: resolve(v.run), output: resolve(v.output), quant: quants, dtype: dtype as ExportJobRequest["dtype"], adapter: v["no-adapter"] !== true, ...(typeof v.base === "string" ? { base: resolve(v.base) } : {}) });
  try {
    const { done } = await runTrainer(env.python, trainerArgs, {
      onEvent: (event) => {
        if (event.event === "stage") say(`[${event.index}/${event.total}] ${event.stage}${event.eta_s ? ` (about ${Math.ceil(event.eta_s)} s left)` : ""}`);
      },
      onLog: v.verbose === true ? (line) => output.err(`${line}\n`) : undefined,
    });
    output.out(summary(done.output ?? resolve(v.output), done.files ?? [], done.chat_template_sha256));
    const checkRows = v["check-rows"] === undefined ? DEFAULT_CHECK_ROWS : Number(v["check-rows"]);
    if (checkRows > 0 && (done.files ?? []).some((file) => QUANT_KINDS.has(file.kind))) {
      const check = await checkExport(done.output ?? resolve(v.output), done.files ?? [], typeof v["check-data"] === "string" ? resolve(v["check-data"]) : datasetOfRun(resolve(v.run)), checkRows, say);
      output.out(checkText(check));
    }
    return EXIT_OK;
  } catch (error) {
    if (!(error instanceof TrainerError)) throw error;
    output.err(`vault-tuner export: ${error.message}\n${error.hint ? `  ${error.hint}\n` : ""}`);
    return 1;
  }
}

/** The run's dataset folder, from its training.json, where it is on this machine. */
function datasetOfRun(run: string): string | undefined {
  try {
    const training = JSON.parse(readFileSync(join(run, "training.json"), "utf8")) as { dataset?: string };
    // The trainer runs in python/, so a relative dataset path there is relative to it.
    const folder = training.dataset ? dirname(resolve(PYTHON_DIR, training.dataset)) : undefined;
    return folder && existsSync(folder) ? folder : undefined;
  } catch {
    return undefined;
  }
}

/** Runs the quantization check and records it beside the files: quant-check.json, and `recommended` in export.json. */
async function checkExport(folder: string, files: ExportedFile[], dataset: string | undefined, rows: number, say: (line: string) => void): Promise<QuantCheck | string> {
  const reference = files.find((file) => !QUANT_KINDS.has(file.kind) && file.kind !== "adapter");
  if (!reference) return "quantization check skipped: no 16-bit file to compare with";
  if (!dataset) return "quantization check skipped: the run's dataset is not on this machine (give --check-data DIR)";
  const quantized = files.filter((file) => QUANT_KINDS.has(file.kind)).map((file) => ({ kind: file.kind, file: join(folder, file.name), bytes: file.bytes }));
  const check = await checkQuantizations({ file: join(folder, reference.name) }, quantized, heldOutPrompts(dataset, rows), { onProgress: say });
  writeFileSync(join(folder, "quant-check.json"), `${JSON.stringify(check, null, 2)}\n`);
  const exported = JSON.parse(readFileSync(join(folder, "export.json"), "utf8")) as Record<string, unknown>;
  writeFileSync(join(folder, "export.json"), `${JSON.stringify({ ...exported, recommended: check.recommended }, null, 2)}\n`);
  return check;
}

function checkText(check: QuantCheck | string): string {
  if (typeof check === "string") return `${check}\n`;
  const lines = [`quantization check: greedy answers on ${check.rows} held-out prompts against the 16-bit file`];
  for (const file of check.files) {
    const warning = file.verdict === "erased" ? "  WARNING: this quantization erased the fine-tune; do not deploy it" : file.verdict === "drifted" ? "  warning: answers drift from the trained model" : "";
    lines.push(`  ${file.kind.padEnd(8)} agreement ${(file.agreement * 100).toFixed(1).padStart(5)}%  same calls ${(file.same_calls * 100).toFixed(1).padStart(5)}%  ${file.verdict}${warning}`);
  }
  lines.push(`  recommended: ${check.recommended} (the smallest file that kept the training)`);
  return `${lines.join("\n")}\n`;
}

function summary(folder: string, files: ExportedFile[], template: string | undefined): string {
  const lines = [`exported to ${folder}`];
  for (const file of files) lines.push(`  ${file.name.padEnd(22)} ${file.kind.padEnd(8)} ${(file.bytes / 2 ** 20).toFixed(1).padStart(8)} MiB  sha256 ${file.sha256.slice(0, 16)}…`);
  if (template) lines.push(`  chat template sha256 ${template} (checked in every model GGUF)`);
  return `${lines.join("\n")}\n`;
}
