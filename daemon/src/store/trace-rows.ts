import { randomUUID } from "node:crypto";
import type { Catalog, Trace } from "@vault-tuner/shared";
import { failureOf } from "../suggestions/failure";
import { suggestLabel } from "../suggestions/suggest-label";

/** One `traces` row as the writer inserts it; the columns are those of the first migration. */
export interface TraceRowInput {
  id: string;
  recordedAt: string;
  recordedMs: number;
  receivedAt: string;
  session: string;
  tool: string;
  toolsetHash: string | null;
  failed: 0 | 1;
  suggestion: string | null;
  body: string;
}

/** What the live feed needs to know about a newly stored trace. */
export interface CreatedTrace {
  id: string;
  session: string;
  tool: string;
  failed: boolean;
  suggested: boolean;
}

/** Gives the trace its id (when the recorder sent none), and works out failure and suggestion. */
export function traceRow(
  trace: Trace,
  receivedAt: string,
  catalog: Catalog | undefined,
): { row: TraceRowInput; summary: CreatedTrace } {
  const stored = { ...trace, id: trace.id ?? `tr_${randomUUID()}` };
  const failure = failureOf(stored);
  const suggestion = suggestLabel(stored, failure, catalog);
  return {
    row: {
      id: stored.id,
      recordedAt: stored.recordedAt,
      recordedMs: Date.parse(stored.recordedAt),
      receivedAt,
      session: stored.session,
      tool: stored.call.name,
      toolsetHash: stored.toolsetHash ?? null,
      failed: failure === undefined ? 0 : 1,
      suggestion: suggestion ? JSON.stringify(suggestion) : null,
      body: JSON.stringify(stored),
    },
    summary: {
      id: stored.id,
      session: stored.session,
      tool: stored.call.name,
      failed: failure !== undefined,
      suggested: suggestion !== null,
    },
  };
}
