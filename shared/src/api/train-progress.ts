import { z } from "zod";

/**
 * The trainer's progress protocol: one JSON object per line on its stdout
 * (python/vault_tuner_train/progress.py writes them, the daemon reads them). `time` is seconds since
 * the trainer started. python/vault_tuner_train/progress.schema.json is generated from this.
 */
const base = { time: z.number().nonnegative() };
const number = z.number().optional();

export const TrainEventSchema = z.discriminatedUnion("event", [
  z.object({
    ...base,
    event: z.literal("start"),
    mode: z.enum(["kto", "sft"]),
    model: z.string(),
    device: z.string(),
    examples: z.number().int(),
    total: z.number().int(),
    batch_size: z.number().int(),
    gradient_accumulation: z.number().int(),
  }),
  z.object({
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
  }),
  z.object({ ...base, event: z.literal("eval"), step: z.number().int(), metrics: z.record(z.string(), z.number()) }),
  z.object({ ...base, event: z.literal("checkpoint"), step: z.number().int(), path: z.string() }),
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
    /** merge: the folder of the merged model. */
    output: z.string().optional(),
    chat_template_sha256: z.string().optional(),
  }),
  /** `code` is stable (out-of-memory, cuda-missing, dataset-invalid, recipe-invalid...); `hint` says what to change. */
  z.object({ ...base, event: z.literal("error"), code: z.string(), message: z.string(), hint: z.string().optional() }),
]);
export type TrainEvent = z.infer<typeof TrainEventSchema>;
