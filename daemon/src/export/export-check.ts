import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DEFAULT_DEPLOY_FILE, QUANTS, type ExportedFile } from "@vault-tuner/shared";
import {
  checkQuantizations,
  heldOutPrompts,
  type CheckProgress,
  type QuantCheck,
  type QuantVerdict,
} from "./quant-check";

/** The check's record, beside the GGUF files it judged. */
export const QUANT_CHECK_FILE = "quant-check.json";
const QUANT_KINDS = new Set<string>(QUANTS);

/**
 * Runs the quantization check on an export folder and records it there: quant-check.json, and
 * `recommended` in export.json. Gives the reason instead when there is nothing to check or no data to
 * check with; the exported files are kept either way.
 */
export async function checkExport(
  folder: string,
  files: ExportedFile[],
  dataset: string | undefined,
  rows: number,
  options: { onProgress?: (progress: CheckProgress) => void; signal?: AbortSignal } = {},
): Promise<QuantCheck | { skipped: string }> {
  const quantized = files
    .filter((file) => QUANT_KINDS.has(file.kind))
    .map((file) => ({ kind: file.kind, file: join(folder, file.name), bytes: file.bytes }));
  if (rows <= 0) return { skipped: "asked for 0 rows" };
  if (quantized.length === 0) return { skipped: "no quantized file to check" };
  const reference = files.find((file) => !QUANT_KINDS.has(file.kind) && file.kind !== "adapter");
  if (!reference) return { skipped: "no 16-bit file to compare with" };
  if (!dataset || !existsSync(dataset))
    return { skipped: `the run's dataset${dataset ? ` ${dataset}` : ""} is not on this machine` };
  const check = await checkQuantizations(
    { kind: reference.kind, file: join(folder, reference.name) },
    quantized,
    heldOutPrompts(dataset, rows),
    options,
  );
  writeFileSync(join(folder, QUANT_CHECK_FILE), `${JSON.stringify(check, null, 2)}\n`);
  const exported = JSON.parse(readFileSync(join(folder, "export.json"), "utf8")) as Record<string, unknown>;
  writeFileSync(
    join(folder, "export.json"),
    `${JSON.stringify({ ...exported, recommended: check.recommended }, null, 2)}\n`,
  );
  return check;
}

/** The check an export folder holds, if it was run (one that cannot be read counts as not run). */
export function readExportCheck(folder: string): QuantCheck | undefined {
  try {
    const check = JSON.parse(readFileSync(join(folder, QUANT_CHECK_FILE), "utf8")) as QuantCheck;
    return Array.isArray(check.files) && typeof check.recommended === "string" ? check : undefined;
  } catch {
    return undefined;
  }
}

/** The file a deploy of this export loads: the one asked for, else the check's recommendation, else the default. */
export function fileToDeploy(folder: string, requested?: string): string {
  return requested ?? readExportCheck(folder)?.recommended ?? DEFAULT_DEPLOY_FILE;
}

/** The check's verdict on one of the export's files, when it judged that file. */
export function verdictOf(folder: string, kind: string): QuantVerdict | undefined {
  return readExportCheck(folder)?.files.find((file) => file.kind === kind);
}

/** One line per file, warnings first-class: what the CLI prints and the job log keeps. */
export function checkText(check: QuantCheck | { skipped: string }): string[] {
  if ("skipped" in check) return [`quantization check skipped: ${check.skipped}`];
  const lines = [`quantization check: greedy answers on ${check.rows} held-out prompts against the 16-bit file`];
  for (const file of check.files) {
    const warning =
      file.verdict === "erased"
        ? "  WARNING: this quantization erased the fine-tune; do not deploy it"
        : file.verdict === "drifted"
          ? "  warning: answers drift from the trained model"
          : "";
    lines.push(
      `  ${file.kind.padEnd(8)} agreement ${(file.agreement * 100).toFixed(1).padStart(5)}%  same calls ${(file.same_calls * 100).toFixed(1).padStart(5)}%  ${file.verdict}${warning}`,
    );
  }
  const quantized = check.files.some((file) => file.kind === check.recommended);
  lines.push(
    `  recommended: ${check.recommended} (${quantized ? "the smallest file that kept the training" : "no quantized file kept the training: the 16-bit file"})`,
  );
  return lines;
}
