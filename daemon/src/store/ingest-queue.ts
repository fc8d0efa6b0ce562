import type { Trace } from "@vault-tuner/shared";
import type { ToolsetStore } from "./toolset-store";
import { traceRow, type CreatedTrace, type TraceRowInput } from "./trace-rows";
import type { TraceWriter } from "./trace-writer";

/** The outcome of one posted batch: an id per trace, and which of them were new. */
export interface InsertedBatch {
  ids: string[];
  created: CreatedTrace[];
}

interface Pending {
  rows: TraceRowInput[];
  summaries: CreatedTrace[];
  resolve(batch: InsertedBatch): void;
  reject(error: unknown): void;
}

/**
 * Group commit. While one commit is being synced to disk, batches that arrive wait here; when it is
 * done, all of them go to disk in the next single transaction, and each request is answered with its
 * own ids. Under load many requests share one disk sync. Nobody is answered before the commit that
 * holds their traces has returned.
 */
export class IngestQueue {
  private pending: Pending[] = [];
  private committing = false;

  constructor(
    private readonly writer: TraceWriter,
    private readonly toolsets: ToolsetStore,
  ) {}

  submit(traces: Trace[]): Promise<InsertedBatch> {
    const receivedAt = new Date().toISOString();
    const prepared = traces.map((trace) =>
      traceRow(trace, receivedAt, trace.toolsetHash ? this.toolsets.catalog(trace.toolsetHash) : undefined),
    );
    return new Promise((resolve, reject) => {
      this.pending.push({
        rows: prepared.map((p) => p.row),
        summaries: prepared.map((p) => p.summary),
        resolve,
        reject,
      });
      if (!this.committing) void this.commitPending();
    });
  }

  private async commitPending(): Promise<void> {
    this.committing = true;
    while (this.pending.length > 0) {
      const group = this.pending;
      this.pending = [];
      try {
        const inserted = await this.writer.commit(group.map((entry) => entry.rows));
        group.forEach((entry, i) => {
          const flags = inserted[i] ?? [];
          entry.resolve({ ids: entry.rows.map((row) => row.id), created: entry.summaries.filter((_, k) => flags[k]) });
        });
      } catch (error) {
        for (const entry of group) entry.reject(error);
      }
    }
    this.committing = false;
  }
}
