import { DEFAULT_DEPLOY_FILE, type Job, type PipelineJobRequest } from "@vault-tuner/shared";
import type { StageRequest } from "./job-kind";

/** The steps of a pipeline job, in order; `build`, `evaluate` and `deploy` only when the request asks. */
export const PIPELINE_STEPS = ["build", "train", "export", "evaluate", "deploy"] as const;
export type PipelineStep = (typeof PIPELINE_STEPS)[number];

/** The steps this pipeline runs, in order: the order is PIPELINE_STEPS', the optional ones only when asked. */
export function stepsOf(request: PipelineJobRequest): PipelineStep[] {
  return PIPELINE_STEPS.filter((step) =>
    step === "build"
      ? !!request.build
      : step === "evaluate"
        ? !!request.evaluate
        : step === "deploy"
          ? !!request.deploy
          : true,
  );
}

export type PipelineAction =
  | { do: "build" }
  | { do: "submit"; step: Exclude<PipelineStep, "build">; request: StageRequest }
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
    if (!job)
      return {
        do: "submit",
        step,
        request: stepRequest(step, request, dataset, inputsOf(request, jobs, recommendedOf), pipelineId),
      };
    if (job.state === "queued" || job.state === "running") return { do: "wait", step, jobId: job.id };
    if (job.state !== "succeeded") return { do: "stop", state: job.state, step, job };
    jobs[step] = job;
  }
  return { do: "finish" };
}

/** What a step's request takes from the steps before it. */
interface StepInputs {
  /** The training job (the export's run). */
  run: string;
  /** The export job (what is deployed). */
  export: string;
  /** The exported file that is evaluated and deployed, and its path. */
  file: string;
  model: string;
}

function stepRequest(
  step: Exclude<PipelineStep, "build">,
  request: PipelineJobRequest,
  dataset: string,
  inputs: StepInputs,
  pipeline?: string,
): StageRequest {
  const of = pipeline ? { pipeline } : {};
  switch (step) {
    case "train":
      return { kind: "train", ...request.train, dataset, ...of };
    case "export":
      return { kind: "export", ...request.export, run: inputs.run, ...of };
    case "evaluate": {
      const evaluate = request.evaluate as NonNullable<PipelineJobRequest["evaluate"]>;
      return { kind: "eval", backend: "embedded", concurrency: 1, ...evaluate, model: inputs.model, ...of };
    }
    case "deploy":
      return {
        kind: "deploy",
        ...(request.deploy as NonNullable<PipelineJobRequest["deploy"]>),
        file: inputs.file,
        export: inputs.export,
        ...of,
      };
  }
}

function inputsOf(
  request: PipelineJobRequest,
  done: Partial<Record<PipelineStep, Job>>,
  recommendedOf: (exported: Job) => string | undefined,
): StepInputs {
  const exported = done.export;
  // What is deployed is what is evaluated first: the deploy step's choice, else the check's, else the default.
  const file = request.deploy?.file ?? (exported ? recommendedOf(exported) : undefined) ?? DEFAULT_DEPLOY_FILE;
  return { run: done.train?.id ?? "", export: exported?.id ?? "", file, model: exported?.artefacts[file] ?? "" };
}

/**
 * Every step's request as the pipeline will submit it, for checking them all before the pipeline
 * starts; what earlier steps make (the run, the export, the file) is left empty.
 */
export function plannedSteps(
  request: PipelineJobRequest,
): { step: Exclude<PipelineStep, "build">; request: StageRequest }[] {
  const dataset = request.build?.name ?? (request.dataset as string);
  const inputs = inputsOf(request, {}, () => undefined);
  return stepsOf(request)
    .filter((step) => step !== "build")
    .map((step) => ({
      step: step as Exclude<PipelineStep, "build">,
      request: stepRequest(step as Exclude<PipelineStep, "build">, request, dataset, inputs),
    }));
}
