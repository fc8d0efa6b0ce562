import { z } from "zod";
import { TRAIN_MODES } from "./job-options";

/**
 * The trainer's progress protocol: one JSON object per line on its stdout
 * (python/vault_tuner_train/progress.py writes them, the daemon reads them). `time` is seconds since
 * the trainer started. python/vault_tuner_train/progress.schema.json is generated from this.
 */
const base = { time: z.number().nonnegative() };
const number = z.number().optional();

export const ExportedFileSchema = z.object({
  name: z.string(),
  /** f16 / bf16 / f32 (unquantized), q4_k_m / q5_k_m / q8_0, or adapter (LoRA only). */
  kind: z.string(),
  bytes: z.number().int(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type ExportedFile = z.infer<typeof ExportedFileSchema>;

/** A training step: loss, learning rate, speed, memory and the KTO metrics TRL logs. */
export const StepEventSchema = z.object({
  ...base,
  event: z.literal("step"),
  step: z.number().int(),
  total: z.number().int(),
  loss: z.number(),
  learning_rate: number,
  grad_norm: number,
  epoch: number,
  tokens_per_s: number,
  eta_s: number,
  memory_mb: number,
  kl: number,
  entropy: number,
  logps_chosen: number,
  logps_rejected: number,
  rewards_chosen: number,
  rewards_rejected: number,
  rewards_margins: number,
  logits_chosen: number,
  logits_rejected: number,
});
/** Held-out metrics at a step. */
export const EvalEventSchema = z.object({
  ...base,
  event: z.literal("eval"),
  step: z.number().int(),
  metrics: z.record(z.string(), z.number()),
});

export const TrainEventSchema = z.discriminatedUnion("event", [
  z.object({
    ...base,
    event: z.literal("start"),
    mode: z.enum(TRAIN_MODES),
    model: z.string(),
    device: z.string(),
    examples: z.number().int(),
    total: z.number().int(),
    batch_size: z.number().int(),
    gradient_accumulation: z.number().int(),
    /** Data-parallel processes, one per GPU, each taking batch_size rows per micro-batch. */
    processes: z.number().int().optional(),
  }),
  StepEventSchema,
  EvalEventSchema,
  z.object({ ...base, event: z.literal("checkpoint"), step: z.number().int(), path: z.string() }),
  /**
   * export: stage `index` of `total` has started (merge, convert, quantize q4_k_m, adapter, check); the
   * daemon also says so while it sets up the trainer, with `total` 0: a stage of no count.
   */
  z.object({
    ...base,
    event: z.literal("stage"),
    stage: z.string(),
    index: z.number().int(),
    total: z.number().int(),
    eta_s: number,
  }),
  z.object({
    ...base,
    event: z.literal("done"),
    dry_run: z.boolean().optional(),
    examples: z.number().int().optional(),
    longest_tokens: z.number().int().optional(),
    over_max_length: z.number().int().optional(),
    steps: z.number().int().optional(),
    train_loss: z.number().optional(),
    runtime_s: z.number().optional(),
    adapter: z.string().optional(),
    /** merge and export: the folder written; publish: the repo's URL. */
    output: z.string().optional(),
    chat_template_sha256: z.string().optional(),
    /** export: the GGUF files written, with what Ollama's blob upload needs. */
    files: z.array(ExportedFileSchema).optional(),
    /** publish: the Hub commit made (`output` is the repo's URL) and each file sent, with its size. */
    commit: z.string().optional(),
    published: z.array(z.object({ path: z.string(), bytes: z.number().int() })).optional(),
  }),
  /** `code` is stable (out-of-memory, cuda-missing, dataset-invalid, recipe-invalid...); `hint` says what to change. */
  z.object({ ...base, event: z.literal("error"), code: z.string(), message: z.string(), hint: z.string().optional() }),
]);
export type TrainEvent = z.infer<typeof TrainEventSchema>;
