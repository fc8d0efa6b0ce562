import type {
  Correction,
  Label,
  LabelChange,
  LabelValue,
  StoredTrace,
  Suggestion,
  Trace,
  TraceDetail,
  TraceFilter,
} from "@vault-tuner/shared";
import { decodeCursor, encodeCursor } from "./cursor";
import type { Db } from "./open-database";
import type { Quarantine } from "./quarantine";
import { tracePreview } from "./trace-preview";

interface TraceRow {
  seq: number;
  recorded_ms: number;
  received_at: string;
  failed: number;
  suggestion: string | null;
  label: LabelValue;
  note: string | null;
  correction: string | null;
  body: string;
}

export class InvalidCursorError extends Error {}

const ROW_COLUMNS = "seq, recorded_ms, received_at, failed, suggestion, label, note, correction, body";

/** Reading recorded tool calls, and the user's labels on them (traces are written by the TraceWriter). */
export class TraceStore {
  private readonly selectById;
  private readonly selectHistory;
  private readonly updateLabel;
  private readonly insertHistory;

  constructor(private readonly db: Db) {
    this.selectById = db.prepare<[string], TraceRow>(`SELECT ${ROW_COLUMNS} FROM traces WHERE id = ?`);
    this.selectHistory = db.prepare<
      [string],
      { label: LabelValue; note: string | null; correction: string | null; at: string }
    >("SELECT label, note, correction, at FROM label_history WHERE trace_id = ? ORDER BY seq");
    this.updateLabel = db.prepare("UPDATE traces SET label = ?, note = ?, correction = ? WHERE id = ?");
    this.insertHistory = db.prepare(
      "INSERT INTO label_history (trace_id, label, note, correction, at) VALUES (?, ?, ?, ?, ?)",
    );
  }

  get(id: string): TraceDetail | undefined {
    const row = this.selectById.get(id);
    if (!row) return undefined;
    const history: LabelChange[] = this.selectHistory.all(id).map((change) => ({
      label: change.label,
      note: change.note,
      correction: parseCorrection(change.correction),
      at: change.at,
    }));
    return {
      trace: toStoredTrace(row),
      label: row.label,
      note: row.note,
      correction: parseCorrection(row.correction),
      history,
    };
  }

  /**
   * Sets the label and appends the resulting verdict to the history, in one transaction; a note or
   * correction the change leaves out is kept (see LabelSchema). undefined when there is no such trace.
   */
  label(id: string, label: Label, at: string): { detail: TraceDetail; previous: LabelValue } | undefined {
    // IMMEDIATE: the write lock is taken (waiting out the trace writer's commit) before the row is read.
    // A deferred transaction that read first cannot upgrade once the writer has committed after its read
    // (SQLITE_BUSY_SNAPSHOT, which no busy timeout waits out): labels failed under recording load.
    return this.db
      .transaction(() => {
        const row = this.selectById.get(id);
        if (!row) return undefined;
        const note = label.note === undefined ? row.note : label.note || null;
        const correction =
          label.label !== "undesirable"
            ? null
            : label.correction === undefined
              ? row.correction
              : label.correction
                ? JSON.stringify(label.correction)
                : null;
        this.updateLabel.run(label.label, note, correction, id);
        this.insertHistory.run(id, label.label, note, correction, at);
        return { detail: this.get(id) as TraceDetail, previous: row.label };
      })
      .immediate();
  }

  /** One page, newest first (by recording time, then arrival). */
  list(filter: TraceFilter, limit: number, cursorText?: string): { items: StoredTrace[]; nextCursor: string | null } {
    const { where, params } = filterClause(filter);
    if (cursorText !== undefined) {
      const cursor = decodeCursor(cursorText);
      if (!cursor) throw new InvalidCursorError("cursor is not one this daemon returned");
      where.push("(recorded_ms < @cursorMs OR (recorded_ms = @cursorMs AND seq < @cursorSeq))");
      params.cursorMs = cursor.recordedMs;
      params.cursorSeq = cursor.seq;
    }
    const sql = `SELECT ${ROW_COLUMNS} FROM traces ${whereText(where)} ORDER BY recorded_ms DESC, seq DESC LIMIT ${limit + 1}`;
    const rows = this.db.prepare<Record<string, unknown>, TraceRow>(sql).all(params);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const nextCursor =
      rows.length > limit && last ? encodeCursor({ recordedMs: last.recorded_ms, seq: last.seq }) : null;
    return { items: page.map((row) => tracePreview(toStoredTrace(row))), nextCursor };
  }

  /** Every matching trace with its label and correction, grouped by session in recording order. */
  *iterate(filter: TraceFilter): Generator<TraceDetail> {
    const { where, params } = filterClause(filter);
    const sql = `SELECT ${ROW_COLUMNS} FROM traces ${whereText(where)} ORDER BY session, recorded_ms, seq`;
    for (const row of this.db.prepare<Record<string, unknown>, TraceRow>(sql).iterate(params)) {
      yield {
        trace: toStoredTrace(row),
        label: row.label,
        note: row.note,
        correction: parseCorrection(row.correction),
        history: [],
      };
    }
  }

  /** Every trace of one session in recording order: the conversation a call belongs to. */
  session(session: string): StoredTrace[] {
    return this.db
      .prepare<[string], TraceRow>(`SELECT ${ROW_COLUMNS} FROM traces WHERE session = ? ORDER BY recorded_ms, seq`)
      .all(session)
      .map(toStoredTrace);
  }

  /**
   * Moves stored rows that cannot be read back (JSON that does not parse, or nests deeper than SQLite's
   * 1,000 levels, which only a daemon without the depth limit let in) to the quarantine, with their
   * label history, so that no row can break a listing or a dataset build. Returns how many.
   */
  setAsideUnreadable(quarantine: Quarantine): number {
    const unreadable = this.db
      .prepare<[], Record<string, unknown> & { id: string }>(
        `SELECT * FROM traces WHERE json_valid(body) = 0
           OR (suggestion IS NOT NULL AND json_valid(suggestion) = 0)
           OR (correction IS NOT NULL AND json_valid(correction) = 0)`,
      )
      .all();
    for (const row of unreadable) {
      const history = this.db.prepare("SELECT * FROM label_history WHERE trace_id = ? ORDER BY seq").all(row.id);
      quarantine.add(`traces/${row.id}`, "the stored row is not readable JSON", { row, history });
      this.db.transaction(() => {
        this.db.prepare("DELETE FROM label_history WHERE trace_id = ?").run(row.id);
        this.db.prepare("DELETE FROM traces WHERE id = ?").run(row.id);
      })();
    }
    return unreadable.length;
  }

  count(): number {
    return (this.db.prepare("SELECT count(*) AS n FROM traces").get() as { n: number }).n;
  }
}

function filterClause(filter: TraceFilter): { where: string[]; params: Record<string, unknown> } {
  const where: string[] = [];
  const params: Record<string, unknown> = {};
  if (filter.label) {
    where.push("label = @label");
    params.label = filter.label;
  }
  if (filter.tool) {
    where.push("tool = @tool");
    params.tool = filter.tool;
  }
  if (filter.session) {
    where.push("session = @session");
    params.session = filter.session;
  }
  if (filter.failed !== undefined) {
    where.push("failed = @failed");
    params.failed = filter.failed ? 1 : 0;
  }
  if (filter.suggested) where.push("suggestion IS NOT NULL");
  if (filter.q) {
    where.push("body LIKE @q ESCAPE '\\'");
    params.q = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  }
  return { where, params };
}

function whereText(where: string[]): string {
  return where.length > 0 ? `WHERE ${where.join(" AND ")}` : "";
}

function toStoredTrace(row: TraceRow): StoredTrace {
  const trace = JSON.parse(row.body) as Trace & { id: string };
  return {
    ...trace,
    receivedAt: row.received_at,
    failed: row.failed === 1,
    suggestion: row.suggestion ? (JSON.parse(row.suggestion) as Suggestion) : null,
    label: row.label,
  };
}

function parseCorrection(text: string | null): Correction | null {
  return text ? (JSON.parse(text) as Correction) : null;
}
