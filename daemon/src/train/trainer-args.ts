import type { TrainJobRequest } from "@vault-tuner/shared";

/** `python -m vault_tuner_train kto|sft ...` for a training job; `resume` continues from the last checkpoint. */
export function trainArgs(request: TrainJobRequest, dataset: string, output: string, resume: boolean): string[] {
  const args = [
    request.mode,
    "--config",
    request.recipe,
    "--dataset",
    dataset,
    "--output",
    output,
    "--device",
    request.device,
    "--backend",
    request.backend,
  ];
  if (request.model) args.push("--model", request.model);
  if (request.maxSteps) args.push("--max-steps", String(request.maxSteps));
  if (resume) args.push("--resume");
  return args;
}
