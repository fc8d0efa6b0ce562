import type { ExportJobRequest } from "@vault-tuner/shared";
import type { LlamaCppTools } from "./llama-cpp-tools";

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
  const args = [
    "export",
    "--run",
    options.run,
    "--output",
    options.output,
    "--llama-cpp",
    tools.sources,
    "--libllama",
    tools.libllama,
    "--llama-cpp-release",
    tools.release,
    "--dtype",
    options.dtype,
  ];
  for (const kind of options.quant) args.push("--quant", kind);
  if (!options.adapter) args.push("--no-adapter");
  if (options.base) args.push("--base", options.base);
  return args;
}
