import { z } from "zod";

/** What this machine trains on (`GET /v1/platform`): the kind of accelerator, why, and the presets that fit. */
export const PlatformSchema = z.object({
  kind: z.enum(["nvidia", "apple", "cpu"]),
  /** Why this kind was chosen, in words. */
  reason: z.string(),
  gpus: z.array(z.object({ name: z.string(), memoryGiB: z.number() })),
  /** Memory the preset must fit: the largest card's, or the unified memory of a Mac. */
  memoryGiB: z.number(),
  device: z.enum(["cuda", "mps", "cpu"]),
  backend: z.enum(["torch", "mlx"]),
  /** The largest preset that fits, or null on a CPU (only the tiny recipe with a small model runs there). */
  recommendedRecipe: z.string().nullable(),
  presets: z.array(z.object({ recipe: z.string(), needsGiB: z.number(), fits: z.boolean() })),
});
export type Platform = z.infer<typeof PlatformSchema>;
