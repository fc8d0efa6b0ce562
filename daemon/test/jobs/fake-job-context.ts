import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Job, JobProgress, JobRequest } from "@vault-tuner/shared";
import type { JobContext } from "../../src/jobs/job-kind";
import type { JobStore } from "../../src/store/job-store";

/** A job context that keeps what the job said: its log lines and its progress, in order. */
export function fakeJobContext(
  root: string,
  id = "job_test",
  resumed = false,
): { context: JobContext; logs: string[]; progress: JobProgress[]; abort: () => void } {
  const logs: string[] = [];
  const progress: JobProgress[] = [];
  const controller = new AbortController();
  const folder = join(root, id);
  mkdirSync(folder, { recursive: true });
  return {
    context: {
      id,
      folder,
      resumed,
      signal: controller.signal,
      log: (line) => logs.push(line),
      progress: (next) => progress.push(next),
    },
    logs,
    progress,
    abort: () => controller.abort(),
  };
}

/** A job stored as if it had run: its state and what it left behind. */
export function storedJob(
  jobs: JobStore,
  request: JobRequest,
  state: Job["state"],
  artefacts: Record<string, string> = {},
): Job {
  const job = jobs.create(request, "2026-12-01T00:00:00Z");
  if (state !== "queued") jobs.started(job.id, "2026-12-01T00:00:01Z");
  if (state !== "queued" && state !== "running") jobs.finished(job.id, state, "2026-12-01T00:00:02Z");
  jobs.setArtefacts(job.id, artefacts);
  return jobs.get(job.id) as Job;
}
