import { appendFileSync, mkdirSync } from "node:fs";
import {
  describeError,
  type DatasetBuildRequest,
  type Job,
  type JobRequest,
  type PipelineJobRequest,
} from "@vault-tuner/shared";
import type { JobStore } from "../store/job-store";
import { JobRequestError, type JobKinds, type StageRequest } from "./job-kind";
import { nextPipelineAction, plannedSteps, stepsOf } from "./pipeline-steps";

/** What a pipeline needs from the queue that runs its steps. */
export interface StepQueue {
  submit(request: JobRequest): Job;
  cancel(id: string): Job;
  resume(id: string): Job;
  /** Says a job's new state to the live feed. */
  announce(id: string): void;
  folder(id: string): string;
  logFile(id: string): string;
}

export interface PipelineOptions {
  kinds: JobKinds;
  /** Builds a dataset as POST /v1/datasets does (a pipeline's first step). */
  buildDataset?: (request: DatasetBuildRequest, onProgress: (step: string) => void) => Promise<unknown>;
  /** The checks POST /v1/datasets makes before building, for a build step checked ahead (JobRequestError). */
  checkBuild?: (request: DatasetBuildRequest) => void;
  /** The file an export job's quantization check recommended, when it ran (what is evaluated and deployed). */
  recommendedFile: (exported: Job) => string | undefined;
  now: () => string;
}

/** States a job (or pipeline) can be resumed from. */
export const RESUMABLE: readonly Job["state"][] = ["interrupted", "failed", "cancelled"];

/**
 * Pipelines: the whole loop as one job whose steps (pipeline-steps.ts says which, in what order) are jobs
 * of their own, submitted to the queue one after another. A pipeline holds no slot in the queue.
 */
export class PipelineRunner {
  constructor(
    private readonly jobs: JobStore,
    private readonly queue: StepQueue,
    private readonly options: PipelineOptions,
  ) {}

  /**
   * Checks every step before anything runs (what earlier steps make is checked when the step is
   * submitted), and records the training step as it resolved: recipe and model.
   */
  prepare(request: PipelineJobRequest): PipelineJobRequest {
    // A build that cannot read its sources is refused now, as POST /v1/datasets refuses it, not when it runs.
    if (request.build) this.options.checkBuild?.(request.build);
    let train = request.train;
    for (const { step, request: planned } of plannedSteps(request)) {
      try {
        // The dataset is checked here only when the pipeline does not build it.
        const prepared = this.options.kinds[planned.kind].prepare(planned as never, {
          planned: step !== "train" || !!request.build,
        }) as StageRequest;
        if (prepared.kind === "train") {
          const { kind: _kind, dataset: _dataset, pipeline: _pipeline, ...resolved } = prepared;
          train = resolved;
        }
      } catch (error) {
        // A step's field is the pipeline's under the step's name; the dataset is the pipeline's own.
        if (error instanceof JobRequestError && error.path === "dataset")
          throw new JobRequestError(`${error.message}, or give the pipeline a build step`, "dataset");
        if (error instanceof JobRequestError) throw new JobRequestError(error.message, `${step}.${error.path}`);
        throw error;
      }
    }
    return { ...request, train };
  }

  /** Starts a pipeline the queue has just created. */
  start(id: string): void {
    this.jobs.started(id, this.options.now());
    this.queue.announce(id);
    void this.advance(id);
  }

  /** Cancels the step in flight (its end moves the pipeline on to cancelled); without one the pipeline ends here. */
  cancel(job: Job): void {
    const step = Object.values(job.artefacts)
      .map((childId) => this.jobs.get(childId))
      .find((child) => child && (child.state === "queued" || child.state === "running"));
    if (step) {
      this.queue.cancel(step.id);
      return;
    }
    this.jobs.finished(job.id, "cancelled", this.options.now());
    this.queue.announce(job.id);
  }

  /** Goes on from the stopped step: a step that resumes continues from where it stopped, others run again. */
  resume(job: Job): void {
    const action = nextPipelineAction(
      job.id,
      job.request as PipelineJobRequest,
      job.artefacts,
      (childId) => this.jobs.get(childId),
      this.options.recommendedFile,
    );
    this.jobs.started(job.id, this.options.now());
    this.queue.announce(job.id);
    if (action.do === "stop") {
      if (this.options.kinds[action.job.kind as keyof JobKinds]?.resumable) this.queue.resume(action.job.id);
      else {
        const { [action.step]: _dropped, ...kept } = job.artefacts;
        this.jobs.setArtefacts(job.id, kept);
      }
    }
    void this.advance(job.id);
  }

  /** Moves a running pipeline one step on; called when it starts and whenever one of its steps ends. */
  async advance(id: string): Promise<void> {
    const pipeline = this.jobs.get(id);
    if (pipeline?.state !== "running") return;
    const request = pipeline.request as PipelineJobRequest;
    const action = nextPipelineAction(
      id,
      request,
      pipeline.artefacts,
      (childId) => this.jobs.get(childId),
      this.options.recommendedFile,
    );
    const steps: string[] = stepsOf(request);
    const log = (line: string) => {
      mkdirSync(this.queue.folder(id), { recursive: true, mode: 0o700 });
      appendFileSync(this.queue.logFile(id), `${line}\n`);
    };
    const now = this.options.now;
    try {
      switch (action.do) {
        case "build": {
          if (!this.options.buildDataset) throw new Error("this daemon cannot build datasets in a pipeline");
          log(`--- building dataset ${request.build?.name}`);
          this.jobs.setProgress(id, { stage: "build", step: 0, total: steps.length });
          await this.options.buildDataset(request.build as DatasetBuildRequest, (step) => log(step));
          this.jobs.setArtefacts(id, { ...pipeline.artefacts, dataset: request.build?.name as string });
          return this.advance(id);
        }
        case "submit": {
          const child = this.queue.submit(action.request);
          log(`--- ${action.step}: job ${child.id}`);
          this.jobs.setArtefacts(id, { ...(this.jobs.get(id) as Job).artefacts, [action.step]: child.id });
          this.jobs.setProgress(id, { stage: action.step, step: steps.indexOf(action.step), total: steps.length });
          this.queue.announce(id);
          return;
        }
        case "wait":
          return;
        case "stop":
          log(`--- ${action.step} step ${action.job.id} ended ${action.state}`);
          this.jobs.finished(
            id,
            action.state,
            now(),
            action.job.error
              ? { ...action.job.error, message: `${action.step} step (${action.job.id}): ${action.job.error.message}` }
              : null,
          );
          break;
        case "finish":
          log("--- every step succeeded");
          this.jobs.setProgress(id, { stage: "done", step: 1, total: 1 });
          this.jobs.finished(id, "succeeded", now());
          break;
      }
    } catch (error) {
      log(`--- failed: ${describeError(error)}`);
      this.jobs.finished(id, "failed", now(), {
        code: error instanceof JobRequestError ? "invalid-step" : "error",
        message: describeError(error),
      });
    }
    this.queue.announce(id);
  }
}
