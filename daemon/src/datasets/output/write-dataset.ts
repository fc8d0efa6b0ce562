import { createHash } from "node:crypto";
import { createWriteStream, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DATASET_WORK_SUFFIXES, type DatasetCard } from "@vault-tuner/shared";
import type { OpenAiTool } from "../sources/toolset-registry";

type FileInfo = DatasetCard["files"][string];

/** Where a toolset's tool list is written inside a dataset folder. */
export function toolsetFileName(key: string): string {
  return `toolsets/${key.replace(/[^A-Za-z0-9._-]/g, ".")}.json`;
}

/** Writes rows as JSONL, streaming, and says how many rows and bytes and their sha256. */
async function writeJsonl(path: string, rows: Iterable<Record<string, unknown>>): Promise<FileInfo> {
  const out = createWriteStream(path);
  const hash = createHash("sha256");
  let count = 0;
  let bytes = 0;
  for (const row of rows) {
    const line = `${JSON.stringify(row)}\n`;
    hash.update(line);
    bytes += Buffer.byteLength(line);
    count++;
    if (!out.write(line)) await new Promise<void>((resolve) => out.once("drain", () => resolve()));
  }
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
  return { rows: count, bytes, sha256: hash.digest("hex") };
}

function writeText(path: string, text: string): FileInfo {
  writeFileSync(path, text);
  return {
    rows: text.split("\n").length - 1,
    bytes: Buffer.byteLength(text),
    sha256: createHash("sha256").update(text).digest("hex"),
  };
}

export interface DatasetFiles {
  train: Iterable<Record<string, unknown>>;
  holdout: Iterable<Record<string, unknown>>;
  /** Every record the build dropped, with the rule that dropped it. */
  dropped: Iterable<{ source: string; rule: string; message: string }>;
  toolsets: Map<string, OpenAiTool[]>;
}

/**
 * Writes a dataset folder: train.jsonl, holdout.jsonl, dropped.jsonl, toolsets/*.json, card.json and card.md. It is
 * written beside the target and renamed into place, so a reader never sees half a dataset and a failed
 * build leaves the previous one as it was.
 */
export async function writeDatasetFolder(
  folder: string,
  files: DatasetFiles,
  finishCard: (files: DatasetCard["files"]) => { card: DatasetCard; markdown: string },
): Promise<DatasetCard> {
  // Fixed names, so what an interrupted build left behind is cleared by the next build of the same name.
  const staging = `${folder}${DATASET_WORK_SUFFIXES.staging}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(join(staging, "toolsets"), { recursive: true });
  try {
    const info: DatasetCard["files"] = {};
    info["train.jsonl"] = await writeJsonl(join(staging, "train.jsonl"), files.train);
    info["holdout.jsonl"] = await writeJsonl(join(staging, "holdout.jsonl"), files.holdout);
    info["dropped.jsonl"] = await writeJsonl(join(staging, "dropped.jsonl"), files.dropped);
    for (const [key, tools] of [...files.toolsets].sort(([a], [b]) => a.localeCompare(b))) {
      info[toolsetFileName(key)] = writeText(
        join(staging, toolsetFileName(key)),
        `${JSON.stringify(tools, null, 2)}\n`,
      );
    }
    const { card, markdown } = finishCard(info);
    writeText(join(staging, "card.json"), `${JSON.stringify(card, null, 2)}\n`);
    writeText(join(staging, "card.md"), markdown);
    const previous = `${folder}${DATASET_WORK_SUFFIXES.replaced}`;
    rmSync(previous, { recursive: true, force: true });
    if (existsSync(folder)) renameSync(folder, previous);
    renameSync(staging, folder);
    rmSync(previous, { recursive: true, force: true });
    return card;
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
}
