import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  DatasetCardSchema,
  type DatasetCard,
  type ExportedFile,
  type Job,
  type RegisteredModel,
  type TrainingInfo,
} from "@vault-tuner/shared";
import { labelledTrainingRows } from "../datasets/output/dataset-folder";
import type { EmbeddedDeployment } from "../deploy/embedded-serving";
import { readExportCheck } from "../export/export-check";
import type { JobStore } from "../store/job-store";

// biome-ignore lint/suspicious/noExplicitAny: training.json and export.json are the trainer's files, read field by field with fallbacks
function readJson(file: string): any {
  return existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : undefined;
}

/**
 * Every trained model, assembled from the jobs that made, exported and deployed it and the files they
 * wrote (training.json, export.json, the dataset card): one source of truth, nothing copied. To bring
 * back an earlier model, run a deploy job with one of its exports.
 */
export function listModels(
  jobs: JobStore,
  datasetsDir: string,
  serving: EmbeddedDeployment | undefined,
  names: Map<string, string> = new Map(),
): RegisteredModel[] {
  const all = jobs.list({ limit: 10_000 });
  const succeeded = (kind: Job["kind"]) => all.filter((job) => job.kind === kind && job.state === "succeeded");
  const exports = succeeded("export");
  const deploys = succeeded("deploy");
  return succeeded("train").map((train) => {
    const request = train.request as Extract<Job["request"], { kind: "train" }>;
    const training = readJson(join(train.artefacts.run ?? "", "training.json")) ?? {};
    const mine = exports.filter((job) => (job.request as { run?: string }).run === train.id);
    const base = training.model ?? request.model ?? null;
    const rawCard = readJson(join(datasetsDir, request.dataset, "card.json")) ?? null;
    const card = cardOf(rawCard);
    const defaultName = [
      baseName(base),
      request.mode.toUpperCase(),
      request.dataset,
      ...(card ? [`${labelledTrainingRows(card)} labels`] : []),
      (train.finishedAt ?? train.createdAt).slice(0, 10),
    ].join(" · ");
    return {
      id: train.id,
      name: names.get(train.id) ?? defaultName,
      defaultName,
      trainedAt: train.finishedAt,
      dataset: { name: request.dataset, card: rawCard },
      recipe: request.recipe,
      base,
      metrics: { steps: training.steps, trainLoss: training.train_loss, runtimeS: training.runtime_s },
      chatTemplateSha256: training.chat_template_sha256 ?? null,
      exports: mine.map((job) => {
        const folder = job.artefacts.gguf ?? "";
        const manifest = readJson(join(folder, "export.json"));
        const check = readExportCheck(folder);
        const files = (manifest?.files ?? []).map((file: ExportedFile) => {
          const verdict = check?.files.find((judged) => judged.kind === file.kind);
          return {
            ...file,
            path: join(folder, file.name),
            ...(verdict
              ? { check: { agreement: verdict.agreement, same_calls: verdict.same_calls, verdict: verdict.verdict } }
              : {}),
          };
        });
        return { jobId: job.id, at: job.finishedAt, files, recommended: check?.recommended ?? null };
      }),
      deployments: deploys
        .filter((job) => mine.some((exported) => exported.id === (job.request as { export?: string }).export))
        .map((job) => ({
          jobId: job.id,
          at: job.finishedAt,
          target: job.artefacts.target ?? "",
          gguf: job.artefacts.gguf ?? "",
          ...(job.artefacts.model ? { model: job.artefacts.model, host: job.artefacts.host } : {}),
          current: job.artefacts.target === "embedded" && serving?.jobId === job.id,
        })),
    };
  });
}

/** What trained a GGUF this daemon exported: its training job, dataset, labelled rows and file kind. */
export function trainingOfModel(jobs: JobStore, datasetsDir: string, gguf: string): TrainingInfo | undefined {
  for (const model of listModels(jobs, datasetsDir, undefined)) {
    const file = model.exports.flatMap((exported) => exported.files).find((candidate) => candidate.path === gguf);
    if (!file) continue;
    const card = cardOf(model.dataset.card);
    return card
      ? { labels: labelledTrainingRows(card), job: model.id, dataset: model.dataset.name, file: file.kind }
      : undefined;
  }
  return undefined;
}

/** A dataset's card when it reads as one: a card of an older build, or a damaged one, names nothing. */
function cardOf(raw: unknown): DatasetCard | undefined {
  const parsed = DatasetCardSchema.safeParse(raw);
  return parsed.success ? parsed.data : undefined;
}

/** A base as its name reads: an imported base's or a model folder's last segment, a hub name's model part. */
function baseName(base: string | null): string {
  return base
    ? (base
        .replace(/[\\/]+$/, "")
        .split(/[\\/]/)
        .pop() ?? base)
    : "recipe model";
}
