import { ROUTES } from "@vault-tuner/shared";
import type { DaemonClient } from "../connection/daemon-client";
import type { LabelQueue } from "../labels/label-queue";
import type { DaemonStatus } from "./status-text";

/**
 * One look at the daemon for the status bar: waiting labels are offered first (so a daemon that came
 * back gets them at once), then health (with the records set aside) and the running job.
 */
export async function refreshStatus(daemon: DaemonClient, labels: LabelQueue): Promise<DaemonStatus> {
  await labels.flush();
  const waiting = labels.pending.length;
  try {
    const { quarantined } = await daemon.call(ROUTES.health);
    const running = await daemon.call(ROUTES.listJobs, { query: { state: "running", limit: 5 } });
    // A pipeline runs through its steps: show the step, which has the progress.
    const job = running.items.find((item) => item.kind !== "pipeline") ?? running.items[0];
    return {
      connected: true,
      waiting,
      quarantined,
      ...(job ? { job: { kind: job.kind, progress: job.progress } } : {}),
    };
  } catch {
    return { connected: false, waiting };
  }
}
