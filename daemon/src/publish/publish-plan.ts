import { existsSync, readdirSync, statSync } from "node:fs";
import { basename, join, relative } from "node:path";
import {
  type DatasetCard,
  DatasetCardSchema,
  DTYPE_FILES,
  type EvalReport,
  type PublishFile,
  type PublishOptions,
  type PublishPlan,
  type RegisteredModel,
} from "@vault-tuner/shared";
import type { DataDir } from "../config/data-dir";
import { listReports } from "../evals/report-store";
import { listModels } from "../models/model-registry";
import type { JobStore } from "../store/job-store";
import { baseLicense } from "./base-license";
import { type EvaluationPair, modelCard } from "./model-card";

export interface PublishPlanDeps {
  jobs: JobStore;
  dataDir: DataDir;
  /** The names users gave their models (the card's title). */
  names?: () => Map<string, string>;
}

/** Why a plan cannot be made; `path` names the option at fault (model, what, dataset). */
export class PublishPlanError extends Error {
  constructor(
    message: string,
    readonly path: string,
    readonly status: 400 | 404 = 400,
  ) {
    super(message);
  }
}

/** The 16-bit GGUF kinds: the merged model again, in another format, and as large. */
const UNQUANTIZED = new Set(Object.values(DTYPE_FILES));

/**
 * Every file a publish of `modelId` with `options` sends, read from what the model's jobs left on disk,
 * and the model card that goes with them. The publish job uploads exactly this list; the dry run and the
 * plugin's confirmation show it. Layout in the repo: the merged model at the root when it goes (the
 * adapter then under `adapter/`), else the adapter at the root; the GGUF files at the root, where
 * Ollama's `hf.co/OWNER/NAME:QUANT` finds them; the dataset under `dataset/`; README.md, the card.
 */
export function planPublish(modelId: string, options: PublishOptions, deps: PublishPlanDeps): PublishPlan {
  const model = listModels(deps.jobs, deps.dataDir.datasets, undefined, deps.names?.()).find(
    (entry) => entry.id === modelId,
  );
  if (!model) throw new PublishPlanError(`no trained model ${modelId}`, "model", 404);
  const files: PublishFile[] = [];
  const what = new Set(options.what);
  const exported = model.exports.at(-1);
  if ((what.has("merged") || what.has("gguf")) && !exported)
    throw new PublishPlanError(
      `${model.name} has no export yet: the merged model and the GGUF files come from one (vault-tuner export --job ${model.id})`,
      "what",
    );
  if (what.has("merged")) {
    const folder = join(deps.jobs.get(exported?.jobId ?? "")?.artefacts.gguf ?? "", "merged");
    files.push(...folderFiles(folder, "", "merged", "the export's merged model"));
  }
  if (what.has("adapter")) {
    const run = deps.jobs.get(model.id)?.artefacts.run ?? "";
    files.push(...folderFiles(join(run, "adapter"), what.has("merged") ? "adapter/" : "", "adapter", "the adapter"));
  }
  if (what.has("gguf")) {
    for (const file of exported?.files ?? []) {
      if (UNQUANTIZED.has(file.kind) || (file.kind === "adapter" && !what.has("adapter"))) continue;
      files.push(sourceFile(file.path, basename(file.path), file.kind === "adapter" ? "adapter-gguf" : file.kind));
    }
  }
  const datasetFolder = join(deps.dataDir.datasets, model.dataset.name);
  if (options.dataset) files.push(...folderFiles(datasetFolder, "dataset/", "dataset", "the dataset"));
  const card = modelCard({
    model,
    mode: modeOf(model, deps.jobs),
    dataset: datasetCard(model),
    license: baseLicense(model.base),
    evaluations: evaluationPairs(model, listReports(deps.dataDir.root)),
    files: files.map(({ path, bytes, kind }) => ({ path, bytes, kind })),
    datasetIncluded: options.dataset,
  });
  files.unshift({ path: "README.md", bytes: Buffer.byteLength(card), kind: "card" });
  const taken = new Set<string>();
  for (const file of files) {
    if (taken.has(file.path))
      throw new PublishPlanError(`two files would go to ${file.path} in the repo; publish fewer parts at once`, "what");
    taken.add(file.path);
  }
  return {
    model: model.id,
    repo: options.repo,
    private: options.private,
    files,
    totalBytes: files.reduce((sum, file) => sum + file.bytes, 0),
    datasetIncluded: options.dataset,
    recordedText: options.dataset && carriesRecordedText(datasetCard(model)),
    card,
  };
}

/**
 * The evaluations the card shows: for each prompt set, the newest run of this model (the report names
 * its training job) and the newest run before it of a model not trained here whose name contains the
 * base's, when there is one: the base on the same cases.
 */
export function evaluationPairs(model: RegisteredModel, reports: EvalReport[]): EvaluationPair[] {
  const baseName =
    (model.base ?? "")
      .replace(/[\\/]+$/, "")
      .split(/[\\/]/)
      .pop()
      ?.toLowerCase() ?? "";
  const pairs: EvaluationPair[] = [];
  const sets = new Set<string>();
  for (const tuned of reports) {
    if (tuned.metadata.training?.job !== model.id || sets.has(tuned.metadata.set.id)) continue;
    sets.add(tuned.metadata.set.id);
    const base = reports.find(
      (report) =>
        report.metadata.set.id === tuned.metadata.set.id &&
        !report.metadata.training &&
        report.metadata.created_at < tuned.metadata.created_at &&
        baseName !== "" &&
        report.metadata.backend.model.toLowerCase().includes(baseName),
    );
    pairs.push(base ? { tuned, base } : { tuned });
  }
  return pairs;
}

/** Rows built from labelled traces carry the user's own calls; a dataset whose card is unreadable is taken to. */
function carriesRecordedText(card: DatasetCard | undefined): boolean {
  return card ? (card.sources.traces?.records ?? 0) > 0 : true;
}

function datasetCard(model: RegisteredModel): DatasetCard | undefined {
  const parsed = DatasetCardSchema.safeParse(model.dataset.card);
  return parsed.success ? parsed.data : undefined;
}

function modeOf(model: RegisteredModel, jobs: JobStore): string {
  const request = jobs.get(model.id)?.request;
  return request?.kind === "train" ? request.mode : "kto";
}

function sourceFile(source: string, path: string, kind: string): PublishFile {
  if (!existsSync(source)) throw new PublishPlanError(`${source} is gone from disk; export the model again`, "what");
  return { path, source, bytes: statSync(source).size, kind };
}

/** Every file under `folder` (hidden ones left out), at `prefix` + its path there. */
function folderFiles(folder: string, prefix: string, kind: string, what: string): PublishFile[] {
  if (!existsSync(folder) || !statSync(folder).isDirectory())
    throw new PublishPlanError(`${what} is not on disk (${folder})`, kind === "dataset" ? "dataset" : "what");
  const found: PublishFile[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      if (name.startsWith(".")) continue;
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else found.push(sourceFile(path, prefix + relative(folder, path).split(/[\\/]/).join("/"), kind));
    }
  };
  walk(folder);
  return found;
}
