import type { JobProgress } from "./jobs-api";

/** A duration as people say it: seconds, minutes, then hours. */
export function formatDuration(seconds: number): string {
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

/**
 * A job's progress in a few words, the same in the CLI and in the plugin: training steps with their loss,
 * else the stage with how many of how many are done; and how long is left. Undefined when there is nothing
 * to say yet.
 */
export function jobProgressText(progress: JobProgress): string | undefined {
  const left = progress.etaS !== undefined && progress.etaS > 0 ? `, about ${formatDuration(progress.etaS)} left` : "";
  const count =
    progress.total !== undefined && progress.total > 0 ? `${progress.step ?? 0}/${progress.total}` : undefined;
  if (progress.loss !== undefined) return `step ${count ?? progress.step}, loss ${progress.loss.toFixed(3)}${left}`;
  if (progress.stage !== undefined) return `${progress.stage}${count ? ` (${count})` : ""}${left}`;
  return count ? `step ${count}${left}` : undefined;
}
