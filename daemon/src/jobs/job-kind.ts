import type { Job, JobProgress, JobRequest } from "@vault-tuner/shared";

/** The kinds of job a stage runs; a pipeline is the queue's own, made of these. */
export type StageJobKind = Exclude<JobRequest["kind"], "pipeline">;
export type StageRequest<K extends StageJobKind = StageJobKind> = Extract<JobRequest, { kind: K }>;

/** A request the runner refuses before queueing it (unknown dataset, run not finished...). `path` names the field. */
export class JobRequestError extends Error {
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(message);
  }
}

export interface PrepareOptions {
  /**
   * The request is a pipeline's step, checked before the pipeline starts: what earlier steps make (the
   * dataset a pipeline builds, the run, the export, the file to evaluate) is not there yet, so only the
   * rest is checked. It is checked again, whole, when the step is submitted.
   */
  planned: boolean;
}

/** What a running job may use: where it works, how it reports, and the signal that stops it. */
export interface JobContext {
  readonly id: string;
  /** The job's own folder (`jobs/<id>`), created before it runs. */
  readonly folder: string;
  /** The job ran before (it was interrupted or failed and is resumed). */
  readonly resumed: boolean;
  /** Aborted when the job is cancelled or the daemon stops. */
  readonly signal: AbortSignal;
  /** A line in the job's log. */
  log(line: string): void;
  /** Where the job stands now: stored on the job and pushed as `job.progress`. */
  progress(progress: JobProgress): void;
}

/** How a stage's own error ends its job; `artefacts` are kept even though the job failed. */
export interface JobFailure {
  error: NonNullable<Job["error"]>;
  artefacts?: Record<string, string>;
}

/**
 * One kind of job, implemented by the stage that owns the work (train, export, deploy, eval): the queue
 * and the pipeline know stages only through this.
 */
export interface JobKind<K extends StageJobKind = StageJobKind> {
  readonly kind: K;
  /** Only these continue where they stopped when resumed; the others are started again as new jobs. */
  readonly resumable: boolean;
  /** Checks a request before it is queued and resolves its defaults (what the job records); throws JobRequestError. */
  prepare(request: StageRequest<K>, options: PrepareOptions): StageRequest<K>;
  /** Does the work; resolves with what the job leaves behind (folders, files, names). */
  run(request: StageRequest<K>, context: JobContext): Promise<Record<string, string>>;
  /** The stage's own errors as the job's failure, with their codes and hints; undefined for any other error. */
  failure(error: unknown): JobFailure | undefined;
}

export type JobKinds = { [K in StageJobKind]: JobKind<K> };
