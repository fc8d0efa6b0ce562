import { DEFAULT_DEPLOY_FILE, type Job, type JobRequest, type PipelineJobRequest } from "@vault-tuner/shared";

/** The steps of a pipeline job, in order; `build`, `evaluate` and `deploy` only when the request asks. */
export const PIPELINE_STEPS = ["build", "train", "export", "evaluate", "deploy"] as const;
export type PipelineStep = (typeof PIPELINE_STEPS)[number];

/** The steps this pipeline runs, in order: the order is PIPELINE_STEPS', the optional ones only when asked. */
export function stepsOf(request: PipelineJobRequest): PipelineStep[] {
  return PIPELINE_STEPS.filter((step) => (step === "build" ? !!request.build : step === "evaluate" ? !!request.evaluate : step === "deploy" ? !!request.deploy : true));
}

export type PipelineAction =
  | { do: "build" }
  | { do: "submit"; step: Exclude<PipelineStep, "build">; request: JobRequest }
  | { do: "wait"; step: PipelineStep; jobId: string }
  | { do: "stop"; state: "failed" | "cancelled" | "interrupted"; step: PipelineStep; job: Job }
  | { do: "finish" };

/**
 * What a pipeline does next, from its request, the steps it has recorded (artefacts: `dataset` once
 * built, then the job id of each step), those jobs' states and what the export's quantization check
 * recommended. Pure, so the order is tested alone.
 */
export function nextPipelineAction(
  pipelineId: string,
  request: PipelineJobRequest,
  recorded: Record<string, string>,
  jobOf: (id: string) => Job | undefined,
  recommendedOf: (exported: Job) => string | undefined = () => undefined,
): PipelineAction {
  if (request.build && !recorded.dataset) return { do: "build" };
  const dataset = request.build?.name ?? (request.dataset as string);
  const jobs: Partial<Record<PipelineStep, Job>> = {};
  for (const step of stepsOf(request)) {
    if (step === "build") continue;
    const id = recorded[step];
    const job = id ? jobOf(id) : undefined;
    if (!job) return { do: "submit", step, request: stepRequest(step, pipelineId, request, dataset, jobs, recommendedOf) };
    if (job.state === "queued" || job.state === "running") return { do: "wait", step, jobId: job.id };
    if (job.state !== "succeeded") return { do: "stop", state: job.state, step, job };
    jobs[step] = job;
  }
  return { do: "finish" };
}

function stepRequest(step: Exclude<PipelineStep, "build">, pipelineId: string, request: PipelineJobRequest, dataset: string, done: Partial<Record<PipelineStep, Job>>, recommendedOf: (exported: Job) => string | undefined): JobRequest {
  const exported = done.export as Job;
  // What is deployed is what is evaluated first: the deploy step's choice, else the check's, else the default.
  const file = request.deploy?.file ?? (exported ? recommendedOf(exported) : undefined) ?? DEFAULT_DEPLOY_FILE;
  switch (step) {
    case "train":
      return { kind: "train", ...request.train, dataset, pipeline: pipelineId };
    case "export":
      return { kind: "export", ...request.export, run: (done.train as Job).id, pipeline: pipelineId };
    case "evaluate": {
      const evaluate = request.evaluate as NonNullable<PipelineJobRequest["evaluate"]>;
      return { kind: "eval", backend: "embedded", concurrency: 1, ...evaluate, model: exported.artefacts[file] as string, pipeline: pipelineId };
    }
    case "deploy":
      return { kind: "deploy", ...(request.deploy as NonNullable<PipelineJobRequest["deploy"]>), file, export: exported.id, pipeline: pipelineId };
  }
}
