import { z } from "zod";

/**
 * Publishing a trained model to a Hugging Face Hub model repo: what goes (the parts below, the model card,
 * and the training rows only when asked), planned first so that the user sees every file before it leaves.
 */
export const PUBLISH_PARTS = ["adapter", "merged", "gguf"] as const;
export type PublishPart = (typeof PUBLISH_PARTS)[number];
/** The LoRA adapter (small, on top of the base) and the quantized GGUF files (what Ollama runs). */
export const DEFAULT_PUBLISH_PARTS: PublishPart[] = ["adapter", "gguf"];

/** The Hub's repo names: OWNER/NAME, letters, digits, `-`, `_` and `.`, at most 96 characters each. */
export const HubRepoSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,95}\/[A-Za-z0-9][A-Za-z0-9._-]{0,95}$/, "a Hub repo as OWNER/NAME");

export const PublishOptionsSchema = z.object({
  repo: HubRepoSchema,
  /** A private repo; without it the Hub's default applies (public, unless the organization says otherwise). */
  private: z.boolean().default(false),
  what: z.array(z.enum(PUBLISH_PARTS)).min(1).default(DEFAULT_PUBLISH_PARTS),
  /** Also the dataset the model trained on. Off by default: rows built from recorded calls are the user's vault. */
  dataset: z.boolean().default(false),
});
export type PublishOptions = z.infer<typeof PublishOptionsSchema>;

/** One file that leaves the machine: where it goes in the repo, where it comes from, its size and kind. */
export const PublishFileSchema = z.object({
  path: z.string(),
  /** The local file; absent for the model card, which the plan carries as text. */
  source: z.string().optional(),
  bytes: z.number().int(),
  /** card, adapter, merged, dataset, or a GGUF's kind (q4_k_m, adapter-gguf...). */
  kind: z.string(),
});
export type PublishFile = z.infer<typeof PublishFileSchema>;

/** What a publish would send (`POST /v1/models/:id/publish-plan`, and `vault-tuner publish --dry-run`). */
export const PublishPlanSchema = z.object({
  model: z.string(),
  repo: z.string(),
  private: z.boolean(),
  files: z.array(PublishFileSchema),
  totalBytes: z.number().int(),
  /** The dataset goes too. */
  datasetIncluded: z.boolean(),
  /** Text of the user's own recorded calls goes too (the dataset has rows built from labelled traces). */
  recordedText: z.boolean(),
  /** README.md: the model card. */
  card: z.string(),
});
export type PublishPlan = z.infer<typeof PublishPlanSchema>;
