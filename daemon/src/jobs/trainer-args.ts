import type { ExportJobRequest, TrainJobRequest } from "@vault-tuner/shared";
import type { LlamaCppTools } from "../export/llama-cpp-tools";

/** `python -m vault_tuner_train kto|sft ...` for a training job; `resume` continues from the last checkpoint. */
export function trainArgs(request: TrainJobRequest, dataset: string, output: string, resume: boolean): string[] {
  const args = [request.mode, "--config", request.recipe, "--dataset", dataset, "--output", output, "--device", request.device, "--backend", request.backend];
  if (request.model) args.push("--model", request.model);
  if (request.maxSteps) args.push("--max-steps", String(request.maxSteps));
  if (resume) args.push("--resume");
  return args;
}

export interface ExportOptions {
  run: string;
  output: string;
  quant: readonly string[];
  dtype: ExportJobRequest["dtype"];
  adapter: boolean;
  /** The base to merge into, where the run's own record names a folder that is not on this machine. */
  base?: string;
}

/** `python -m vault_tuner_train export ...`: the same for `vault-tuner export` and an export job. */
export function exportArgs(tools: LlamaCppTools, options: ExportOptions): string[] {
  const args = ["export", "--run", options.run, "--output", options.output, "--llama-cpp", tools.sources, "--libllama", tools.libllama, "--llama-cpp-release", tools.release, "--dtype", options.dtype];
  for (const kind of options.quant) args.push("--quant", kind);
  if (!options.adapter) args.push("--no-adapter");
  if (options.base) args.push("--base", options.base);
  return args;
}
