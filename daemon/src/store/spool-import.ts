import { readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { ToolsListResultSchema, TraceSchema, type Trace } from "@vault-tuner/shared";
import { readLines } from "@vault-tuner/shared/node";
import { processAlive } from "../config/process-alive";
import type { IngestQueue } from "./ingest-queue";
import type { ToolsetStore } from "./toolset-store";

const BATCH = 500;

export interface SpoolImport {
  files: number;
  traces: number;
  toolsets: number;
  /** Lines that were not a record (a tap killed mid-write leaves at most one). */
  skipped: number;
}

/**
 * Imports what taps spooled while the daemon was away: `<runId>.jsonl` files of toolset and trace
 * records. Traces keep their ids, so records the daemon already has are not stored twice. A file is
 * removed once imported unless its tap is still running (it may still append).
 */
export async function importSpool(folder: string, toolsets: ToolsetStore, ingest: IngestQueue): Promise<SpoolImport> {
  const summary: SpoolImport = { files: 0, traces: 0, toolsets: 0, skipped: 0 };
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
    let batch: Trace[] = [];
    const flush = async () => {
      if (batch.length > 0) await ingest.submit(batch);
      summary.traces += batch.length;
      batch = [];
    };
    for await (const line of readLines(file)) {
      const record = parse(line.text);
      if (record?.kind === "toolset") {
        await flush();
        toolsets.put(record.toolsList, new Date().toISOString());
        summary.toolsets++;
      } else if (record?.kind === "trace") {
        batch.push(record.trace);
        if (batch.length >= BATCH) await flush();
      } else if (line.text?.trim()) summary.skipped++;
    }
    await flush();
    summary.files++;
    if (!tapIsRunning(name))
      for (const leftover of [file, file.replace(/\.jsonl$/, ".sent")]) rmSync(leftover, { force: true });
  }
  return summary;
}

type SpoolRecord =
  | { kind: "toolset"; toolsList: ReturnType<typeof ToolsListResultSchema.parse> }
  | { kind: "trace"; trace: Trace };

function parse(text: string | undefined): SpoolRecord | undefined {
  if (!text) return undefined;
  try {
    const value = JSON.parse(text) as { kind?: unknown; toolsList?: unknown; trace?: unknown };
    if (value.kind === "toolset") {
      const toolsList = ToolsListResultSchema.safeParse(value.toolsList);
      return toolsList.success ? { kind: "toolset", toolsList: toolsList.data } : undefined;
    }
    if (value.kind === "trace") {
      const trace = TraceSchema.safeParse(value.trace);
      return trace.success ? { kind: "trace", trace: trace.data } : undefined;
    }
  } catch {
    // A torn last line: the tap was killed while writing it, before it was synced or acknowledged.
  }
  return undefined;
}

/** Spool files are named `tap-<pid>-...`; a live pid means the tap may still be writing. */
function tapIsRunning(name: string): boolean {
  const pid = Number(/^tap-(\d+)-/.exec(name)?.[1]);
  if (!pid || pid === process.pid) return false;
  return processAlive(pid);
}
