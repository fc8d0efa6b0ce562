import { appendFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { DatasetBuildRequest, DeployJobRequest, EvalJobRequest, ExportJobRequest, Job, JobProgress, JobRequest, PipelineJobRequest, TrainEvent, TrainJobRequest } from "@vault-tuner/shared";
import { resolveBaseModel } from "../bases/base-store";
import type { DataDir } from "../config/data-dir";
import type { EventBus } from "../events/event-bus";
import { EvalGateError, runEvalJob } from "../evals/eval-job";
import { loadPromptSet, PromptSetError, selectCases } from "../evals/prompt-sets";
import { checkExport, checkText, fileToDeploy, QUANT_CHECK_FILE, readExportCheck, verdictOf } from "../export/export-check";
import { ensureLlamaCppTools } from "../export/llama-cpp-tools";
import type { Platform } from "../platform/detect-platform";
import type { EmbeddedServing } from "../deploy/embedded-serving";
import { deployToOllama, OllamaDeployError } from "../deploy/ollama-deploy";
import { ensurePythonEnv } from "../python/python-env";
import { runTrainer, TrainerError } from "../python/run-trainer";
import type { Store } from "../store/store";
import { trainingOfModel } from "./model-registry";
import { nextPipelineAction, stepsOf } from "./pipeline-steps";
import { recipeModel } from "./recipe-model";
import { exportArgs, trainArgs } from "./trainer-args";
import { eventLogLine } from "./job-metrics";

/** A request the runner refuses before queueing it (unknown dataset, run not finished...). */
export class JobRequestError extends Error {
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(message);
  }
}

/** A job action that does not fit the job's state (cancel a finished job, resume a succeeded one). */
export class JobStateError extends Error {}

export interface JobRunnerOptions {
  /** Builds a dataset as POST /v1/datasets does (a pipeline's first step). */
  buildDataset?: (request: DatasetBuildRequest, onProgress: (step: string) => void) => Promise<unknown>;
  /** Where Ollama deploys go unless a job names a host. */
  ollamaHost?: string;
  /** What this machine trains on; decides what recipe "auto" means and whether a CPU may train. */
  platform: Platform;
  /** The model the daemon serves itself; deploy jobs with target embedded load into it. */
  serving: EmbeddedServing;
  /** Grace between SIGTERM and SIGKILL when a job is cancelled or the daemon stops. */
  graceMs?: number;
  now?: () => string;
}

type Stop = "cancel" | "shutdown";

/** States a job (or pipeline) can be resumed from. */
const RESUMABLE: readonly Job["state"][] = ["interrupted", "failed", "cancelled"];

interface RunningJob {
  id: string;
  controller: AbortController;
  /** Why the job is being stopped, when it is. */
  stop?: Stop;
  done: Promise<void>;
}

/**
 * Runs jobs one at a time, oldest first: training and export as a trainer child process (then the export's
 * quantization check here), deploys and evaluations in this process. Progress becomes `job.progress`
 * events, the whole output goes to `jobs/<id>/job.log`, and each state is committed before it is
 * announced. Cancelling a trainer sends SIGTERM, then SIGKILL after the grace period; stopping the daemon
 * does the same and leaves the job `interrupted`, to be resumed later.
 */
export class JobRunner {
  private current: RunningJob | undefined;
  private closed = false;
  private readonly now: () => string;

  constructor(
    private readonly store: Store,
    private readonly events: EventBus,
    private readonly dataDir: DataDir,
    private readonly options: JobRunnerOptions,
  ) {
    this.now = options.now ?? (() => new Date().toISOString());
  }

  /** Marks what a previous daemon left running as interrupted, then starts the queue. */
  start(): { interrupted: string[] } {
    const interrupted = this.store.jobs.interruptRunning(this.now());
    this.kick();
    return { interrupted };
  }

  submit(request: JobRequest): Job {
    this.check(request);
    const resolved: JobRequest =
      request.kind === "train"
        ? this.trainingFor(request)
        : request.kind === "pipeline"
          ? { ...request, train: this.trainingFor(request.train, "train.") }
          : request.kind === "deploy"
            ? { ...request, file: this.deployFile(request) }
            : request;
    const job = this.store.jobs.create(resolved, this.now());
    if (job.kind === "pipeline") {
      // A pipeline holds no slot: it starts its steps as jobs, one after another.
      this.store.jobs.started(job.id, this.now());
      this.announce(job.id);
      void this.advance(job.id);
      return this.store.jobs.get(job.id) as Job;
    }
    this.announce(job.id);
    this.kick();
    return this.store.jobs.get(job.id) as Job;
  }

  cancel(id: string): Job {
    const job = this.require(id);
    if (job.kind === "pipeline" && job.state === "running") {
      const step = Object.values(job.artefacts).map((childId) => this.store.jobs.get(childId)).find((child) => child && (child.state === "queued" || child.state === "running"));
      // The step's end moves the pipeline on to cancelled; without a step in flight it ends here.
      if (step) {
        this.cancel(step.id);
        return this.require(id);
      }
      this.store.jobs.finished(id, "cancelled", this.now());
      this.announce(id);
      return this.require(id);
    }
    if (job.state === "queued") {
      this.store.jobs.finished(id, "cancelled", this.now());
      this.announce(id);
      const pipeline = (job.request as { pipeline?: string }).pipeline;
      if (pipeline) void this.advance(pipeline);
    } else if (job.state === "running" && this.current?.id === id) {
      this.current.stop = "cancel";
      this.current.controller.abort();
    } else {
      throw new JobStateError(`job ${id} is ${job.state}; only queued or running jobs can be cancelled`);
    }
    return this.require(id);
  }

  /** Queues an interrupted, failed or cancelled training job again; it continues from its last checkpoint. */
  resume(id: string): Job {
    const job = this.require(id);
    if (job.kind === "pipeline") return this.resumePipeline(job);
    if (job.kind !== "train") throw new JobStateError(`job ${id} is a ${job.kind} job; only training jobs resume (start a new ${job.kind} job instead)`);
    if (!RESUMABLE.includes(job.state)) throw new JobStateError(`job ${id} is ${job.state}; only interrupted, failed or cancelled jobs can be resumed`);
    this.store.jobs.requeue(id);
    this.announce(id);
    this.kick();
    return this.require(id);
  }

  /** A pipeline goes on from its stopped step: a training step resumes from its checkpoint, others run again. */
  private resumePipeline(job: Job): Job {
    if (!RESUMABLE.includes(job.state)) throw new JobStateError(`job ${job.id} is ${job.state}; only interrupted, failed or cancelled pipelines can be resumed`);
    const action = nextPipelineAction(job.id, job.request as PipelineJobRequest, job.artefacts, (childId) => this.store.jobs.get(childId), recommendedOf);
    this.store.jobs.started(job.id, this.now());
    this.announce(job.id);
    if (action.do === "stop") {
      if (action.job.kind === "train") this.resume(action.job.id);
      else {
        const { [action.step]: _dropped, ...kept } = job.artefacts;
        this.store.jobs.setArtefacts(job.id, kept);
      }
    }
    void this.advance(job.id);
    return this.require(job.id);
  }

  /** Moves a running pipeline one step on; called when it starts and whenever one of its steps ends. */
  private async advance(id: string): Promise<void> {
    const pipeline = this.store.jobs.get(id);
    if (!pipeline || pipeline.state !== "running") return;
    const request = pipeline.request as PipelineJobRequest;
    const action = nextPipelineAction(id, request, pipeline.artefacts, (childId) => this.store.jobs.get(childId), recommendedOf);
    const steps: string[] = stepsOf(request);
    const log = (line: string) => {
      mkdirSync(this.folder(id), { recursive: true, mode: 0o700 });
      appendFileSync(this.logFile(id), `${line}\n`);
    };
    try {
      switch (action.do) {
        case "build": {
          if (!this.options.buildDataset) throw new Error("this daemon cannot build datasets in a pipeline");
          log(`--- building dataset ${request.build?.name}`);
          this.store.jobs.setProgress(id, { stage: "build", step: 0, total: steps.length });
          await this.options.buildDataset(request.build as DatasetBuildRequest, (step) => log(step));
          this.store.jobs.setArtefacts(id, { ...pipeline.artefacts, dataset: request.build?.name as string });
          return this.advance(id);
        }
        case "submit": {
          const child = this.submit(action.request);
          log(`--- ${action.step}: job ${child.id}`);
          this.store.jobs.setArtefacts(id, { ...this.require(id).artefacts, [action.step]: child.id });
          this.store.jobs.setProgress(id, { stage: action.step, step: steps.indexOf(action.step), total: steps.length });
          this.announce(id);
          return;
        }
        case "wait":
          return;
        case "stop":
          log(`--- ${action.step} step ${action.job.id} ended ${action.state}`);
          this.store.jobs.finished(id, action.state, this.now(), action.job.error ? { ...action.job.error, message: `${action.step} step (${action.job.id}): ${action.job.error.message}` } : null);
          break;
        case "finish":
          log("--- every step succeeded");
          this.store.jobs.setProgress(id, { stage: "done", step: 1, total: 1 });
          this.store.jobs.finished(id, "succeeded", this.now());
          break;
      }
    } catch (error) {
      log(`--- failed: ${(error as Error).message}`);
      this.store.jobs.finished(id, "failed", this.now(), { code: error instanceof JobRequestError ? "invalid-step" : "error", message: (error as Error).message });
    }
    this.announce(id);
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

  private require(id: string): Job {
    const job = this.store.jobs.get(id);
    if (!job) throw new JobRequestError(`no job ${id}`, "id");
    return job;
  }

  /**
   * A training request as the job records it: the recipe resolved, the model an imported base's name
   * names resolved to its folder. A request that names no model, for a recipe that names none either,
   * is refused here, before anything is built.
   */
  private trainingFor<T extends Pick<TrainJobRequest, "recipe" | "device" | "model">>(request: T, fieldPrefix = ""): T {
    const recipe = this.recipeFor(request);
    if (!request.model && recipeModel(recipe) === null) {
      throw new JobRequestError(
        `recipe ${recipe} names no model, so give one: the name of an imported base (\`vault-tuner base gemma\` imports Gemma 3 270M in about 3 minutes; \`vault-tuner base list\` shows them), a model folder, or a hub name`,
        `${fieldPrefix}model`,
      );
    }
    return { ...request, recipe, ...(request.model ? { model: resolveBaseModel(this.dataDir.root, request.model) } : {}) };
  }

  /** The file a deploy loads, from an export that check() made sure exists. */
  private deployFile(request: DeployJobRequest): string {
    return fileToDeploy(this.store.jobs.get(request.export)?.artefacts.gguf ?? "", request.file);
  }

  /** "auto" becomes the platform's preset; on a CPU only the tiny recipe (or an explicit --device cpu) trains. */
  private recipeFor(request: Pick<TrainJobRequest, "recipe" | "device">): string {
    const platform = this.options.platform;
    if (platform.kind === "cpu" && request.recipe !== "tiny" && request.device !== "cpu") {
      throw new JobRequestError(
        `this machine has no GPU to train on (${platform.reason}); a CPU trains only small models in useful time: use recipe "tiny" with a small model, or ask for device "cpu" explicitly`,
        "recipe",
      );
    }
    if (request.recipe !== "auto") return request.recipe;
    if (!platform.recommendedRecipe) throw new JobRequestError(`no preset fits this machine (${platform.reason}, ${platform.memoryGiB} GiB): name a recipe`, "recipe");
    return platform.recommendedRecipe;
  }

  private check(request: JobRequest): void {
    if (request.kind === "pipeline" && request.deploy?.file) {
      const written = [...request.export.quant, { float16: "f16", bfloat16: "bf16", float32: "f32" }[request.export.dtype]];
      if (!written.includes(request.deploy.file)) throw new JobRequestError(`the export step writes ${written.join(", ")}; deploy.file ${request.deploy.file} is not among them`, "deploy.file");
    }
    const dataset = request.kind === "train" || request.kind === "pipeline" ? request.dataset : undefined;
    if (dataset && !existsSync(join(this.dataDir.datasets, dataset, "card.json"))) {
      throw new JobRequestError(`no dataset "${dataset}" in ${this.dataDir.datasets}; build it first (POST /v1/datasets)${request.kind === "pipeline" ? ", or give the pipeline a build step" : ""}`, "dataset");
    }
    if (request.kind === "deploy") {
      const exported = this.store.jobs.get(request.export);
      if (!exported || exported.kind !== "export") throw new JobRequestError(`no export job ${request.export}`, "export");
      if (exported.state !== "succeeded") throw new JobRequestError(`export job ${request.export} is ${exported.state}; deploy needs a succeeded one`, "export");
      const file = this.deployFile(request);
      if (!exported.artefacts[file]) throw new JobRequestError(`export job ${request.export} wrote no ${file} file (it has ${Object.keys(exported.artefacts).filter((key) => key !== "gguf" && key !== "quantCheck").join(", ")})`, "file");
      const verdict = verdictOf(exported.artefacts.gguf as string, file);
      if (verdict?.verdict === "erased" && !request.force) {
        throw new JobRequestError(
          `the export's quantization check found that ${file} erased the fine-tune (agreement with the 16-bit file ${(verdict.agreement * 100).toFixed(1)}%, the same calls on ${(verdict.same_calls * 100).toFixed(1)}% of held-out prompts): deploy ${fileToDeploy(exported.artefacts.gguf as string)} (its recommendation), or give force: true`,
          "file",
        );
      }
    }
    const evaluation = request.kind === "eval" ? request : request.kind === "pipeline" ? request.evaluate : undefined;
    if (evaluation) {
      try {
        selectCases(loadPromptSet(evaluation.set, this.dataDir.root), evaluation.cases);
      } catch (error) {
        if (error instanceof PromptSetError) throw new JobRequestError(error.message, request.kind === "eval" ? "set" : "evaluate.set");
        throw error;
      }
    }
    if (request.kind === "eval" && request.backend === "embedded" && request.model === "deployed" && !this.options.serving.deployment) {
      throw new JobRequestError("no model is deployed to the daemon to evaluate: deploy one first, or give model as a GGUF path", "model");
    }
    if (request.kind === "eval" && request.backend === "embedded" && request.model !== "deployed" && !existsSync(request.model)) {
      throw new JobRequestError(`no GGUF file ${request.model}`, "model");
    }
    if (request.kind === "eval" && request.backend === "openai" && !request.url) throw new JobRequestError("the openai backend needs url, the server's base URL ending in /v1", "url");
    if (request.kind === "export") {
      const run = this.store.jobs.get(request.run);
      if (!run || run.kind !== "train") throw new JobRequestError(`no training job ${request.run}`, "run");
      if (run.state !== "succeeded") throw new JobRequestError(`training job ${request.run} is ${run.state}; export needs a succeeded one`, "run");
    }
  }

  private announce(id: string): void {
    const job = this.store.jobs.get(id);
    if (job) this.events.publish({ type: "job.state", jobId: id, kind: job.kind, state: job.state, error: job.error });
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
    const folder = this.folder(job.id);
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    const log = (line: string) => appendFileSync(this.logFile(job.id), `${line}\n`);
    this.store.jobs.started(job.id, this.now());
    const resumed = job.attempts > 0;
    log(`--- ${this.now()} ${resumed ? "resuming" : "starting"} ${job.kind} job ${job.id}`);
    this.announce(job.id);
    try {
      const artefacts =
        job.request.kind === "deploy"
          ? await this.deploy(job.id, job.request, log)
          : job.request.kind === "eval"
            ? await this.evaluate(job.id, job.request, entry, log)
            : await this.runTrainerJob(job, folder, resumed, entry, log);
      this.store.jobs.setArtefacts(job.id, artefacts);
      this.store.jobs.finished(job.id, "succeeded", this.now());
    } catch (error) {
      const stop = entry.stop;
      if (stop) {
        log(`--- ${stop === "cancel" ? "cancelled" : "interrupted: the daemon is stopping"}`);
        const error = stop === "shutdown" ? { code: "interrupted", message: "the daemon stopped while this job ran", hint: "resume it to continue from its last checkpoint" } : null;
        this.store.jobs.finished(job.id, stop === "cancel" ? "cancelled" : "interrupted", this.now(), error);
      } else {
        // A model that fails its evaluation gate leaves its report: the failure is the verdict, not a crash.
        if (error instanceof EvalGateError) this.store.jobs.setArtefacts(job.id, error.artefacts);
        const failure =
          error instanceof TrainerError || error instanceof OllamaDeployError
            ? { code: error.code, message: error.message, ...(error.hint ? { hint: error.hint } : {}) }
            : error instanceof EvalGateError
              ? { code: error.code, message: error.message, hint: "open the report to see which cases failed" }
              : { code: "error", message: (error as Error).message };
        log(`--- failed: ${failure.message}`);
        this.store.jobs.finished(job.id, "failed", this.now(), failure);
      }
    }
    this.announce(job.id);
    const pipeline = (job.request as { pipeline?: string }).pipeline;
    if (pipeline && !this.closed) await this.advance(pipeline);
  }

  /** Training and export: the trainer's command line as a child process, its events read as progress. */
  private async runTrainerJob(job: Job, folder: string, resumed: boolean, entry: RunningJob, log: (line: string) => void): Promise<Record<string, string>> {
    // Setting up the trainer (minutes, the first time) is shown as it happens, not only in the log.
    const setup = (line: string) => this.report(job.id, { event: "stage", time: 0, stage: line, index: 0, total: 0 }, log);
    const env = await ensurePythonEnv({ onProgress: setup });
    const { args, artefacts } = await this.command(job, folder, resumed, setup);
    const { done } = await runTrainer(env.python, args, {
      signal: entry.controller.signal,
      graceMs: this.options.graceMs,
      onStart: (pid) => log(`--- trainer pid ${pid ?? "unknown"}: python -m vault_tuner_train ${args.join(" ")}`),
      onLog: log,
      onEvent: (event) => this.report(job.id, event, log),
    });
    const written = { ...artefacts, ...doneArtefacts(done, folder) };
    if (job.request.kind !== "export") return written;
    return { ...written, ...(await this.checkQuantizations(job.id, job.request, written.gguf as string, done.files ?? [], entry, log)) };
  }

  /**
   * After an export: do the quantized files still answer like the 16-bit one? Runs here (node-llama-cpp),
   * on the held-out rows of the dataset the run trained on; a check that cannot run keeps the export and
   * says why in the log.
   */
  private async checkQuantizations(id: string, request: ExportJobRequest, folder: string, files: NonNullable<Extract<TrainEvent, { event: "done" }>["files"]>, entry: RunningJob, log: (line: string) => void): Promise<Record<string, string>> {
    const trained = this.store.jobs.get(request.run);
    const dataset = trained?.request.kind === "train" ? join(this.dataDir.datasets, trained.request.dataset) : undefined;
    const stage = (name: string, index: number, total: number) => this.report(id, { event: "stage", time: 0, stage: name, index, total }, log);
    try {
      const check = await checkExport(folder, files, dataset, request.checkRows, { signal: entry.controller.signal, onProgress: ({ file, index, total }) => stage(`quantization check: ${basename(file)}`, index, total) });
      for (const line of checkText(check)) log(line);
      return "skipped" in check ? {} : { quantCheck: join(folder, QUANT_CHECK_FILE) };
    } catch (error) {
      if (entry.stop) throw error;
      log(`quantization check failed, the exported files are kept: ${(error as Error).message}`);
      return {};
    }
  }

  /** A progress event of a job: into its log, onto its stored progress, out as `job.progress`. */
  private report(id: string, event: TrainEvent, log: (line: string) => void): void {
    log(eventLogLine(event));
    const progress = progressOf(event, this.store.jobs.get(id)?.progress ?? null);
    if (progress) this.store.jobs.setProgress(id, progress);
    this.events.publish({ type: "job.progress", jobId: id, progress: event });
  }

  /** Deploys run in this process: loading into the daemon, or uploading to Ollama, is I/O, not a trainer. */
  private async deploy(id: string, request: DeployJobRequest, log: (line: string) => void): Promise<Record<string, string>> {
    const exported = this.store.jobs.get(request.export) as Job;
    const gguf = exported.artefacts[this.deployFile(request)] as string;
    const stage = (name: string, index: number, total: number) => this.report(id, { event: "stage", time: 0, stage: name, index, total }, log);
    if (request.target === "embedded") {
      stage(`load ${basename(gguf)} into the daemon`, 1, 1);
      const loaded = await this.options.serving.load(gguf, id, this.now());
      log(`serving ${loaded.gguf}`);
      return { gguf, target: "embedded" };
    }
    const sha256 = exportedSha256(gguf);
    const model = request.model ?? `vault-tools:${request.export.replace(/^job_/, "").toLowerCase()}`;
    stage(`deploy ${basename(gguf)} to Ollama as ${model}`, 1, 1);
    const deployed = await deployToOllama({ model, gguf, sha256 }, { host: request.host ?? this.options.ollamaHost, onProgress: log });
    return { gguf, target: "ollama", model: deployed.model, host: deployed.host, digest: deployed.digest };
  }

  /** Evaluations run in this process too: the work is the model's, reached through a backend. */
  private evaluate(id: string, request: EvalJobRequest, entry: RunningJob, log: (line: string) => void): Promise<Record<string, string>> {
    return runEvalJob(request, {
      jobId: id,
      dataRoot: this.dataDir.root,
      serving: this.options.serving,
      signal: entry.controller.signal,
      log,
      trainingOf: (model) => trainingOfModel(this.store.jobs, this.dataDir.datasets, model),
      progress: (stage, done, total, etaS) => {
        this.store.jobs.setProgress(id, { stage, step: done, total, ...(etaS !== undefined ? { etaS } : {}) });
        this.events.publish({ type: "job.progress", jobId: id, progress: { event: "stage", time: 0, stage, index: Math.min(done + 1, total), total, ...(etaS !== undefined ? { eta_s: etaS } : {}) } });
      },
    });
  }

  private async command(job: Job, folder: string, resumed: boolean, log: (line: string) => void): Promise<{ args: string[]; artefacts: Record<string, string> }> {
    const request = job.request;
    if (request.kind === "deploy" || request.kind === "eval" || request.kind === "pipeline") throw new Error(`${request.kind} jobs run in the daemon`);
    if (request.kind === "train") {
      const run = join(folder, "run");
      return { args: trainArgs(request, join(this.dataDir.datasets, request.dataset), run, resumed), artefacts: { run } };
    }
    const trained = this.store.jobs.get(request.run);
    const run = trained?.artefacts.run;
    if (!run) throw new TrainerError(`training job ${request.run} left no run folder`, "run-missing", "train again");
    const tools = await ensureLlamaCppTools({ onProgress: log });
    const output = join(folder, "gguf");
    return { args: exportArgs(tools, { run, output, quant: request.quant, dtype: request.dtype, adapter: true }), artefacts: { gguf: output } };
  }
}

/** What an export job's quantization check recommended, when it ran. */
function recommendedOf(exported: Job): string | undefined {
  return exported.artefacts.gguf ? readExportCheck(exported.artefacts.gguf)?.recommended : undefined;
}

/** The job's latest progress after a trainer event (unchanged for events that carry none). */
export function progressOf(event: TrainEvent, previous: JobProgress | null): JobProgress | null {
  switch (event.event) {
    case "start":
      return { step: 0, total: event.total };
    case "step":
      return { step: event.step, total: event.total, loss: event.loss, etaS: event.eta_s, tokensPerS: event.tokens_per_s, memoryMb: event.memory_mb };
    case "stage":
      return event.total > 0 ? { stage: event.stage, step: event.index - 1, total: event.total, etaS: event.eta_s } : { stage: event.stage };
    case "done":
      return previous && previous.total !== undefined ? { ...previous, step: previous.total, etaS: 0 } : previous;
    default:
      return previous;
  }
}

function doneArtefacts(done: Extract<TrainEvent, { event: "done" }>, folder: string): Record<string, string> {
  const artefacts: Record<string, string> = {};
  if (done.adapter) artefacts.adapter = done.adapter;
  for (const file of done.files ?? []) artefacts[file.kind] = join(folder, "gguf", file.name);
  return artefacts;
}

/** A GGUF's sha256 from the export.json beside it (the export computed it; Ollama checks it). */
function exportedSha256(gguf: string): string {
  const manifest = JSON.parse(readFileSync(join(dirname(gguf), "export.json"), "utf8")) as { files: { name: string; sha256: string }[] };
  const entry = manifest.files.find((file) => file.name === basename(gguf));
  if (!entry) throw new Error(`${basename(gguf)} is not listed in its export.json`);
  return entry.sha256;
}
