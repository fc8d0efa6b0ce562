import { createHash } from "node:crypto";
import {
  BUILTIN_CATALOG_NAMES,
  builtinCatalog,
  canonicalJson,
  REPORT_FORMAT,
  type Catalog,
  type EvalCase,
  type EvalRecord,
  type EvalReport,
  type PromptSet,
} from "@vault-tuner/shared";
import { summarize } from "./scoring/summarize";
import type { ChatMessage, ChatTool } from "../inference/chat-types";
import { DAEMON_VERSION } from "../version";
import type { EvalBackend } from "./backends/eval-backend";
import { runAttempt } from "./run-attempt";

export interface EvalProgress {
  done: number;
  total: number;
  passed: number;
  failed: number;
  requestErrors: number;
  /** Seconds left at the pace so far; undefined until one try has finished. */
  etaS?: number;
  /** The try that just finished. */
  last?: { caseId: string; attempt: number; status: EvalRecord["status"] };
}

export interface EvalRunOptions {
  set: PromptSet;
  backend: EvalBackend;
  /** Tries of each case (for pass^k). */
  repeat?: number;
  /** Cases in flight at once; capped by what the backend can take. */
  concurrency?: number;
  /** Overrides every case's own turn limit. */
  turnLimit?: number;
  /** The report's id (the daemon uses its job id). */
  id?: string;
  signal?: AbortSignal;
  onProgress?: (progress: EvalProgress) => void;
}

/**
 * Runs every case of a set `repeat` times against one backend, a few at a time, and returns the full
 * report. Records keep the set's order whatever order the tries finish in.
 */
export async function runEval(options: EvalRunOptions): Promise<EvalReport> {
  const { set, backend } = options;
  const catalog = sandboxCatalog(set.catalog);
  const repeat = options.repeat ?? 1;
  const concurrency = Math.max(1, Math.min(options.concurrency ?? 1, backend.maxConcurrency));
  const work = Array.from({ length: repeat }, (_, index) =>
    set.cases.map((evalCase) => ({ evalCase, attempt: index + 1 })),
  ).flat();
  const records: EvalRecord[] = new Array(work.length);
  const toolsOf = new Map(set.cases.map((evalCase) => [evalCase.id, offeredTools(evalCase, catalog)]));
  const started = performance.now();
  // The run is named and dated by when it started, as a user remembers starting it.
  const startedAt = new Date();
  const progress: EvalProgress = { done: 0, total: work.length, passed: 0, failed: 0, requestErrors: 0 };
  // Backends that hold a context (the embedded model) size it for the longest conversation the set can make.
  const turnLimits = set.cases.map((evalCase) => options.turnLimit ?? evalCase.turnLimit);
  await backend.prepare?.(
    set.cases.map((evalCase) => ({
      messages: evalCase.messages as ChatMessage[],
      tools: toolsOf.get(evalCase.id) ?? [],
    })),
    Math.max(1, ...turnLimits),
  );
  let next = 0;
  const worker = async () => {
    while (next < work.length) {
      options.signal?.throwIfAborted();
      const index = next++;
      const { evalCase, attempt } = work[index] as { evalCase: EvalCase; attempt: number };
      const record = await runAttempt(evalCase, attempt, catalog, toolsOf.get(evalCase.id) ?? [], backend, {
        turnLimit: options.turnLimit,
        signal: options.signal,
      });
      records[index] = record;
      progress.done += 1;
      if (record.status === "passed") progress.passed += 1;
      else if (record.status === "failed") progress.failed += 1;
      else progress.requestErrors += 1;
      const elapsed = (performance.now() - started) / 1000;
      progress.etaS = Math.round((elapsed / progress.done) * (progress.total - progress.done));
      progress.last = { caseId: evalCase.id, attempt, status: record.status };
      options.onProgress?.({ ...progress });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return {
    format: REPORT_FORMAT,
    metadata: {
      id:
        options.id ?? `${set.id}-${startedAt.toISOString().replace(/[-:]/g, "").replace(/\..*/, "").replace("T", "-")}`,
      created_at: startedAt.toISOString(),
      duration_s: Math.round((performance.now() - started) / 100) / 10,
      set: {
        id: set.id,
        title: set.title,
        catalog: set.catalog,
        cases: set.cases.length,
        sha256: sha256(canonicalJson(set)),
        case_sha256: Object.fromEntries(set.cases.map((evalCase) => [evalCase.id, sha256(canonicalJson(evalCase))])),
      },
      backend: backend.info,
      repeat,
      concurrency,
      ...(options.turnLimit !== undefined ? { turn_limit_override: options.turnLimit } : {}),
      version: DAEMON_VERSION,
    },
    summary: summarize(records),
    records,
  };
}

/** The catalog a set is written against; the sandbox serves every built-in one (Claudesidian 3.x and each Nexus release). */
export function sandboxCatalog(id: string): Catalog {
  const catalog = builtinCatalog(id);
  if (!catalog)
    throw new Error(
      `prompt sets for ${id} cannot run: the evaluation sandbox serves ${BUILTIN_CATALOG_NAMES.join(", ")}`,
    );
  return catalog;
}

/** The tools sent with a case: the ones it names, or the whole catalog, as OpenAI function schemas. */
export function offeredTools(evalCase: EvalCase, catalog: Catalog): ChatTool[] {
  const tools = evalCase.tools ? catalog.tools.filter((tool) => evalCase.tools?.includes(tool.name)) : catalog.tools;
  return tools.map((tool) => ({
    type: "function",
    function: {
      name: tool.name,
      ...(tool.description ? { description: tool.description } : {}),
      parameters: tool.inputSchema,
    },
  }));
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
