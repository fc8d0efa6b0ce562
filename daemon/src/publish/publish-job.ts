import { copyFileSync, linkSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { PublishPlan } from "@vault-tuner/shared";
import { JobRequestError, type JobKind } from "../jobs/job-kind";
import { TrainerError } from "../train/run-trainer";
import { runTrainerJob, trainerFailure } from "../train/run-trainer-job";
import { planPublish, type PublishPlanDeps, PublishPlanError } from "./publish-plan";

export interface PublishJobDeps extends PublishPlanDeps {
  graceMs?: number;
}

/**
 * Publish jobs: the publish plan's files laid out as the repo will hold them (`jobs/<id>/upload`, links to
 * the files, not copies), then `python -m vault_tuner_train publish`, which creates the repo if missing and
 * commits them once through huggingface_hub. The job fails if what the Hub received is not the plan.
 */
export function publishJob(deps: PublishJobDeps): JobKind<"publish"> {
  const plan = (request: Parameters<JobKind<"publish">["run"]>[0]) => {
    try {
      return planPublish(request.model, request, deps);
    } catch (error) {
      if (error instanceof PublishPlanError) throw new JobRequestError(error.message, error.path);
      throw error;
    }
  };
  return {
    kind: "publish",
    resumable: false,
    prepare(request, { planned }) {
      if (!planned) plan(request);
      return request;
    },
    async run(request, context) {
      const planned = plan(request);
      const folder = join(context.folder, "upload");
      stage(planned, folder);
      const record = join(context.folder, "plan.json");
      writeFileSync(record, `${JSON.stringify(planned, null, 2)}\n`);
      const args = async () => [
        "publish",
        "--folder",
        folder,
        "--repo",
        request.repo,
        ...(request.private ? ["--private"] : []),
        "--message",
        `Publish ${planned.model} from Vault Tuner`,
      ];
      const done = await runTrainerJob({ args, graceMs: deps.graceMs }, context);
      const sent = (done.published ?? []).map((file) => `${file.path} ${file.bytes}`).sort();
      const meant = planned.files.map((file) => `${file.path} ${file.bytes}`).sort();
      if (sent.join("\n") !== meant.join("\n"))
        throw new TrainerError(
          `the Hub received ${sent.length} files where the plan had ${meant.length}: ${sent.filter((line) => !meant.includes(line)).join(", ") || "some were missing"}`,
          "publish-mismatch",
          "publish again; the plan is in the job's plan.json",
        );
      return { repo: request.repo, url: done.output ?? "", commit: done.commit ?? "", plan: record };
    },
    failure: trainerFailure,
  };
}

/** The plan's files at their repo paths under `folder`: hard links where the disk allows, else copies. */
function stage(plan: PublishPlan, folder: string): void {
  for (const file of plan.files) {
    const target = join(folder, ...file.path.split("/"));
    mkdirSync(dirname(target), { recursive: true });
    if (!file.source) {
      writeFileSync(target, plan.card);
      continue;
    }
    try {
      linkSync(file.source, target);
    } catch {
      copyFileSync(file.source, target);
    }
  }
}
