/** The choices a job request offers, each defined once: the schemas, the CLI and the plugin take them from here. */

export const QUANTS = ["q4_k_m", "q5_k_m", "q8_0"] as const;
/** What an export quantizes to unless told: the usual balance, and the file that keeps most of the training. */
export const DEFAULT_EXPORT_QUANTS: (typeof QUANTS)[number][] = ["q4_k_m", "q8_0"];
export const TRAIN_MODES = ["kto", "sft"] as const;
export const TRAIN_DEVICES = ["auto", "cuda", "mps", "cpu"] as const;
export const TRAIN_BACKENDS = ["auto", "torch", "mlx"] as const;
/** Where an evaluation reaches its model: the daemon's own, Ollama, or an OpenAI-compatible server. */
export const EVAL_BACKENDS = ["embedded", "ollama", "openai"] as const;
export const EXPORT_DTYPES = ["float16", "bfloat16", "float32"] as const;
/** The unquantized file an export writes for each dtype, named as `deploy.file` names it. */
export const DTYPE_FILES: Record<(typeof EXPORT_DTYPES)[number], string> = {
  float16: "f16",
  bfloat16: "bf16",
  float32: "f32",
};
