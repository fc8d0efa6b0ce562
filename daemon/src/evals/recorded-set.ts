import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  extractCalls,
  isObject,
  PROMPT_SET_FORMAT,
  resolveTool,
  type ArgConstraint,
  type EvalCaseInput,
  type EvalMessage,
  type PromptSet,
} from "@vault-tuner/shared";
import { readCard } from "../datasets/output/dataset-folder";
import { checkPromptSet, PromptSetError } from "./prompt-sets";
import { sandboxCatalog } from "./run-eval";

/** Arguments that name a note or folder: compared as vault paths. */
const PATH_ARGUMENTS = /^(filePath|path|newPath|sourcePath|targetPath|savePath|rootFolder)$/;
/** Arguments that name a stored item: compared exactly. */
const ID_ARGUMENTS = /(^id$|Id$)/;

export interface RecordedSetResult {
  set: PromptSet;
  skipped: { source: string; reason: string }[];
}

/**
 * The `recorded` prompt set: the user's own approved calls, taken from a built dataset's holdout split
 * (never its training split, so a model is not scored on what it learnt). Each desirable row that came
 * from a recorded trace or a correction becomes a case: the same conversation up to the call, and that
 * call expected: the same tool, paths and ids exactly, numbers and flags exactly, free text present.
 * The real vault's contents were never recorded, so the final state is not judged.
 */
export function recordedSet(
  datasetsRoot: string,
  dataset: string,
  options: { id?: string; allSources?: boolean } = {},
): RecordedSetResult {
  const card = readCard(datasetsRoot, dataset);
  if (!card)
    throw new PromptSetError(`no dataset "${dataset}" in ${datasetsRoot}: build one from your labelled traces first`);
  if (card.format !== "kto")
    throw new PromptSetError(
      `dataset ${dataset} is in the ${card.format} format; build it with format kto to take evaluation cases from it`,
    );
  const holdout = join(datasetsRoot, dataset, "holdout.jsonl");
  if (!existsSync(holdout))
    throw new PromptSetError(`dataset ${dataset} has no holdout split: build it with a holdout share above 0`);
  const catalog = sandboxCatalog("claudesidian-3");
  const cases: EvalCaseInput[] = [];
  const skipped: RecordedSetResult["skipped"] = [];
  const rows = readFileSync(holdout, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "");
  for (const [index, line] of rows.entries()) {
    const row = JSON.parse(line) as {
      prompt: EvalMessage[];
      completion: unknown[];
      label: boolean;
      toolset?: string;
      source?: string;
    };
    const source = row.source ?? `holdout.jsonl:${index + 1}`;
    if (!row.label) continue;
    if (!options.allSources && !/^(trace|correction):/.test(source)) continue;
    const calls = extractCalls(row.completion[0]).calls;
    const call = calls[0];
    if (!call || !isObject(call.arguments)) {
      skipped.push({ source, reason: "the approved answer makes no readable call" });
      continue;
    }
    const resolved = resolveTool(catalog, call.name, call.arguments);
    // The call must be one the sandbox runs: Claudesidian 3.x, flat or wire form (a Nexus 5.x call is not).
    if (resolved.kind === "unknown") {
      skipped.push({ source, reason: `${resolved.message} (recorded with ${row.toolset ?? "an unknown toolset"})` });
      continue;
    }
    // The same conversation twice is one task: keep the first, whatever the later answer was.
    const twin = cases.find((earlier) => JSON.stringify(earlier.messages) === JSON.stringify(row.prompt));
    if (twin) {
      skipped.push({ source, reason: `the same conversation as ${twin.id}` });
      continue;
    }
    const { context: _context, mode: _mode, ...args } = call.arguments;
    cases.push({
      id: `recorded-${source.replace(/[^A-Za-z0-9_.:-]+/g, "-")}`.slice(0, 120),
      kind: "recorded",
      tags: [resolved.tool.agent ?? "tools", source.split(":")[0] as string],
      messages: row.prompt,
      vault: {
        files: {},
        folders: [],
        memory: { workspaces: [], sessions: [], states: [], agents: [] },
      },
      expect: {
        calls: [{ tool: resolved.tool.name, args: constraintsOf(args) }],
        order: "sequence",
        finalState: "unjudged",
      },
      reference: [[{ tool: resolved.tool.name, arguments: args }]],
      notes: `From ${source} in dataset ${dataset}.`,
    });
  }
  if (cases.length === 0)
    throw new PromptSetError(
      `dataset ${dataset}'s holdout has no approved ${options.allSources ? "" : "recorded "}calls to evaluate on${skipped.length ? ` (${skipped.length} skipped: ${skipped[0]?.reason})` : ""}`,
    );
  const id = options.id ?? "recorded";
  const set = checkPromptSet(
    {
      format: PROMPT_SET_FORMAT,
      id,
      title: `Recorded: your approved calls (${dataset} holdout)`,
      description: `${cases.length} approved calls from the holdout split of dataset ${dataset} (built ${card.builtAt}). Tool, paths, ids, numbers and flags must match; free text must be given; the vault's final state is not judged.`,
      catalog: catalog.id,
      source: { kind: "recorded", from: dataset },
      cases,
    },
    id,
  );
  return { set, skipped };
}

function constraintsOf(args: Record<string, unknown>): Record<string, ArgConstraint> {
  return Object.fromEntries(
    Object.entries(args).map(([key, value]): [string, ArgConstraint] => {
      if (typeof value === "string" && PATH_ARGUMENTS.test(key)) return [key, { path: value }];
      if (typeof value === "string" && ID_ARGUMENTS.test(key)) return [key, { exact: value }];
      if (typeof value === "number" || typeof value === "boolean") return [key, { exact: value }];
      return [key, { any: true }];
    }),
  );
}
