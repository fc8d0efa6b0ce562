import { z } from "zod";
import { DatasetBuildRequestSchema, DatasetNameSchema } from "./datasets-api";

/**
 * Jobs: long work the daemon runs in a child process (training, export...), one at a time, with its
 * state persisted so a daemon restart knows what was cut off.
 */
export const JOB_KINDS = ["train", "export", "deploy", "pipeline"] as const;
export const JOB_STATES = ["queued", "running", "succeeded", "failed", "cancelled", "interrupted"] as const;
export const JobStateSchema = z.enum(JOB_STATES);
export type JobState = z.infer<typeof JobStateSchema>;
/** States a job never leaves by itself; interrupted and failed training jobs can be resumed. */
export const FINISHED_STATES: readonly JobState[] = ["succeeded", "failed", "cancelled", "interrupted"];

export const QUANTS = ["q4_k_m", "q5_k_m", "q8_0"] as const;

export const TrainJobRequestSchema = z.object({
  kind: z.literal("train"),
  mode: z.enum(["kto", "sft"]).default("kto"),
  /** A dataset the daemon built (its name under the data dir's datasets/). */
  dataset: DatasetNameSchema,
  /**
   * Recipe name under python/recipes (default, 3b, 7b, 13b, 20b, tiny), or "auto": the largest preset
   * that fits this machine's GPU (GET /v1/platform). The job records the recipe it resolved to.
   */
  recipe: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, "a recipe name such as auto, 7b or tiny").default("auto"),
  /** Model name or local folder; the recipe's when absent. */
  model: z.string().min(1).max(1000).optional(),
  maxSteps: z.number().int().positive().optional(),
  device: z.enum(["auto", "cuda", "mps", "cpu"]).default("auto"),
  backend: z.enum(["auto", "torch", "mlx"]).default("auto"),
  /** Set on the steps of a pipeline job: its id. */
  pipeline: z.string().optional(),
});

export const ExportJobRequestSchema = z.object({
  kind: z.literal("export"),
  /** The id of a succeeded train job. */
  run: z.string().min(1),
  quant: z.array(z.enum(QUANTS)).min(1).default(["q4_k_m", "q8_0"]),
  dtype: z.enum(["float16", "bfloat16", "float32"]).default("float16"),
  pipeline: z.string().optional(),
});

export const DeployJobRequestSchema = z.object({
  kind: z.literal("deploy"),
  /** The id of a succeeded export job. */
  export: z.string().min(1),
  /** embedded: node-llama-cpp inside the daemon; ollama: a model created in Ollama. */
  target: z.enum(["embedded", "ollama"]).default("embedded"),
  /** Which of the exported files: a quantization, or f16/bf16/f32. */
  file: z.string().regex(/^[a-z0-9_]+$/).default("q4_k_m"),
  /** Ollama's model name (default vault-tools:<export job id>). */
  model: z.string().regex(/^[a-z0-9][a-z0-9._:/-]{0,127}$/, "an Ollama model name").optional(),
  /** Ollama's address (default http://127.0.0.1:11434). */
  host: z.string().url().optional(),
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
    train: TrainJobRequestSchema.omit({ kind: true, dataset: true, pipeline: true }).default({ mode: "kto", recipe: "auto", device: "auto", backend: "auto" }),
    export: ExportJobRequestSchema.omit({ kind: true, run: true, pipeline: true }).default({ quant: ["q4_k_m", "q8_0"], dtype: "float16" }),
    /** Leave out to stop after the export. */
    deploy: DeployJobRequestSchema.omit({ kind: true, export: true, pipeline: true }).optional(),
  })
  .refine((request) => (request.dataset === undefined) !== (request.build === undefined), { message: "give either dataset (a built one) or build (one to build)", path: ["dataset"] });

export const JobRequestSchema = z.discriminatedUnion("kind", [TrainJobRequestSchema, ExportJobRequestSchema, DeployJobRequestSchema, PipelineJobRequestSchema]);
export type JobRequest = z.infer<typeof JobRequestSchema>;
export type TrainJobRequest = z.infer<typeof TrainJobRequestSchema>;
export type ExportJobRequest = z.infer<typeof ExportJobRequestSchema>;
export type DeployJobRequest = z.infer<typeof DeployJobRequestSchema>;
export type PipelineJobRequest = z.infer<typeof PipelineJobRequestSchema>;

/** The latest progress a job reported, in the trainer's own terms. */
export const JobProgressSchema = z.object({
  step: z.number().int().optional(),
  total: z.number().int().optional(),
  stage: z.string().optional(),
  loss: z.number().optional(),
  etaS: z.number().optional(),
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

export const JobIdParamsSchema = z.object({ id: z.string().regex(/^job_[A-Za-z0-9_-]{1,64}$/, "a job id") });

export const JobListQuerySchema = z.object({
  state: JobStateSchema.optional(),
  kind: z.enum(JOB_KINDS).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

export const JobLogQuerySchema = z.object({
  /** Only the last N lines (the whole log when absent). */
  tail: z.coerce.number().int().min(1).max(100_000).optional(),
});
