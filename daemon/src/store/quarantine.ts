import { appendFileSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** One record set aside: where it came from, why, and the record exactly as it was. */
export interface QuarantinedRecord {
  at: string;
  /** `spool/<file>:<line>` for a tap's spooled line, `traces/<id>` for a stored row. */
  from: string;
  reason: string;
  record: unknown;
}

/**
 * Records the daemon could not take, set aside with the reason instead of stopping it: a spooled line
 * it cannot import, a stored row it cannot read. One JSON line each in
 * `<data dir>/quarantine/records.jsonl`, so nothing is lost and a user (or a later version) can look
 * at them; health reports how many there are.
 */
export class Quarantine {
  readonly file: string;
  private records: number;

  constructor(folder: string) {
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    this.file = join(folder, "records.jsonl");
    let text = "";
    try {
      text = readFileSync(this.file, "utf8");
    } catch {
      // None set aside yet.
    }
    this.records = text.split("\n").filter((line) => line.trim() !== "").length;
  }

  /** How many records are set aside. */
  get count(): number {
    return this.records;
  }

  /** Sets one record aside; throws when it cannot be written (then the caller keeps the record where it was). */
  add(from: string, reason: string, record: unknown): void {
    const entry: QuarantinedRecord = { at: new Date().toISOString(), from, reason, record };
    appendFileSync(this.file, `${JSON.stringify(entry)}\n`, { mode: 0o600 });
    this.records++;
  }
}
