import { z } from "zod";

/** The quantization check's verdict on an exported file. */
export const FileVerdictSchema = z.object({
  agreement: z.number(),
  same_calls: z.number(),
  verdict: z.enum(["kept", "drifted", "erased"]),
});

/** A trained model (`GET /v1/models`): what made it, its exported files and where it is deployed. */
export const RegisteredModelSchema = z.object({
  /** The training job that made it. */
  id: z.string(),
  /** What people call it: the name a user gave it, else `defaultName`. */
  name: z.string(),
  /** Base, method, dataset, labelled rows and date, e.g. `gemma-3-270m · KTO · mine · 812 labels · 2026-12-01`. */
  defaultName: z.string(),
  trainedAt: z.string().nullable(),
  dataset: z.object({ name: z.string(), card: z.unknown() }),
  recipe: z.string(),
  base: z.string().nullable(),
  metrics: z.object({
    steps: z.number().optional(),
    trainLoss: z.number().optional(),
    runtimeS: z.number().optional(),
  }),
  chatTemplateSha256: z.string().nullable(),
  exports: z.array(
    z.object({
      jobId: z.string(),
      at: z.string().nullable(),
      files: z.array(
        z.object({
          name: z.string(),
          kind: z.string(),
          bytes: z.number(),
          sha256: z.string(),
          path: z.string(),
          check: FileVerdictSchema.optional(),
        }),
      ),
      /** The file the quantization check chose (the smallest that kept the training), when it ran. */
      recommended: z.string().nullable(),
    }),
  ),
  /** Newest first; `current` marks what the daemon serves now. */
  deployments: z.array(
    z.object({
      jobId: z.string(),
      at: z.string().nullable(),
      target: z.string(),
      gguf: z.string(),
      model: z.string().optional(),
      host: z.string().optional(),
      current: z.boolean(),
    }),
  ),
});
export type RegisteredModel = z.infer<typeof RegisteredModelSchema>;

/** The model the daemon serves itself, when one is loaded. */
export const EmbeddedDeploymentSchema = z.object({ gguf: z.string(), jobId: z.string(), loadedAt: z.string() });

export const ModelsReplySchema = z.object({
  items: z.array(RegisteredModelSchema),
  serving: EmbeddedDeploymentSchema.nullable(),
});
export type ModelsReply = z.infer<typeof ModelsReplySchema>;

/** A model is named by the training job that made it; an unknown one is answered 404. */
export const ModelIdParamsSchema = z.object({ id: z.string().min(1).max(200) });

/** A model's name as a user may give it: shown in lists and menus, so one line of reasonable length. */
export const ModelNameSchema = z.object({
  name: z
    .string()
    .trim()
    .min(1)
    .max(80)
    .regex(/^[^\n\r\t]+$/, "one line"),
});
