import { appendFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import {
  describeError,
  type DatasetBuildRequest,
  type Job,
  type JobProgress,
  type JobRequest,
} from "@vault-tuner/shared";
import type { DataDir } from "../config/data-dir";
import type { EventBus } from "../events/event-bus";
import type { Store } from "../store/store";
import type { JobContext, JobKind, JobKinds, StageJobKind, StageRequest } from "./job-kind";
import { JobRequestError } from "./job-kind";
import { PipelineRunner, RESUMABLE } from "./pipeline-runner";

/** A job action that does not fit the job's state (cancel a finished job, resume a succeeded one). */
export class JobStateError extends Error {}

export interface JobRunnerOptions {
  /** The stages' jobs, by kind. */
  kinds: JobKinds;
  /** Builds a dataset as POST /v1/datasets does (a pipeline's first step). */
  buildDataset?: (request: DatasetBuildRequest, onProgress: (step: string) => void) => Promise<unknown>;
  /** The checks POST /v1/datasets makes before building, for a pipeline's build step (JobRequestError). */
  checkBuild?: (request: DatasetBuildRequest) => void;
  /** The file an export job's quantization check recommended, when it ran: a pipeline evaluates and deploys it. */
  recommendedFile?: (exported: Job) => string | undefined;
  now?: () => string;
}

type Stop = "cancel" | "shutdown";

interface RunningJob {
  id: string;
  controller: AbortController;
  /** Why the job is being stopped, when it is. */
  stop?: Stop;
  done: Promise<void>;
}

/**
 * The queue: jobs run one at a time, oldest first, each by its stage's JobKind. The whole log goes to
 * `jobs/<id>/job.log`, progress becomes `job.progress` events, and each state is committed before it is
 * announced. Cancelling or stopping the daemon aborts the running job's signal; a job stopped by the
 * daemon is left `interrupted`, to be resumed later.
 */
export class JobRunner {
  private current: RunningJob | undefined;
  private closed = false;
  private readonly now: () => string;
  private readonly pipelines: PipelineRunner;

  constructor(
    private readonly store: Store,
    private readonly events: EventBus,
    private readonly dataDir: DataDir,
    private readonly options: JobRunnerOptions,
  ) {
    this.now = options.now ?? (() => new Date().toISOString());
    this.pipelines = new PipelineRunner(store.jobs, this, {
      kinds: options.kinds,
      buildDataset: options.buildDataset,
      checkBuild: options.checkBuild,
      recommendedFile: options.recommendedFile ?? (() => undefined),
      now: this.now,
    });
  }

  /** Marks what a previous daemon left running as interrupted, then starts the queue. */
  start(): { interrupted: string[] } {
    const interrupted = this.store.jobs.interruptRunning(this.now());
    this.kick();
    return { interrupted };
  }

  /** Checks the request (JobRequestError when it cannot run), records it with its defaults resolved, and queues it. */
  submit(request: JobRequest): Job {
    if (request.kind === "pipeline") {
      const job = this.store.jobs.create(this.pipelines.prepare(request), this.now());
      this.pipelines.start(job.id);
      return this.require(job.id);
    }
    const job = this.store.jobs.create(
      this.kindOf(request.kind).prepare(request as never, { planned: false }),
      this.now(),
    );
    this.announce(job.id);
    this.kick();
    return this.require(job.id);
  }

  cancel(id: string): Job {
    const job = this.require(id);
    if (job.kind === "pipeline" && job.state === "running") {
      this.pipelines.cancel(job);
    } else if (job.state === "queued") {
      this.store.jobs.finished(id, "cancelled", this.now());
      this.announce(id);
      const pipeline = (job.request as { pipeline?: string }).pipeline;
      if (pipeline) void this.pipelines.advance(pipeline);
    } else if (job.state === "running" && this.current?.id === id) {
      this.current.stop = "cancel";
      this.current.controller.abort();
    } else {
      throw new JobStateError(`job ${id} is ${job.state}; only queued or running jobs can be cancelled`);
    }
    return this.require(id);
  }

  /** Queues a stopped job of a resumable kind again (training: from its last checkpoint); a pipeline goes on from its stopped step. */
  resume(id: string): Job {
    const job = this.require(id);
    const what = job.kind === "pipeline" ? "pipelines" : "jobs";
    if (!RESUMABLE.includes(job.state))
      throw new JobStateError(
        `job ${id} is ${job.state}; only interrupted, failed or cancelled ${what} can be resumed`,
      );
    if (job.kind === "pipeline") {
      this.pipelines.resume(job);
      return this.require(id);
    }
    if (!this.kindOf(job.kind).resumable)
      throw new JobStateError(
        `job ${id} is a ${job.kind} job, which does not resume: start a new ${job.kind} job instead`,
      );
    this.store.jobs.requeue(id);
    this.announce(id);
    this.kick();
    return this.require(id);
  }

  folder(id: string): string {
    return join(this.dataDir.jobs, id);
  }

  logFile(id: string): string {
    return join(this.folder(id), "job.log");
  }

  /** Stops the running job (it becomes interrupted) and starts no other. */
  async close(): Promise<void> {
    this.closed = true;
    const running = this.current;
    if (!running) return;
    running.stop = "shutdown";
    running.controller.abort();
    await running.done;
  }

  announce(id: string): void {
    const job = this.store.jobs.get(id);
    if (job) this.events.publish({ type: "job.state", jobId: id, kind: job.kind, state: job.state, error: job.error });
  }

  private kindOf(kind: StageJobKind): JobKind {
    return this.options.kinds[kind] as JobKind;
  }

  private require(id: string): Job {
    const job = this.store.jobs.get(id);
    if (!job) throw new JobRequestError(`no job ${id}`, "id");
    return job;
  }

  private kick(): void {
    if (this.closed || this.current) return;
    const next = this.store.jobs.nextQueued();
    if (!next) return;
    const controller = new AbortController();
    const entry: RunningJob = { id: next.id, controller, done: Promise.resolve() };
    this.current = entry;
    entry.done = this.run(next, entry).finally(() => {
      this.current = undefined;
      this.kick();
    });
  }

  private async run(job: Job, entry: RunningJob): Promise<void> {
    const kind = this.kindOf(job.kind as StageJobKind);
    const log = (line: string) => appendFileSync(this.logFile(job.id), `${line}\n`);
    const context: JobContext = {
      id: job.id,
      folder: this.folder(job.id),
      resumed: job.attempts > 0,
      signal: entry.controller.signal,
      log,
      progress: (progress) => this.report(job.id, progress),
    };
    this.store.jobs.started(job.id, this.now());
    this.announce(job.id);
    try {
      mkdirSync(context.folder, { recursive: true, mode: 0o700 });
      log(`--- ${this.now()} ${context.resumed ? "resuming" : "starting"} ${job.kind} job ${job.id}`);
      const artefacts = await kind.run(job.request as StageRequest, context);
      this.store.jobs.setArtefacts(job.id, artefacts);
      this.store.jobs.finished(job.id, "succeeded", this.now());
    } catch (error) {
      this.fail(job, kind, entry.stop, error, log);
    }
    this.announce(job.id);
    const pipeline = (job.request as { pipeline?: string }).pipeline;
    if (pipeline && !this.closed) await this.pipelines.advance(pipeline);
  }

  /** How a job that threw ends: cancelled or interrupted when it was stopped, else failed with its stage's reason. */
  private fail(job: Job, kind: JobKind, stop: Stop | undefined, error: unknown, log: (line: string) => void): void {
    const say = (line: string) => {
      try {
        log(line);
      } catch {
        // A job whose folder could not be made has no log: its failure is still recorded on the job.
      }
    };
    if (stop) {
      say(`--- ${stop === "cancel" ? "cancelled" : "interrupted: the daemon is stopping"}`);
      const reason =
        stop === "shutdown"
          ? {
              code: "interrupted",
              message: "the daemon stopped while this job ran",
              hint: "resume it to continue from its last checkpoint",
            }
          : null;
      this.store.jobs.finished(job.id, stop === "cancel" ? "cancelled" : "interrupted", this.now(), reason);
      return;
    }
    const known = kind.failure(error);
    if (known?.artefacts) this.store.jobs.setArtefacts(job.id, known.artefacts);
    const failure = known?.error ?? { code: "error", message: describeError(error) };
    say(`--- failed: ${failure.message}`);
    this.store.jobs.finished(job.id, "failed", this.now(), failure);
  }

  /** A job's progress: onto the job, out as `job.progress`. */
  private report(id: string, progress: JobProgress): void {
    this.store.jobs.setProgress(id, progress);
    this.events.publish({ type: "job.progress", jobId: id, progress });
  }
}
