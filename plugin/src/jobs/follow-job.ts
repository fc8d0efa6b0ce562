import { Notice } from "obsidian";
import { ROUTES, FINISHED_STATES, type Job } from "@vault-tuner/shared";
import type { DaemonClient } from "../connection/daemon-client";
import type { LiveFeed } from "../connection/live-feed";
import { jobProgressText } from "./job-progress-text";

/** How often the job is asked for directly, in case the live feed missed its end (a reconnect). */
const CHECK_EVERY_MS = 5000;

/**
 * Shows a job's progress in a Notice that stays up while it runs (steps, stages, ETA from the live
 * feed; a pipeline's steps count as its own), and ends it with a Notice saying how it went.
 * Resolves with the job as it finished.
 */
export function followJob(daemon: DaemonClient, feed: LiveFeed, job: Job, title: string): Promise<Job> {
  const notice = new Notice(`${title}: ${job.state === "queued" ? "queued behind the running job" : "started"}`, 0);
  const mine = new Set([job.id]);
  const kinds = new Map([[job.id, job.kind]]);
  return new Promise((resolve) => {
    let done = false;
    const finish = (finished: Job) => {
      if (done) return;
      done = true;
      unsubscribe();
      window.clearInterval(check);
      notice.hide();
      new Notice(`${title} ${finishedWords(finished)}`, 10_000);
      resolve(finished);
    };
    const ask = () =>
      daemon
        .call(ROUTES.getJob, { params: { id: job.id } })
        .then((current) => FINISHED_STATES.includes(current.state) && finish(current))
        .catch(() => undefined);
    const check = window.setInterval(() => void ask(), CHECK_EVERY_MS);
    const unsubscribe = feed.subscribe({
      state: () => undefined,
      event: (event) => {
        if (event.type === "job.progress" && mine.has(event.jobId)) {
          const text = jobProgressText(kinds.get(event.jobId) ?? "", event.progress, job.kind === "pipeline");
          if (text) notice.setMessage(`${title}: ${text}`);
        } else if (event.type === "job.state") {
          if (event.jobId === job.id && FINISHED_STATES.includes(event.state)) void ask();
          else if (!mine.has(event.jobId) && job.kind === "pipeline" && event.state === "running") {
            // A step of this pipeline starting: its progress is the pipeline's.
            void daemon
              .call(ROUTES.getJob, { params: { id: event.jobId } })
              .then((child) => {
                if ((child.request as { pipeline?: string }).pipeline !== job.id) return;
                mine.add(child.id);
                kinds.set(child.id, child.kind);
              })
              .catch(() => undefined);
          }
        }
      },
    });
  });
}

function finishedWords(job: Job): string {
  if (job.state === "succeeded") return "finished.";
  const why = job.error ? `: ${job.error.message}${job.error.hint ? ` (${job.error.hint})` : ""}` : "";
  return `${job.state}${why}.`;
}
