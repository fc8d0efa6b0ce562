import { Notice } from "obsidian";
import { formatBytes, ROUTES, type PublishPlan } from "@vault-tuner/shared";
import { followJob } from "../jobs/follow-job";
import type { PluginServices } from "../services";
import { ConfirmModal } from "../ui/confirm-modal";
import { describeError } from "../ui/format";
import { PublishFormModal } from "./publish-form";

type PublishServices = Pick<PluginServices, "app" | "daemon" | "feed">;

const NOTICE_MS = 10_000;
/** The repo the form offers next time: the last one published to, for this session of Obsidian. */
let lastRepo = "";

/**
 * "Publish a model to Hugging Face": the form (model, repo, parts), then every file that would leave this
 * machine with its size and whether recorded call text is among them, and only on "Publish" the daemon's
 * publish job, followed to the end. The token stays with the daemon (HF_TOKEN or `hf auth login`).
 */
export async function publishModel(services: PublishServices): Promise<void> {
  let choice: Awaited<ReturnType<PublishFormModal["ask"]>>;
  let plan: PublishPlan;
  try {
    const { items } = await services.daemon.call(ROUTES.listModels);
    const models = [...items].sort((a, b) => (b.trainedAt ?? "").localeCompare(a.trainedAt ?? ""));
    if (!models.length) {
      new Notice("Vault Tuner has no trained model to publish yet: run “Start training” first.", NOTICE_MS);
      return;
    }
    choice = await new PublishFormModal(services.app, models, lastRepo).ask();
    if (!choice) return;
    lastRepo = choice.options.repo;
    plan = await services.daemon.call(ROUTES.planPublish, { params: { id: choice.model.id }, body: choice.options });
  } catch (error) {
    new Notice(`Vault Tuner cannot publish: ${describeError(error)}`, NOTICE_MS);
    return;
  }
  const confirmed = await new ConfirmModal(services.app, { ...planWords(plan), confirm: "Publish" }).ask();
  if (!confirmed) return;
  try {
    const job = await services.daemon.call(ROUTES.submitJob, {
      body: { kind: "publish", model: choice.model.id, ...choice.options },
    });
    const finished = await followJob(services.daemon, services.feed, job, `Publishing to ${plan.repo}`);
    const url = finished.artefacts.url;
    if (finished.state === "succeeded" && url) new Notice(`Published: ${url}`, NOTICE_MS);
  } catch (error) {
    new Notice(`Vault Tuner could not publish: ${describeError(error)}`, NOTICE_MS);
  }
}

/** The confirmation's title and lines: what leaves the machine, file by file. */
export function planWords(plan: PublishPlan): { title: string; lines: string[] } {
  return {
    title: `Publish to ${plan.repo}?`,
    lines: [
      `${plan.files.length} files, ${formatBytes(plan.totalBytes)}, to ${plan.private ? "a private" : "a public"} repository:`,
      ...plan.files.map((file) => `${file.path} (${file.kind}, ${formatBytes(file.bytes)})`),
      plan.recordedText
        ? "The dataset goes too: it holds the text of your recorded tool calls."
        : "No recorded call text leaves this machine: the model card gives the training data's counts only.",
    ],
  };
}
