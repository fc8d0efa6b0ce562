import type { TrainEvent } from "@vault-tuner/shared";
import { formatDuration } from "../status/status-text";

const NAMES: Record<string, string> = { train: "Training", export: "Exporting", deploy: "Deploying", eval: "Evaluating", pipeline: "Pipeline" };

/**
 * A job's progress event as one line for a Notice: how far, and how long is left; `named` adds what runs,
 * for the steps of a pipeline ("Training: step 3/8").
 */
export function jobProgressText(kind: string, event: TrainEvent, named = false): string | undefined {
  const text = progressWords(event);
  return text && named ? `${NAMES[kind] ?? kind}: ${text}` : text;
}

function progressWords(event: TrainEvent): string | undefined {
  const left = (eta: number | undefined) => (eta !== undefined && eta > 0 ? `, about ${formatDuration(eta)} left` : "");
  switch (event.event) {
    case "start":
      return `starting on ${event.device} (${event.examples} examples, ${event.total} steps)`;
    case "step":
      return `step ${event.step}/${event.total}, loss ${event.loss.toFixed(3)}${left(event.eta_s)}`;
    case "stage":
      // A stage of no count (setting up the trainer's environment) is said as it is.
      return `${event.stage}${event.total > 0 ? ` (${event.index}/${event.total})` : ""}${left(event.eta_s)}`;
    case "checkpoint":
      return `checkpoint at step ${event.step}`;
    default:
      return undefined;
  }
}
