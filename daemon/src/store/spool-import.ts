import { readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { describeError, ToolsListResultSchema, TraceSchema, type Trace } from "@vault-tuner/shared";
import { readLines } from "@vault-tuner/shared/node";
import type { z } from "zod";
import { processAlive } from "../config/process-alive";
import type { IngestQueue } from "./ingest-queue";
import type { Quarantine } from "./quarantine";
import type { ToolsetStore } from "./toolset-store";

const BATCH = 500;

export interface SpoolImport {
  files: number;
  traces: number;
  toolsets: number;
  /** Lines that could not be imported, set aside in the quarantine with the reason. */
  quarantined: number;
  /** Lines that could not be imported nor set aside (the quarantine could not be written): their file stays. */
  kept: number;
}

/** A spooled trace and where it came from, so one that cannot be stored can be set aside exactly. */
interface SpooledTrace {
  trace: Trace;
  from: string;
  text: string;
}

/**
 * Imports what taps spooled while the daemon was away: `<runId>.jsonl` files of toolset and trace
 * records. Traces keep their ids, so records the daemon already has are not stored twice. No line can
 * stop the import (and so the daemon's start): one that is not a record, or that cannot be stored, is
 * set aside in the quarantine with the reason. A file is removed once imported unless its tap is still
 * running (it may still append) or a line of it could not be set aside.
 */
export async function importSpool(
  folder: string,
  toolsets: ToolsetStore,
  ingest: IngestQueue,
  quarantine: Quarantine,
): Promise<SpoolImport> {
  const summary: SpoolImport = { files: 0, traces: 0, toolsets: 0, quarantined: 0, kept: 0 };
  let names: string[];
  try {
    names = readdirSync(folder)
      .filter((name) => name.endsWith(".jsonl"))
      .sort();
  } catch {
    return summary;
  }
  for (const name of names) {
    const file = join(folder, name);
    // A running tap may be writing its last line right now: nothing of its file is set aside yet.
    const running = tapIsRunning(name);
    let keepFile = running;
    const setAside = (from: string, reason: string, text: string) => {
      if (running) return;
      try {
        quarantine.add(from, reason, text);
        summary.quarantined++;
      } catch {
        summary.kept++;
        keepFile = true;
      }
    };
    let batch: SpooledTrace[] = [];
    const flush = async () => {
      summary.traces += await storeTraces(batch, ingest, setAside);
      batch = [];
    };
    for await (const line of readLines(file)) {
      const from = `spool/${name}:${line.line}`;
      if (line.text === undefined) {
        setAside(from, line.message, "");
        continue;
      }
      if (!line.text.trim()) continue;
      const record = parse(line.text);
      if ("reason" in record) setAside(from, record.reason, line.text);
      else if (record.kind === "toolset") {
        await flush();
        toolsets.put(record.toolsList, new Date().toISOString());
        summary.toolsets++;
      } else {
        batch.push({ trace: record.trace, from, text: line.text });
        if (batch.length >= BATCH) await flush();
      }
    }
    await flush();
    summary.files++;
    if (!keepFile) for (const leftover of [file, file.replace(/\.jsonl$/, ".sent")]) rmSync(leftover, { force: true });
  }
  return summary;
}

/** Stores a batch; when the batch fails, each trace alone, setting aside the ones that still fail. */
async function storeTraces(
  batch: SpooledTrace[],
  ingest: IngestQueue,
  setAside: (from: string, reason: string, text: string) => void,
): Promise<number> {
  if (batch.length === 0) return 0;
  try {
    await ingest.submit(batch.map((item) => item.trace));
    return batch.length;
  } catch {
    let stored = 0;
    for (const item of batch) {
      try {
        await ingest.submit([item.trace]);
        stored++;
      } catch (error) {
        setAside(item.from, `could not be stored: ${describeError(error)}`, item.text);
      }
    }
    return stored;
  }
}

type SpoolRecord =
  | { kind: "toolset"; toolsList: z.infer<typeof ToolsListResultSchema> }
  | { kind: "trace"; trace: Trace }
  | { reason: string };

function parse(text: string): SpoolRecord {
  let value: { kind?: unknown; toolsList?: unknown; trace?: unknown };
  try {
    value = JSON.parse(text) as typeof value;
  } catch {
    // A torn last line: the tap was killed while writing it, before it was synced or acknowledged.
    return { reason: "not JSON (a line cut short: its tap stopped while writing it)" };
  }
  if (value?.kind === "toolset") {
    const toolsList = ToolsListResultSchema.safeParse(value.toolsList);
    return toolsList.success
      ? { kind: "toolset", toolsList: toolsList.data }
      : { reason: issueText("toolsList", toolsList.error) };
  }
  if (value?.kind === "trace") {
    const trace = TraceSchema.safeParse(value.trace);
    return trace.success ? { kind: "trace", trace: trace.data } : { reason: issueText("trace", trace.error) };
  }
  return { reason: 'not a spool record (its "kind" is neither "toolset" nor "trace")' };
}

/** The first thing wrong with a record, named by its field (`trace.call.arguments: …`). */
function issueText(field: string, error: z.ZodError): string {
  const issue = error.issues[0];
  return issue ? `${[field, ...issue.path].join(".")}: ${issue.message}` : error.message;
}

/** Spool files are named `tap-<pid>-...`; a live pid means the tap may still be writing. */
function tapIsRunning(name: string): boolean {
  const pid = Number(/^tap-(\d+)-/.exec(name)?.[1]);
  if (!pid || pid === process.pid) return false;
  return processAlive(pid);
}
