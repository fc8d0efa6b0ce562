import { z } from "zod";
import {
  DEFAULT_EXPORT_QUANTS,
  DTYPE_FILES,
  EVAL_BACKENDS,
  EXPORT_DTYPES,
  QUANTS,
  TRAIN_BACKENDS,
  TRAIN_DEVICES,
  TRAIN_MODES,
} from "./job-options";
import { DatasetBuildRequestSchema, DatasetNameSchema } from "./datasets-api";
import { EVAL_SAMPLING } from "./eval-defaults";
import { PublishOptionsSchema } from "./publish-api";
import { EvalEventSchema, StepEventSchema } from "./train-progress";

/** A job's id, as the daemon makes them: how requests name a run to export or an export to deploy, too. */
export const JobIdSchema = z.string().regex(/^job_[A-Za-z0-9_-]{1,64}$/, "a job id");

/**
 * Jobs: long work the daemon runs one at a time (training and export in a trainer child process; deploys
 * and evaluations in the daemon), with its state persisted so a daemon restart knows what was cut off.
 */
export const JOB_KINDS = ["train", "export", "deploy", "eval", "publish", "pipeline"] as const;
export const JOB_STATES = ["queued", "running", "succeeded", "failed", "cancelled", "interrupted"] as const;
export const JobStateSchema = z.enum(JOB_STATES);
export type JobState = z.infer<typeof JobStateSchema>;
/** States a job never leaves by itself; interrupted and failed training jobs can be resumed. */
export const FINISHED_STATES: readonly JobState[] = ["succeeded", "failed", "cancelled", "interrupted"];

/** What a deploy loads when neither the request names a file nor the export's quantization check chose one. */
export const DEFAULT_DEPLOY_FILE = "q4_k_m";
/** Held-out prompts the export's quantization check answers by default: enough to see a lost fine-tune, minutes on a CPU. */
export const QUANT_CHECK_ROWS = 8;

export const TrainJobRequestSchema = z.object({
  kind: z.literal("train"),
  mode: z.enum(TRAIN_MODES).default("kto"),
  /** A dataset the daemon built (its name under the data dir's datasets/). */
  dataset: DatasetNameSchema,
  /**
   * Recipe name under python/recipes (default, 3b, 7b, 13b, 20b, tiny), or "auto": the largest preset
   * that fits this machine's GPU (GET /v1/platform). The job records the recipe it resolved to.
   */
  recipe: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, "a recipe name such as auto, 7b or tiny")
    .default("auto"),
  /** Model name or local folder; the recipe's when absent. */
  model: z.string().min(1).max(1000).optional(),
  maxSteps: z.number().int().positive().optional(),
  device: z.enum(TRAIN_DEVICES).default("auto"),
  backend: z.enum(TRAIN_BACKENDS).default("auto"),
  /** Set on the steps of a pipeline job: its id. */
  pipeline: z.string().optional(),
});

export const ExportJobRequestSchema = z.object({
  kind: z.literal("export"),
  /** The id of a succeeded train job. */
  run: JobIdSchema,
  quant: z.array(z.enum(QUANTS)).min(1).default(DEFAULT_EXPORT_QUANTS),
  dtype: z.enum(EXPORT_DTYPES).default("float16"),
  /**
   * Held-out rows of the run's dataset on which every quantized file's greedy answers are compared with the
   * 16-bit file's (quant-check.json); the smallest file that kept the training becomes the export's
   * recommendation. 0 skips the check.
   */
  checkRows: z.number().int().min(0).max(200).default(QUANT_CHECK_ROWS),
  pipeline: z.string().optional(),
});

export const DeployJobRequestSchema = z.object({
  kind: z.literal("deploy"),
  /** The id of a succeeded export job. */
  export: JobIdSchema,
  /** embedded: node-llama-cpp inside the daemon; ollama: a model created in Ollama. */
  target: z.enum(["embedded", "ollama"]).default("embedded"),
  /**
   * Which of the exported files: a quantization, or f16/bf16/f32. Default: the one the export's
   * quantization check recommended, else DEFAULT_DEPLOY_FILE. The job records the file it resolved to.
   */
  file: z
    .string()
    .regex(/^[a-z0-9_]+$/)
    .optional(),
  /** Deploy a file the quantization check found erased the fine-tune anyway. */
  force: z.boolean().default(false),
  /** Ollama's model name (default vault-tools:<export job id>). */
  model: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._:/-]{0,127}$/, "an Ollama model name")
    .optional(),
  /** Ollama's address (default http://127.0.0.1:11434). */
  host: z.string().url().optional(),
  pipeline: z.string().optional(),
});

/** Uploads a trained model (the training job's id) to a Hugging Face Hub repo: the publish plan's files, in one commit. */
export const PublishJobRequestSchema = PublishOptionsSchema.extend({
  kind: z.literal("publish"),
  model: JobIdSchema,
});

/** A gate on an evaluation: the job fails (its report kept) when the model does not clear it. */
export const EvalGateSchema = z
  .object({
    /** The lowest pass rate that passes (0..1). */
    failUnder: z.number().min(0).max(1).optional(),
    /** A stored report id to compare with, or "latest": the newest stored run of the same set on another model. */
    noRegressionVs: z.string().min(1).optional(),
  })
  .strict();

export const EvalJobRequestSchema = z.object({
  kind: z.literal("eval"),
  /** A prompt set id (GET /v1/evals/sets). */
  set: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "a prompt set id"),
  backend: z.enum(EVAL_BACKENDS).default("embedded"),
  /** embedded: "deployed" (the model the daemon serves) or a GGUF path; ollama: a model name; openai: the server's model id. */
  model: z.string().min(1).max(1000).default("deployed"),
  /** ollama: its host; openai: the base URL ending in /v1 (an API key comes from the daemon's VAULT_TUNER_API_KEY). */
  url: z.string().url().optional(),
  repeat: z.number().int().min(1).max(20).default(1),
  concurrency: z.number().int().min(1).max(64).default(4),
  temperature: z.number().min(0).max(2).default(EVAL_SAMPLING.temperature),
  topP: z.number().min(0).max(1).default(EVAL_SAMPLING.topP),
  maxTokens: z.number().int().min(1).max(32_768).default(EVAL_SAMPLING.maxTokens),
  seed: z.number().int().min(0).optional(),
  turnLimit: z.number().int().min(1).max(50).optional(),
  /**
   * embedded: constrain calls with a grammar from the tool schemas. Off by default: the model decodes
   * freely from its own template, as in Ollama, so its scores mean what they would there.
   */
  grammar: z.boolean().default(false),
  /** Only these cases of the set. */
  cases: z.array(z.string()).min(1).optional(),
  gate: EvalGateSchema.optional(),
  pipeline: z.string().optional(),
});

/**
 * The whole loop as one job: build the dataset (or take a built one), train, export, deploy. Each step
 * is a job of its own, started when the one before succeeds; resuming the pipeline resumes its failed
 * or interrupted step.
 */
export const PipelineJobRequestSchema = z
  .object({
    kind: z.literal("pipeline"),
    /** A dataset already built... */
    dataset: DatasetNameSchema.optional(),
    /** ...or one to build first (as POST /v1/datasets). */
    build: DatasetBuildRequestSchema.optional(),
    train: TrainJobRequestSchema.omit({ kind: true, dataset: true, pipeline: true }).default({
      mode: "kto",
      recipe: "auto",
      device: "auto",
      backend: "auto",
    }),
    export: ExportJobRequestSchema.omit({ kind: true, run: true, pipeline: true }).default({
      quant: DEFAULT_EXPORT_QUANTS,
      dtype: "float16",
      checkRows: QUANT_CHECK_ROWS,
    }),
    /**
     * Evaluate the exported file that will be deployed (embedded backend) before deploying it; with a
     * gate, a model that fails it is not deployed.
     */
    evaluate: EvalJobRequestSchema.pick({
      set: true,
      repeat: true,
      temperature: true,
      topP: true,
      maxTokens: true,
      seed: true,
      turnLimit: true,
      grammar: true,
      cases: true,
      gate: true,
    }).optional(),
    /** Leave out to stop after the export (or the evaluation). */
    deploy: DeployJobRequestSchema.omit({ kind: true, export: true, pipeline: true }).optional(),
  })
  .refine((request) => (request.dataset === undefined) !== (request.build === undefined), {
    message: "give either dataset (a built one) or build (one to build)",
    path: ["dataset"],
  })
  .superRefine((request, context) => {
    const file = request.deploy?.file;
    const written = [...request.export.quant, DTYPE_FILES[request.export.dtype]];
    if (file && !written.includes(file))
      context.addIssue({
        code: "custom",
        path: ["deploy", "file"],
        message: `the export step writes ${written.join(", ")}; deploy.file ${file} is not among them`,
      });
  });

export const JobRequestSchema = z.discriminatedUnion("kind", [
  TrainJobRequestSchema,
  ExportJobRequestSchema,
  DeployJobRequestSchema,
  EvalJobRequestSchema,
  PublishJobRequestSchema,
  PipelineJobRequestSchema,
]);
export type JobRequest = z.infer<typeof JobRequestSchema>;
export type TrainJobRequest = z.infer<typeof TrainJobRequestSchema>;
export type ExportJobRequest = z.infer<typeof ExportJobRequestSchema>;
export type DeployJobRequest = z.infer<typeof DeployJobRequestSchema>;
export type PipelineJobRequest = z.infer<typeof PipelineJobRequestSchema>;
export type EvalJobRequest = z.infer<typeof EvalJobRequestSchema>;
export type PublishJobRequest = z.infer<typeof PublishJobRequestSchema>;

/**
 * Where a job stands, the same shape for every kind: what it does now, how many of how many units
 * (training steps, files checked, cases evaluated) are done, and how long is left; training adds its
 * loss, speed and memory. Stored on the job and pushed as `job.progress`.
 */
export const JobProgressSchema = z.object({
  /** What the job is doing now (setting up the trainer, "quantization check: model-q8_0.gguf", "3 passed, 1 failed"). */
  stage: z.string().optional(),
  /** Units done of `total`. */
  step: z.number().int().optional(),
  total: z.number().int().optional(),
  etaS: z.number().optional(),
  loss: z.number().optional(),
  tokensPerS: z.number().optional(),
  memoryMb: z.number().optional(),
});
export type JobProgress = z.infer<typeof JobProgressSchema>;

export const JobErrorSchema = z.object({ code: z.string(), message: z.string(), hint: z.string().optional() });

export const JobSchema = z.object({
  id: z.string(),
  kind: z.enum(JOB_KINDS),
  state: JobStateSchema,
  request: JobRequestSchema,
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  /** How many times the job was started (a resumed job counts again). */
  attempts: z.number().int(),
  progress: JobProgressSchema.nullable(),
  error: JobErrorSchema.nullable(),
  /** What the job left behind: folders and files by name (run, adapter, gguf...). */
  artefacts: z.record(z.string(), z.string()),
});
export type Job = z.infer<typeof JobSchema>;

export const JobIdParamsSchema = z.object({ id: JobIdSchema });

export const JobListQuerySchema = z.object({
  state: JobStateSchema.optional(),
  kind: z.enum(JOB_KINDS).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

export const JobLogQuerySchema = z.object({
  /** Only the last N lines (the whole log when absent). */
  tail: z.coerce.number().int().min(1).max(100_000).optional(),
});

/** A job as `GET /v1/jobs/:id` shows it: with the last lines of its log. */
export const JobDetailSchema = JobSchema.extend({ logTail: z.array(z.string()) });

/** The training curves of a job (`GET /v1/jobs/:id/metrics`): its step and eval events, each step once. */
export const JobMetricsReplySchema = z.object({
  jobId: z.string(),
  kind: z.enum(JOB_KINDS),
  state: JobStateSchema,
  items: z.array(z.union([StepEventSchema, EvalEventSchema])),
});
export type JobMetricsReply = z.infer<typeof JobMetricsReplySchema>;
