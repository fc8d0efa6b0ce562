import type { Job } from "@vault-tuner/shared";
import type { DataDir } from "../config/data-dir";
import { deployJob } from "../deploy/deploy-job";
import type { EmbeddedServing } from "../deploy/embedded-serving";
import { evalJob } from "../evals/eval-job-kind";
import { readExportCheck } from "../export/export-check";
import { exportJob } from "../export/export-job";
import type { JobKinds } from "../jobs/job-kind";
import { trainingOfModel } from "../models/model-registry";
import { publishJob } from "../publish/publish-job";
import type { Platform } from "../platform/detect-platform";
import type { Store } from "../store/store";
import { trainJob } from "../train/train-job";

export interface StageJobDeps {
  store: Store;
  dataDir: DataDir;
  platform: Platform;
  serving: EmbeddedServing;
  ollamaHost?: string;
  /** Grace between SIGTERM and SIGKILL when a trainer is stopped. */
  graceMs?: number;
  now: () => string;
}

/** Each stage's job, wired to what this daemon has: the queue knows the stages only through these. */
export function stageJobs(deps: StageJobDeps): JobKinds {
  const { store, dataDir, graceMs } = deps;
  return {
    train: trainJob({ dataDir, platform: deps.platform, graceMs }),
    export: exportJob({ dataDir, jobs: store.jobs, graceMs }),
    deploy: deployJob({ jobs: store.jobs, serving: deps.serving, ollamaHost: deps.ollamaHost, now: deps.now }),
    eval: evalJob({
      dataRoot: dataDir.root,
      serving: deps.serving,
      trainingOf: (model) => trainingOfModel(store.jobs, dataDir.datasets, model),
    }),
    publish: publishJob({ jobs: store.jobs, dataDir, names: () => store.modelNames.names(), graceMs }),
  };
}

/** What an export job's quantization check recommended, when it ran. */
export function recommendedFile(exported: Job): string | undefined {
  return exported.artefacts.gguf ? readExportCheck(exported.artefacts.gguf)?.recommended : undefined;
}
