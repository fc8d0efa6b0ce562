import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  builtinCatalog,
  type Catalog,
  extractCalls,
  nexusReleaseFor,
  isObject,
  PROMPT_SET_FORMAT,
  resolveTool,
  type EvalCaseInput,
  type EvalMessage,
  type PromptSet,
} from "@vault-tuner/shared";
import { readCard } from "../datasets/output/dataset-folder";
import { toolsetFileName } from "../datasets/output/write-dataset";
import type { OpenAiTool } from "../datasets/sources/toolset-registry";
import { constraintsOf, recordedCaseId } from "./recorded-constraints";
import { nexusRecordedCase } from "./recorded-nexus-case";
import { checkPromptSet, PromptSetError } from "./prompt-sets";
import { sandboxCatalog } from "./run-eval";

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
export async function recordedSet(
  datasetsRoot: string,
  dataset: string,
  options: { id?: string; allSources?: boolean } = {},
): Promise<RecordedSetResult> {
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
  const cases: EvalCaseInput[] = [];
  const skipped: RecordedSetResult["skipped"] = [];
  const rows = readFileSync(holdout, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line, index) => {
      const row = JSON.parse(line) as HoldoutRow;
      return { ...row, source: row.source ?? `holdout.jsonl:${index + 1}` };
    })
    .filter((row) => row.label && (options.allSources || /^(trace|correction):/.test(row.source)));
  // A set runs against one toolset: the one most of the approved calls were recorded with.
  const catalogs = rows.map((row) => sandboxCatalogOf(row.toolset, join(datasetsRoot, dataset)));
  const catalog = mostCommon(catalogs) ?? sandboxCatalog("claudesidian-3");
  for (const [index, row] of rows.entries()) {
    const { source } = row;
    if (catalogs[index]?.id !== catalog.id) {
      skipped.push({ source, reason: `recorded with ${catalogs[index]?.id}; this set is for ${catalog.id}` });
      continue;
    }
    const calls = extractCalls(row.completion[0]).calls;
    const call = calls[0];
    if (!call || !isObject(call.arguments)) {
      skipped.push({ source, reason: "the approved answer makes no readable call" });
      continue;
    }
    if (catalog.dispatcher) {
      const made = await nexusRecordedCase(row.prompt, { name: call.name, arguments: call.arguments }, catalog, source);
      if ("reason" in made) skipped.push({ source, reason: made.reason });
      else if (!twinOf(cases, row.prompt, source, skipped))
        cases.push({ ...made, notes: `From ${source} in dataset ${dataset}.` });
      continue;
    }
    const resolved = resolveTool(catalog, call.name, call.arguments);
    // The call must be one the sandbox runs: Claudesidian 3.x, flat or wire form (a Nexus 5.x call is not).
    if (resolved.kind === "unknown") {
      skipped.push({ source, reason: `${resolved.message} (recorded with ${row.toolset ?? "an unknown toolset"})` });
      continue;
    }
    if (twinOf(cases, row.prompt, source, skipped)) continue;
    const { context: _context, mode: _mode, ...args } = call.arguments;
    cases.push({
      id: recordedCaseId(source),
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
      description: catalog.dispatcher
        ? `${cases.length} approved calls from the holdout split of dataset ${dataset} (built ${card.builtAt}). Commands, paths, ids, numbers and flags must match; free text must be given. The vault is what the conversation showed of it (notes read whole, files listed, workspaces named); where the approved call replays there, its effect is the expected final state.`
        : `${cases.length} approved calls from the holdout split of dataset ${dataset} (built ${card.builtAt}). Tool, paths, ids, numbers and flags must match; free text must be given; the vault's final state is not judged.`,
      catalog: catalog.id,
      source: { kind: "recorded", from: dataset },
      cases,
    },
    id,
  );
  return { set, skipped };
}

interface HoldoutRow {
  prompt: EvalMessage[];
  completion: unknown[];
  label: boolean;
  toolset?: string;
  source: string;
}

/** The same conversation twice is one task: the first is kept, whatever the later answer was. */
function twinOf(
  cases: EvalCaseInput[],
  prompt: EvalMessage[],
  source: string,
  skipped: RecordedSetResult["skipped"],
): boolean {
  const twin = cases.find((earlier) => JSON.stringify(earlier.messages) === JSON.stringify(prompt));
  if (twin) skipped.push({ source, reason: `the same conversation as ${twin.id}` });
  return twin !== undefined;
}

/**
 * The built-in catalog the sandbox runs a row's calls with: a Nexus release for a Nexus toolset (a recorded
 * `tools/list` is matched to its release), Claudesidian 3.x otherwise.
 */
function sandboxCatalogOf(toolset: string | undefined, datasetFolder: string): Catalog {
  if (toolset?.startsWith("toolset-")) {
    const file = join(datasetFolder, toolsetFileName(toolset));
    const tools = existsSync(file)
      ? (JSON.parse(readFileSync(file, "utf8")) as OpenAiTool[]).map((tool) => ({
          name: tool.function.name,
          description: tool.function.description,
          inputSchema: tool.function.parameters,
        }))
      : [];
    return nexusReleaseFor(tools)?.catalog ?? sandboxCatalog("claudesidian-3");
  }
  const builtin = toolset ? builtinCatalog(toolset.replace(/\/wire$/, "")) : undefined;
  return builtin ?? sandboxCatalog("claudesidian-3");
}

function mostCommon(catalogs: Catalog[]): Catalog | undefined {
  const counts = new Map<string, number>();
  for (const catalog of catalogs) counts.set(catalog.id, (counts.get(catalog.id) ?? 0) + 1);
  const [id] = [...counts].sort((a, b) => b[1] - a[1])[0] ?? [];
  return catalogs.find((catalog) => catalog.id === id);
}
