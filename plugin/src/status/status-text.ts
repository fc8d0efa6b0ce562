import { formatDuration, type Job } from "@vault-tuner/shared";

export interface DaemonStatus {
  connected: boolean;
  /** Labels kept while the daemon was away, not yet sent. */
  waiting: number;
  /** Records the daemon could not take and set aside in its quarantine. */
  quarantined?: number;
  /** The job running now, if any. */
  job?: Pick<Job, "kind" | "progress">;
}

/** The status bar's words: the connection, the running job's step and ETA, records set aside and labels still waiting. */
export function statusText(status: DaemonStatus): string {
  const parts = [status.connected ? "Vault Tuner" : "Vault Tuner: daemon offline"];
  const progress = status.job?.progress;
  if (status.connected && status.job) {
    const step =
      progress?.step !== undefined && progress.total !== undefined ? ` ${progress.step}/${progress.total}` : "";
    const eta =
      progress?.etaS !== undefined && progress.etaS > 0 ? `, about ${formatDuration(progress.etaS)} left` : "";
    parts.push(`${status.job.kind}${step}${eta}`);
  }
  if (status.connected && status.quarantined)
    parts.push(`${status.quarantined} record${status.quarantined === 1 ? "" : "s"} set aside`);
  if (status.waiting > 0) parts.push(`${status.waiting} label${status.waiting === 1 ? "" : "s"} waiting`);
  return parts.join(" · ");
}
