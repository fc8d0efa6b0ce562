import type { Job, JobRequest, PipelineJobRequest } from "@vault-tuner/shared";

/** The steps of a pipeline job, in order; `build` only when the pipeline builds its dataset. */
export const PIPELINE_STEPS = ["build", "train", "export", "deploy"] as const;
export type PipelineStep = (typeof PIPELINE_STEPS)[number];

export type PipelineAction =
  | { do: "build" }
  | { do: "submit"; step: Exclude<PipelineStep, "build">; request: JobRequest }
  | { do: "wait"; step: PipelineStep; jobId: string }
  | { do: "stop"; state: "failed" | "cancelled" | "interrupted"; step: PipelineStep; job: Job }
  | { do: "finish" };

/**
 * What a pipeline does next, from its request, the steps it has recorded (artefacts: `dataset` once
 * built, then the job id of each step) and those jobs' states. Pure, so the order is tested alone.
 */
export function nextPipelineAction(pipelineId: string, request: PipelineJobRequest, recorded: Record<string, string>, jobOf: (id: string) => Job | undefined): PipelineAction {
  if (request.build && !recorded.dataset) return { do: "build" };
  const dataset = request.build?.name ?? (request.dataset as string);
  let previous: Job | undefined;
  for (const step of ["train", "export", "deploy"] as const) {
    if (step === "deploy" && !request.deploy) break;
    const id = recorded[step];
    const job = id ? jobOf(id) : undefined;
    if (!job) {
      const childRequest: JobRequest =
        step === "train"
          ? { kind: "train", ...request.train, dataset, pipeline: pipelineId }
          : step === "export"
            ? { kind: "export", ...request.export, run: (previous as Job).id, pipeline: pipelineId }
            : { kind: "deploy", ...(request.deploy as NonNullable<PipelineJobRequest["deploy"]>), export: (previous as Job).id, pipeline: pipelineId };
      return { do: "submit", step, request: childRequest };
    }
    if (job.state === "queued" || job.state === "running") return { do: "wait", step, jobId: job.id };
    if (job.state !== "succeeded") return { do: "stop", state: job.state, step, job };
    previous = job;
  }
  return { do: "finish" };
}
