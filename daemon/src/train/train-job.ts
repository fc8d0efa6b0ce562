import { existsSync } from "node:fs";
import { join } from "node:path";
import type { TrainJobRequest } from "@vault-tuner/shared";
import { resolveBaseModel } from "../bases/base-store";
import type { DataDir } from "../config/data-dir";
import { JobRequestError, type JobKind } from "../jobs/job-kind";
import type { Platform } from "../platform/detect-platform";
import { dataParallelProcesses } from "./data-parallel";
import { recipeModel } from "./recipe-model";
import { runTrainerJob, trainerFailure } from "./run-trainer-job";
import { trainArgs } from "./trainer-args";

export interface TrainJobDeps {
  dataDir: DataDir;
  /** What this machine trains on: decides what recipe "auto" means and whether a CPU may train. */
  platform: Platform;
  /** Grace between SIGTERM and SIGKILL when the job is stopped. */
  graceMs?: number;
}

/**
 * Training jobs: the trainer's `kto`/`sft` command on a built dataset, writing `jobs/<id>/run`; resumed
 * jobs continue from the run's last checkpoint.
 */
export function trainJob(deps: TrainJobDeps): JobKind<"train"> {
  return {
    kind: "train",
    resumable: true,
    prepare(request, { planned }) {
      if (!planned && !existsSync(join(deps.dataDir.datasets, request.dataset, "card.json"))) {
        throw new JobRequestError(
          `no dataset "${request.dataset}" in ${deps.dataDir.datasets}; build it first (POST /v1/datasets)`,
          "dataset",
        );
      }
      const recipe = recipeFor(request, deps.platform);
      if (!request.model && recipeModel(recipe) === null) {
        throw new JobRequestError(
          `recipe ${recipe} names no model, so give one: the name of an imported base (\`vault-tuner base gemma\` imports Gemma 3 270M in about 3 minutes; \`vault-tuner base list\` shows them), a model folder, or a hub name`,
          "model",
        );
      }
      // The job records the recipe and the model's folder it resolved to.
      return {
        ...request,
        recipe,
        ...(request.model ? { model: resolveBaseModel(deps.dataDir.root, request.model) } : {}),
      };
    },
    async run(request, context) {
      const run = join(context.folder, "run");
      const done = await runTrainerJob(
        {
          args: async () => trainArgs(request, join(deps.dataDir.datasets, request.dataset), run, context.resumed),
          graceMs: deps.graceMs,
          // Every GPU the trainer can see, each running a process on its share of every step's batch.
          processes: dataParallelProcesses(request, deps.platform),
        },
        context,
      );
      return { run, ...(done.adapter ? { adapter: done.adapter } : {}) };
    },
    failure: trainerFailure,
  };
}

/** "auto" becomes the platform's preset; on a CPU only the tiny recipe (or an explicit device cpu) trains. */
function recipeFor(request: Pick<TrainJobRequest, "recipe" | "device">, platform: Platform): string {
  if (platform.kind === "cpu" && request.recipe !== "tiny" && request.device !== "cpu") {
    throw new JobRequestError(
      `this machine has no GPU to train on (${platform.reason}); a CPU trains only small models in useful time: use recipe "tiny" with a small model, or ask for device "cpu" explicitly`,
      "recipe",
    );
  }
  if (request.recipe !== "auto") return request.recipe;
  if (!platform.recommendedRecipe)
    throw new JobRequestError(
      `no preset fits this machine (${platform.reason}, ${platform.memoryGiB} GiB): name a recipe`,
      "recipe",
    );
  return platform.recommendedRecipe;
}
