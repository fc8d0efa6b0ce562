import { existsSync, readFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import {
  DEFAULT_EXPORT_QUANTS,
  EXPORT_DTYPES,
  QUANT_CHECK_ROWS,
  QUANTS,
  type ExportedFile,
  type ExportJobRequest,
} from "@vault-tuner/shared";
import { checkExport, checkText, readExportCheck } from "../../export/export-check";
import { ensureLlamaCppTools } from "../../export/llama-cpp-tools";
import { exportArgs } from "../../export/export-args";
import { ensurePythonEnv, PYTHON_DIR } from "../../train/python-env";
import { runTrainer, TrainerError } from "../../train/run-trainer";
import type { Output } from "../output";
import { EXIT_OK, UsageError } from "../usage-error";
import { runExportJob } from "./jobs";

const DTYPES: readonly string[] = EXPORT_DTYPES;

/**
 * `vault-tuner export --run DIR --output DIR`: merge a finished run, convert it to GGUF with the
 * llama.cpp sources node-llama-cpp ships, quantize with its prebuilt libllama, keep the adapter GGUF,
 * and check the chat template. The Python environment and the sources are set up on first use.
 */
export async function runExport(args: { values: Record<string, unknown> }, output: Output): Promise<number> {
  const v = args.values;
  if (typeof v.job === "string") return runExportJob(args, output);
  if (typeof v.run !== "string" || typeof v.output !== "string")
    throw new UsageError(
      "give --job ID (a training job the daemon ran: the export runs there, ready to deploy), or --run DIR (a finished run folder) and --output DIR (a folder for the GGUF files)",
    );
  const quants = (v.quant as string[] | undefined) ?? DEFAULT_EXPORT_QUANTS;
  const unknown = quants.filter((kind) => !(QUANTS as readonly string[]).includes(kind));
  if (unknown.length > 0) throw new UsageError(`--quant ${unknown.join(", ")}: choose from ${QUANTS.join(", ")}`);
  const dtype = (v.dtype as string | undefined) ?? "float16";
  if (!DTYPES.includes(dtype)) throw new UsageError(`--dtype ${dtype}: choose from ${DTYPES.join(", ")}`);

  const started = Date.now();
  const say = (line: string) => output.err(`[${((Date.now() - started) / 1000).toFixed(0)} s] ${line}\n`);
  const env = await ensurePythonEnv({ onProgress: say });
  const tools = await ensureLlamaCppTools({ onProgress: say });
  const trainerArgs = exportArgs(tools, {
    run: resolve(v.run),
    output: resolve(v.output),
    quant: quants,
    dtype: dtype as ExportJobRequest["dtype"],
    adapter: v["no-adapter"] !== true,
    ...(typeof v.base === "string" ? { base: resolve(v.base) } : {}),
  });
  try {
    const { done } = await runTrainer(env.python, trainerArgs, {
      onEvent: (event) => {
        if (event.event === "stage")
          say(
            `[${event.index}/${event.total}] ${event.stage}${event.eta_s ? ` (about ${Math.ceil(event.eta_s)} s left)` : ""}`,
          );
      },
      onLog: v.verbose === true ? (line) => output.err(`${line}\n`) : undefined,
    });
    output.out(summary(done.output ?? resolve(v.output), done.files ?? [], done.chat_template_sha256));
    const checkRows = v["check-rows"] === undefined ? QUANT_CHECK_ROWS : Number(v["check-rows"]);
    if (checkRows > 0) {
      const dataset = typeof v["check-data"] === "string" ? resolve(v["check-data"]) : datasetOfRun(resolve(v.run));
      const check = await checkExport(done.output ?? resolve(v.output), done.files ?? [], dataset, checkRows, {
        onProgress: ({ file, index, total }) =>
          say(`quantization check [${index}/${total}]: greedy answers of ${basename(file)}`),
      });
      const skippedForData = "skipped" in check && !dataset ? " (give --check-data DIR)" : "";
      output.out(`${checkText(check).join("\n")}${skippedForData}\n`);
    }
    const folder = done.output ?? resolve(v.output);
    const chosen = readExportCheck(folder)?.recommended;
    const file =
      (done.files ?? []).find((entry) => entry.kind === chosen) ??
      (done.files ?? []).find((entry) => entry.kind !== "adapter");
    if (file)
      output.out(
        `next: npx vault-tuner eval run --set full-coverage --backend embedded --model ${join(folder, file.name)}\n`,
      );
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

function summary(folder: string, files: ExportedFile[], template: string | undefined): string {
  const lines = [`exported to ${folder}`];
  for (const file of files)
    lines.push(
      `  ${file.name.padEnd(22)} ${file.kind.padEnd(8)} ${(file.bytes / 2 ** 20).toFixed(1).padStart(8)} MiB  sha256 ${file.sha256.slice(0, 16)}…`,
    );
  if (template) lines.push(`  chat template sha256 ${template} (checked in every model GGUF)`);
  return `${lines.join("\n")}\n`;
}
