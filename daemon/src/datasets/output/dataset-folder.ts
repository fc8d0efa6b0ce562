import { existsSync, readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { DATASET_WORK_SUFFIXES, DatasetCardSchema, type DatasetCard } from "@vault-tuner/shared";

/** The file of a built dataset each download split names. */
export const SPLIT_FILES = {
  train: "train.jsonl",
  holdout: "holdout.jsonl",
  card: "card.json",
  dropped: "dropped.jsonl",
} as const;

/** The card of a built dataset, or undefined when there is none by that name. */
export function readCard(root: string, name: string): DatasetCard | undefined {
  const file = join(root, name, SPLIT_FILES.card);
  if (!existsSync(file)) return undefined;
  return DatasetCardSchema.parse(JSON.parse(readFileSync(file, "utf8")));
}

/** Distinct labelled rows a model trained on from this dataset: its training split less the rows repeated for balance. */
export function labelledTrainingRows(card: DatasetCard): number {
  return Math.max(0, card.counts.train.desirable + card.counts.train.undesirable - card.counts.train.repeated);
}

/** Every built dataset under a folder, newest first. Folders without a readable card are skipped. */
export function listCards(root: string): DatasetCard[] {
  if (!existsSync(root)) return [];
  const cards: DatasetCard[] = [];
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    if (!entry.isDirectory() || isWorkFolder(entry.name)) continue;
    try {
      const card = readCard(root, entry.name);
      if (card) cards.push(card);
    } catch {
      // A card written by a newer version or edited by hand: not listed, never deleted.
    }
  }
  return cards.sort((a, b) => b.builtAt.localeCompare(a.builtAt) || a.name.localeCompare(b.name));
}

function isWorkFolder(name: string): boolean {
  return Object.values(DATASET_WORK_SUFFIXES).some((suffix) => name.endsWith(suffix));
}

/**
 * What a build cut off (a crash, kill -9) left beside the datasets, put right when the daemon starts: a
 * half-written `<name>.partial` is removed; a `<name>.previous` is removed when its dataset is there, and
 * put back as the dataset when the swap stopped between its two renames. Says what it did, one line each.
 */
export function tidyDatasetWork(root: string): string[] {
  if (!existsSync(root)) return [];
  const done: string[] = [];
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const path = join(root, entry.name);
    if (entry.name.endsWith(DATASET_WORK_SUFFIXES.staging)) {
      rmSync(path, { recursive: true, force: true });
      done.push(`removed the unfinished build ${entry.name}`);
    } else if (entry.name.endsWith(DATASET_WORK_SUFFIXES.replaced)) {
      const dataset = join(root, entry.name.slice(0, -DATASET_WORK_SUFFIXES.replaced.length));
      if (existsSync(dataset)) {
        rmSync(path, { recursive: true, force: true });
        done.push(`removed ${entry.name}, which a finished build replaced`);
      } else {
        renameSync(path, dataset);
        done.push(`put back ${entry.name} as the dataset a cut-off build was replacing`);
      }
    }
  }
  return done;
}
