import type { DatasetCard } from "@vault-tuner/shared";
import type { Db } from "./open-database";

/** The cards of the datasets built so far (the files themselves live in the data dir). */
export class DatasetStore {
  constructor(private readonly db: Db) {}

  put(card: DatasetCard): void {
    this.db.prepare("INSERT OR REPLACE INTO datasets (name, card, built_at) VALUES (?, ?, ?)").run(card.name, JSON.stringify(card), card.builtAt);
  }

  get(name: string): DatasetCard | undefined {
    const row = this.db.prepare<[string], { card: string }>("SELECT card FROM datasets WHERE name = ?").get(name);
    return row ? (JSON.parse(row.card) as DatasetCard) : undefined;
  }

  list(): DatasetCard[] {
    return this.db
      .prepare<[], { card: string }>("SELECT card FROM datasets ORDER BY built_at DESC")
      .all()
      .map((row) => JSON.parse(row.card) as DatasetCard);
  }
}
