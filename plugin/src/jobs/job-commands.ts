import { Notice } from "obsidian";
import { ROUTES, type DatasetCard } from "@vault-tuner/shared";
import type { Platform } from "@vault-tuner/shared";
import { fileToDeploy } from "../evals/model-choices";
import type { PluginServices } from "../services";

type JobServices = Pick<PluginServices, "app" | "daemon" | "feed" | "settings">;
import { describeError } from "../ui/format";
import { ConfirmModal } from "../ui/confirm-modal";
import { followJob } from "./follow-job";

const NOTICE_MS = 10_000;

/** "Build a dataset": every labelled call into a new KTO dataset, with the daemon's steps shown as they happen. */
export async function buildDataset(services: JobServices, now = new Date()): Promise<DatasetCard | undefined> {
  const name = `vault-${now.toISOString().slice(0, 19).replace(/[-:]/g, "").replace("T", "-")}`;
  const notice = new Notice(`Building dataset ${name}…`, 0);
  const unsubscribe = services.feed.subscribe({
    state: () => undefined,
    event: (event) => {
      if (event.type === "dataset.progress" && event.name === name)
        notice.setMessage(`Building dataset ${name}: ${event.step}`);
    },
  });
  try {
    const card = await services.daemon.call(ROUTES.buildDataset, { body: { name, sources: { traces: {} } } });
    const { train, holdout } = card.counts;
    new Notice(
      `Dataset ${name} built: ${train.desirable} good and ${train.undesirable} bad examples to train on, ${holdout.desirable + holdout.undesirable} held out for evaluation.`,
      NOTICE_MS,
    );
    return card;
  } catch (error) {
    new Notice(`Vault Tuner could not build the dataset: ${describeError(error)}`, NOTICE_MS);
    return undefined;
  } finally {
    unsubscribe();
    notice.hide();
  }
}

/**
 * "Start training": the newest dataset, trained with the preset that fits this machine and exported to
 * GGUF, after the user has seen what will run where and said yes. Deploying is its own command.
 */
export async function startTraining(services: JobServices): Promise<void> {
  let platform: Platform;
  let datasets: DatasetCard[];
  try {
    [platform, { items: datasets }] = await Promise.all([
      services.daemon.call(ROUTES.platform),
      services.daemon.call(ROUTES.listDatasets),
    ]);
  } catch (error) {
    new Notice(`Vault Tuner cannot start training: ${describeError(error)}`, NOTICE_MS);
    return;
  }
  const dataset = [...datasets]
    .filter((card) => card.format === "kto")
    .sort((a, b) => b.builtAt.localeCompare(a.builtAt))[0];
  if (!dataset) {
    new Notice(
      "Vault Tuner has no KTO dataset to train on yet: label some calls, then run “Build a dataset from labelled calls”.",
      NOTICE_MS,
    );
    return;
  }
  const { train } = dataset.counts;
  const recipe = platform.recommendedRecipe ?? "the default preset";
  const model = services.settings.current().trainModel;
  const confirmed = await new ConfirmModal(services.app, {
    title: "Start training?",
    lines: [
      `Dataset: ${dataset.name} (${train.desirable} good, ${train.undesirable} bad examples; built ${dataset.builtAt.slice(0, 16).replace("T", " ")}).`,
      `Machine: ${platformWords(platform)}. Preset: ${recipe}. Model: ${model || "the preset's"}.`,
      "The model is trained with KTO, then exported to GGUF. Nothing is deployed until you run “Deploy the last trained model”.",
    ],
    confirm: "Start training",
  }).ask();
  if (!confirmed) return;
  try {
    const job = await services.daemon.call(ROUTES.submitJob, {
      body: {
        kind: "pipeline",
        dataset: dataset.name,
        train: { mode: "kto", recipe: "auto", ...(model ? { model } : {}) },
      },
    });
    await followJob(services.daemon, services.feed, job, "Training run");
  } catch (error) {
    new Notice(`Vault Tuner could not start training: ${describeError(error)}`, NOTICE_MS);
  }
}

function platformWords(platform: Platform): string {
  const kind =
    platform.kind === "nvidia"
      ? "NVIDIA GPU"
      : platform.kind === "apple"
        ? "Apple Silicon"
        : "CPU only (slow: fine for a try, not for a real model)";
  return `${kind}, ${platform.reason}`;
}

/** "Cancel the running job": a running pipeline as a whole, else the running job. */
export async function cancelRunningJob(services: JobServices): Promise<void> {
  try {
    const running = await services.daemon.call(ROUTES.listJobs, { query: { state: "running", limit: 10 } });
    const job = running.items.find((item) => item.kind === "pipeline") ?? running.items[0];
    if (!job) {
      new Notice("Vault Tuner is not running any job.", NOTICE_MS);
      return;
    }
    const cancelled = await services.daemon.call(ROUTES.cancelJob, { params: { id: job.id } });
    new Notice(
      `Vault Tuner: the ${cancelled.kind} job ${cancelled.id} is ${cancelled.state === "cancelled" ? "cancelled" : "stopping"}.`,
      NOTICE_MS,
    );
  } catch (error) {
    new Notice(`Vault Tuner could not cancel: ${describeError(error)}`, NOTICE_MS);
  }
}

/** "Deploy the last trained model": the newest export of the newest model (the file fileToDeploy picks), loaded into the daemon. */
export async function deployLastModel(services: JobServices): Promise<void> {
  try {
    const models = await services.daemon.call(ROUTES.listModels);
    const model = [...models.items]
      .filter((item) => item.exports.length > 0)
      .sort((a, b) => (b.trainedAt ?? "").localeCompare(a.trainedAt ?? ""))[0];
    const exported = model?.exports.at(-1);
    const file = exported && fileToDeploy(exported);
    if (!model || !exported || !file) {
      new Notice("Vault Tuner has no exported model to deploy yet: run “Start training” first.", NOTICE_MS);
      return;
    }
    const job = await services.daemon.call(ROUTES.submitJob, {
      body: {
        kind: "deploy",
        export: exported.jobId,
        target: "embedded",
        file,
      },
    });
    await followJob(services.daemon, services.feed, job, `Deploying ${model.name} (${file})`);
  } catch (error) {
    new Notice(`Vault Tuner could not deploy: ${describeError(error)}`, NOTICE_MS);
  }
}
