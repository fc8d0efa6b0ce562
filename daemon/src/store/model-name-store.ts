import type { Db } from "./open-database";

/** The names users gave their trained models (by training job); a model without one goes by its default name. */
export class ModelNameStore {
  private readonly upsert;
  private readonly all;

  constructor(db: Db) {
    this.upsert = db.prepare<[string, string, string]>(
      "INSERT INTO model_names (train_job, name, renamed_at) VALUES (?, ?, ?) ON CONFLICT (train_job) DO UPDATE SET name = excluded.name, renamed_at = excluded.renamed_at",
    );
    this.all = db.prepare<[], { train_job: string; name: string }>("SELECT train_job, name FROM model_names");
  }

  rename(trainJob: string, name: string, now: string): void {
    this.upsert.run(trainJob, name, now);
  }

  /** Every given name, by training job. */
  names(): Map<string, string> {
    return new Map(this.all.all().map((row) => [row.train_job, row.name]));
  }
}
