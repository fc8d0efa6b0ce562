import { jobProgressText as progressText, type JobProgress } from "@vault-tuner/shared";

const NAMES: Record<string, string> = {
  train: "Training",
  export: "Exporting",
  deploy: "Deploying",
  eval: "Evaluating",
  pipeline: "Pipeline",
};

/**
 * A job's progress as one line for a Notice: how far, and how long is left; `named` adds what runs,
 * for the steps of a pipeline ("Training: step 3/8").
 */
export function jobProgressText(kind: string, progress: JobProgress, named = false): string | undefined {
  const text = progressText(progress);
  return text && named ? `${NAMES[kind] ?? kind}: ${text}` : text;
}
