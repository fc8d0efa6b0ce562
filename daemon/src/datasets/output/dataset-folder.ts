import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { DatasetCardSchema, type DatasetCard } from "@vault-tuner/shared";

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
    if (!entry.isDirectory() || entry.name.endsWith(".partial") || entry.name.endsWith(".previous")) continue;
    try {
      const card = readCard(root, entry.name);
      if (card) cards.push(card);
    } catch {
      // A card written by a newer version or edited by hand: not listed, never deleted.
    }
  }
  return cards.sort((a, b) => b.builtAt.localeCompare(a.builtAt) || a.name.localeCompare(b.name));
}
