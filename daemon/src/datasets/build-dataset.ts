import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { join, relative } from "node:path";
import {
  canonicalJson,
  MUTATION_KINDS,
  NEXUS_ONLY_MUTATIONS,
  resolveTool,
  type Catalog,
  type DatasetBuildOptions,
  type DatasetCard,
  type MutationKind,
  isObject,
  parseToolString,
} from "@vault-tuner/shared";
import type { Store } from "../store/store";
import { renderCardMarkdown } from "./output/card-text";
import { exampleErrors } from "./shaping/check-example";
import type { Example } from "./example";
import { mutateExample } from "./shaping/mutations";
import { readFileExamples } from "./sources/read-file-examples";
import { renderRow } from "./shaping/render-rows";
import { SeededRandom } from "./shaping/seeded-random";
import { localSourcePath, resolveSourcePath } from "./sources/source-files";
import { interleave, ktoWeights, splitBySession } from "./shaping/split-and-balance";
import { ToolsetRegistry } from "./sources/toolset-registry";
import { examplesFromTraces } from "./sources/trace-examples";
import { writeDatasetFolder } from "./output/write-dataset";

/** Mutation kinds whose negative is a valid call: the wrong command, a needless write, a skipped lookup. */
const VALID_DEFECTS = new Set<MutationKind>(["wrong-tool", "write-for-read", "discovery-skipped"]);

/** How many dropped records the card shows in full (all are counted, and written to dropped.jsonl). */
const MAX_DROPPED_EXAMPLES = 25;
/** Sources of the user's own labels, as trace-examples names them. */
const LABELLED_SOURCE = /^(trace|correction):(.+)$/;

interface DroppedRecord {
  source: string;
  rule: string;
  message: string;
}

export class DatasetExistsError extends Error {}

export interface BuildEnvironment {
  /** The store whose traces are a source; required when the request names traces. */
  store?: Store;
  /** Folders file sources must come from (the HTTP API); without it, paths are taken as given (the CLI). */
  sourceRoots?: string[];
  /** Folder the dataset folder is written into. */
  outputRoot: string;
  /** Fixed build time (reproducible starter datasets); now otherwise. */
  builtAt?: string;
  onProgress?: (step: string) => void;
}

/** Builds a dataset from files and labelled traces; see the card for everything it did. */
export async function buildDataset(options: DatasetBuildOptions, env: BuildEnvironment): Promise<DatasetCard> {
  const folder = join(env.outputRoot, options.name);
  if (existsSync(folder) && !options.overwrite)
    throw new DatasetExistsError(`dataset "${options.name}" exists; pass overwrite to replace it`);
  const progress = env.onProgress ?? (() => undefined);
  const toolsets = new ToolsetRegistry(env.store?.toolsets);
  const mainCatalog = toolsets.catalog(options.catalog);
  // Every dropped record goes to dropped.jsonl; the card counts them and names the user's own by id.
  const droppedRecords: DroppedRecord[] = [];
  const drop = (source: string, rule: string, message: string) => void droppedRecords.push({ source, rule, message });
  const counts: DatasetCard["counts"] = {
    read: 0,
    unlabeled: 0,
    invalid: { desirable: 0, undesirable: 0 },
    duplicates: 0,
    corrections: 0,
    mutations: {},
    train: { desirable: 0, undesirable: 0, repeated: 0, sessions: 0 },
    holdout: { desirable: 0, undesirable: 0, sessions: 0 },
  };
  const candidates: Example[] = [];

  // 1. File sources: structure first (whatever the label), then the labelled turn as an example.
  const fileSources: DatasetCard["sources"]["files"] = [];
  for (const path of options.sources.files ?? []) {
    const real = env.sourceRoots ? resolveSourcePath(path, env.sourceRoots) : localSourcePath(path);
    const name = displayPath(real, env.sourceRoots ?? [process.cwd()]);
    progress(`reading ${name}`);
    const file = await readFileExamples(
      real,
      name,
      { catalog: mainCatalog, catalogId: options.catalog, profile: options.profile },
      drop,
    );
    candidates.push(...file.examples);
    counts.read += file.records;
    fileSources.push({ path: name, sha256: file.sha256, records: file.records });
  }

  // 2. Labelled traces, each with the session before it as its prompt.
  let traceSource: DatasetCard["sources"]["traces"] = null;
  if (options.sources.traces) {
    if (!env.store) throw new Error("traces were asked for but no store is open");
    progress("reading labelled traces");
    const fromTraces = examplesFromTraces(env.store.traces, options.sources.traces, toolsets, drop);
    counts.read += fromTraces.read;
    counts.unlabeled += fromTraces.unlabeled;
    counts.corrections += fromTraces.corrections;
    candidates.push(...fromTraces.examples);
    traceSource = { filter: options.sources.traces, records: fromTraces.read };
  }

  // 3. Validate: a desirable example with an error would teach the mistake, so it goes.
  progress(`validating ${candidates.length} examples`);
  const valid: Example[] = [];
  const seen = new Set<string>();
  const accept = (example: Example): boolean => {
    const errors = exampleErrors(example, toolsets.catalog(example.toolset), options.profile);
    if (errors.length > 0) {
      counts.invalid[example.label ? "desirable" : "undesirable"]++;
      drop(example.source, errors[0]?.rule as string, errors[0]?.message as string);
      return false;
    }
    const key = createHash("sha256")
      .update(canonicalJson([example.prompt, example.completion, example.label]))
      .digest("hex");
    if (seen.has(key)) {
      counts.duplicates++;
      return false;
    }
    seen.add(key);
    valid.push(example);
    return true;
  };
  for (const example of candidates) {
    // A closing answer goes in only behind its valid calls: the prompt it continues must be one to learn from.
    if (accept(example) && example.answerAfterResults) accept(example.answerAfterResults);
  }

  // 4. Mutation negatives from desirable examples; each must really carry its defect.
  const examples = [...valid];
  if (options.mutations) {
    const asked = options.mutations.kinds ?? [...MUTATION_KINDS];
    for (const example of valid.filter((candidate) => candidate.label && candidate.completion.calls.length > 0)) {
      const random = SeededRandom.derive(options.seed, `mutation:${example.source}`);
      const catalog = toolsets.catalog(example.toolset);
      const kinds = catalog.dispatcher ? asked : asked.filter((kind) => !NEXUS_ONLY_MUTATIONS.includes(kind));
      let made = 0;
      for (const kind of random.shuffle(kinds)) {
        if (made >= options.mutations.perRecord) break;
        const mutant = mutateExample(example, kind, catalog, random);
        // Most defects make the call invalid, and must; these leave a valid call that is still the wrong thing to do.
        if (!mutant || (!VALID_DEFECTS.has(kind) && exampleErrors(mutant, catalog, options.profile, true).length === 0))
          continue;
        examples.push(mutant);
        counts.mutations[kind] = (counts.mutations[kind] ?? 0) + 1;
        made++;
      }
    }
  }

  // 5. Split by session, then order each part so batches mix the classes.
  progress(`splitting ${examples.length} examples`);
  const split = splitBySession(examples, options.holdout, SeededRandom.derive(options.seed, "split"));
  const train =
    options.format === "sft"
      ? { rows: split.train.filter((e) => e.label), repeated: 0 }
      : interleave(split.train, options.balance === "oversample", SeededRandom.derive(options.seed, "train-order"));
  const holdout =
    options.format === "sft"
      ? { rows: split.holdout.filter((e) => e.label), repeated: 0 }
      : interleave(split.holdout, false, SeededRandom.derive(options.seed, "holdout-order"));
  counts.train = {
    desirable: train.rows.filter((e) => e.label).length,
    undesirable: train.rows.filter((e) => !e.label).length,
    repeated: train.repeated,
    sessions: split.trainSessions,
  };
  counts.holdout = {
    desirable: holdout.rows.filter((e) => e.label).length,
    undesirable: holdout.rows.filter((e) => !e.label).length,
    sessions: split.holdoutSessions,
  };

  // 6. Coverage: which catalog tools (for Nexus, which commands) the train part teaches, by their flat names.
  const tools: Record<string, number> = {};
  const coveredTools = new Set<string>();
  const teachable = coverageNames(mainCatalog);
  for (const example of train.rows) {
    for (const call of example.completion.calls) {
      for (const name of countedNames(call, mainCatalog, toolsets.catalog(example.toolset))) {
        tools[name] = (tools[name] ?? 0) + 1;
        if (example.label && teachable.has(name)) coveredTools.add(name);
      }
    }
  }

  const dropped = summarizeDropped(droppedRecords);
  progress(`writing ${train.rows.length} train and ${holdout.rows.length} holdout rows`);
  const usedToolsets = [...new Set([...train.rows, ...holdout.rows].map((example) => example.toolset))].sort();
  const rows = (part: Example[]) =>
    part
      .map((example) => renderRow(example, options.format))
      .filter((row): row is Record<string, unknown> => row !== undefined);
  const weights =
    options.format === "sft"
      ? { desirable: 1, undesirable: 1 }
      : ktoWeights(counts.train.desirable, counts.train.undesirable);
  return writeDatasetFolder(
    folder,
    {
      train: rows(train.rows),
      holdout: rows(holdout.rows),
      dropped: droppedRecords,
      toolsets: new Map(usedToolsets.map((key) => [key, toolsets.openAiTools(key)])),
    },
    (files) => {
      const card: DatasetCard = {
        name: options.name,
        format: options.format,
        builtAt: env.builtAt ?? new Date().toISOString(),
        options: {
          holdout: options.holdout,
          seed: options.seed,
          profile: options.profile,
          catalog: options.catalog,
          balance: options.balance,
          mutations: options.mutations
            ? { perRecord: options.mutations.perRecord, kinds: options.mutations.kinds ?? [...MUTATION_KINDS] }
            : null,
        },
        sources: { files: fileSources, traces: traceSource },
        counts,
        ratio: counts.train.undesirable === 0 ? null : counts.train.desirable / counts.train.undesirable,
        weights,
        dropped,
        coverage: { tools, catalogTools: teachable.size, covered: coveredTools.size },
        toolsets: usedToolsets,
        files,
      };
      return { card, markdown: renderCardMarkdown(card) };
    },
  );
}

/** A source path as the card shows it: relative to the root it came from. */
function displayPath(real: string, roots: string[]): string {
  for (const root of roots) {
    const rel = relative(root, real);
    if (!rel.startsWith("..")) return rel;
  }
  return real;
}

/** What the card's coverage counts for a catalog: its tools, or for Nexus its commands and getTools. */
function coverageNames(catalog: Catalog): Set<string> {
  const dispatcher = catalog.dispatcher?.tool;
  return new Set([
    ...catalog.tools.filter((tool) => tool.name !== dispatcher).map((tool) => tool.name),
    ...(dispatcher ? (catalog.commands ?? []).map((command) => command.command) : []),
  ]);
}

/** The names a call counts under: each command of a Nexus command string, else its tool. */
function countedNames(call: { name: string; arguments: unknown }, mainCatalog: Catalog, toolset: Catalog): string[] {
  const dispatcher = mainCatalog.dispatcher;
  if (dispatcher && call.name === dispatcher.tool && isObject(call.arguments)) {
    const text = call.arguments[dispatcher.argument];
    const values = dispatcher.valuesArgument ? call.arguments[dispatcher.valuesArgument] : undefined;
    const commands =
      typeof text === "string"
        ? parseToolString(text, values, mainCatalog.commands ?? []).segments.flatMap((segment) =>
            segment.ok ? [segment.command.command] : [],
          )
        : [];
    if (commands.length > 0) return commands;
  }
  return [countedToolName(call, mainCatalog, toolset)];
}

/**
 * The tool a call counts under in the card: its flat catalog tool wherever the main catalog knows it (a
 * 3.x wire call `contentManager` + `readContent` is `contentManager_readContent`, also when the session
 * recorded its own tools/list), else what its own toolset calls it.
 */
function countedToolName(call: { name: string; arguments: unknown }, mainCatalog: Catalog, toolset: Catalog): string {
  for (const catalog of [mainCatalog, toolset]) {
    const resolved = resolveTool(catalog, call.name, call.arguments);
    if (resolved.kind === "tool") return resolved.tool.name;
  }
  return call.name;
}

/** The card's account of what was dropped: counts by rule, the user's own labels first among the examples, and their ids. */
function summarizeDropped(records: DroppedRecord[]): DatasetCard["dropped"] {
  const byRule: Record<string, number> = {};
  for (const record of records) byRule[record.rule] = (byRule[record.rule] ?? 0) + 1;
  const labelled = records.filter((record) => LABELLED_SOURCE.test(record.source));
  const examples = [...labelled, ...records.filter((record) => !LABELLED_SOURCE.test(record.source))].slice(
    0,
    MAX_DROPPED_EXAMPLES,
  );
  const traces = [...new Set(labelled.map((record) => LABELLED_SOURCE.exec(record.source)?.[2] as string))];
  return { byRule, examples, traces };
}
