import { DatasetBuildRequestSchema, type DatasetCard } from "@vault-tuner/shared";
import { prepareDataDir, resolveDataDir } from "../../config/data-dir";
import { buildDataset, DatasetExistsError } from "../../datasets/build-dataset";
import { projectDatasetsDir, SourcePathError } from "../../datasets/sources/source-files";
import { writeNexusStarterDataset } from "../../datasets/starter/nexus-starter";
import { writeStarterDataset } from "../../datasets/starter/starter-dataset";
import { UnknownCatalogError } from "../../datasets/sources/toolset-registry";
import { Store } from "../../store/store";
import type { Output } from "../output";
import { EXIT_OK, UsageError } from "../usage-error";

/**
 * `vault-tuner dataset build`: the same builder as `POST /v1/datasets`, run in this process against
 * the data dir's store (fine while the daemon runs: SQLite WAL lets both read). Files may be anywhere.
 */
export async function runDatasetBuild(
  args: { values: Record<string, unknown>; positionals: string[] },
  output: Output,
): Promise<number> {
  const v = args.values;
  const request = {
    name: v.name,
    sources: { files: (v.file as string[] | undefined) ?? [], ...(v.traces === true ? { traces: {} } : {}) },
    format: v.format,
    holdout: v.holdout === undefined ? undefined : Number(v.holdout),
    seed: v.seed === undefined ? undefined : Number(v.seed),
    profile: v.profile,
    catalog: v.catalog,
    balance: v.balance,
    mutations: v.mutations === undefined ? undefined : { perRecord: Number(v.mutations) },
    overwrite: v.overwrite === true,
  };
  const parsed = DatasetBuildRequestSchema.safeParse(request);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UsageError(`${issue?.path.join(".") || "options"}: ${issue?.message}`);
  }
  const dataDir = prepareDataDir(resolveDataDir(v["data-dir"] as string | undefined));
  const store = parsed.data.sources.traces ? Store.open(dataDir.database) : undefined;
  const started = Date.now();
  try {
    const card = await buildDataset(parsed.data, {
      store,
      outputRoot: (v.out as string | undefined) ?? dataDir.datasets,
      builtAt: v["built-at"] as string | undefined,
      onProgress: (step) => output.err(`[${((Date.now() - started) / 1000).toFixed(1)} s] ${step}\n`),
    });
    output.out(summary(card, (v.out as string | undefined) ?? dataDir.datasets));
    return EXIT_OK;
  } catch (error) {
    if (error instanceof DatasetExistsError || error instanceof SourcePathError || error instanceof UnknownCatalogError)
      throw new UsageError(error.message);
    throw error;
  } finally {
    store?.close();
  }
}

/** Trace ids the summary names before it says how many more there are. */
const NAMED_TRACES = 10;

function summary(card: DatasetCard, root: string): string {
  const { train, holdout } = card.counts;
  const folder = `${root}/${card.name}`;
  const traces = card.dropped.traces;
  const named =
    traces.length > NAMED_TRACES
      ? `${traces.slice(0, NAMED_TRACES).join(", ")} and ${traces.length - NAMED_TRACES} more`
      : traces.join(", ");
  const rules = Object.entries(card.dropped.byRule)
    .sort((a, b) => b[1] - a[1])
    .map(([rule, n]) => `${rule} ${n}`)
    .join(", ");
  return [
    `dataset ${card.name} (${card.format}) written to ${folder}`,
    `  train   ${train.desirable} desirable / ${train.undesirable} undesirable (${train.repeated} repeated to balance), ${train.sessions} sessions`,
    `  holdout ${holdout.desirable} desirable / ${holdout.undesirable} undesirable, ${holdout.sessions} sessions`,
    `  dropped ${card.counts.invalid.desirable} invalid desirable, ${card.counts.invalid.undesirable} invalid undesirable, ${card.counts.duplicates} duplicates${rules ? ` (${rules}; each in ${folder}/dropped.jsonl)` : ""}`,
    ...(traces.length > 0 ? [`  of them your labelled calls: ${traces.length} (${named})`] : []),
    `  weights desirable ${card.weights.desirable}, undesirable ${card.weights.undesirable}`,
    `  tools   ${card.coverage.covered} of ${card.coverage.catalogTools} catalog tools have a desirable example`,
    "",
  ].join("\n");
}

/** The starters there are, by the toolset named on the command line. */
const STARTERS: Record<string, typeof writeStarterDataset> = {
  "claudesidian-3": writeStarterDataset,
  "nexus-5": writeNexusStarterDataset,
};

/** `vault-tuner dataset starter`: regenerates a synthetic starter dataset (into datasets/ by default). */
export async function runDatasetStarter(args: { values: Record<string, unknown> }, output: Output): Promise<number> {
  const root = (args.values.out as string | undefined) ?? projectDatasetsDir();
  const toolset = (args.values.toolset as string | undefined) ?? "claudesidian-3";
  const write = STARTERS[toolset];
  if (!write)
    throw new UsageError(`--toolset: a starter exists for ${Object.keys(STARTERS).join(" and ")}, not "${toolset}"`);
  const started = Date.now();
  const card = await write(root, (step) => output.err(`[${((Date.now() - started) / 1000).toFixed(1)} s] ${step}\n`));
  output.out(summary(card, root));
  return EXIT_OK;
}
