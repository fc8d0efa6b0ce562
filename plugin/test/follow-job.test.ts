import { describe, expect, it } from "vitest";
import type { DaemonEvent, Job } from "@vault-tuner/shared";
import type { DaemonClient } from "../src/connection/daemon-client";
import type { LiveFeed, LiveFeedHandlers } from "../src/connection/live-feed";
import { followJob } from "../src/jobs/follow-job";
import { notices } from "./obsidian-stub";

// Obsidian plugins time with window.setInterval; in Node the globals serve.
(globalThis as { window?: unknown }).window ??= globalThis;

const job = (id: string, kind: Job["kind"], state: Job["state"], request: object = {}): Job =>
  ({
    id,
    kind,
    state,
    request: { kind, ...request },
    createdAt: "",
    startedAt: null,
    finishedAt: null,
    attempts: 1,
    progress: null,
    error: null,
    artefacts: {},
  }) as Job;

function fakes(jobs: Record<string, Job>) {
  let listener: LiveFeedHandlers | undefined;
  const feed = {
    subscribe: (handlers: LiveFeedHandlers) => ((listener = handlers), () => (listener = undefined)),
  } as unknown as LiveFeed;
  const daemon = {
    call: async (_route: unknown, input: { params: { id: string } }) => jobs[input.params.id as keyof typeof jobs],
  } as unknown as DaemonClient;
  const emit = async (event: DaemonEvent) => {
    listener?.event(event);
    await new Promise((resolve) => setTimeout(resolve, 0));
  };
  return { feed, daemon, emit, listening: () => listener !== undefined };
}

describe("following a job in a Notice", () => {
  it("shows a pipeline's steps as its own progress and ends with how it went", async () => {
    notices.length = 0;
    const jobs = {
      job_p: job("job_p", "pipeline", "running"),
      job_t: job("job_t", "train", "running", { pipeline: "job_p" }),
      job_other: job("job_other", "eval", "running"),
    };
    const { feed, daemon, emit, listening } = fakes(jobs);
    const followed = followJob(daemon, feed, jobs.job_p, "Training run");
    await emit({ at: "", type: "job.state", jobId: "job_t", kind: "train", state: "running", error: null });
    await emit({ at: "", type: "job.state", jobId: "job_other", kind: "eval", state: "running", error: null });
    await emit({ at: "", type: "job.progress", jobId: "job_t", progress: { step: 3, total: 8, loss: 0.5, etaS: 30 } });
    await emit({ at: "", type: "job.progress", jobId: "job_other", progress: { stage: "case 1", step: 0, total: 2 } });
    jobs.job_p = {
      ...jobs.job_p,
      state: "failed",
      error: { code: "out-of-memory", message: "the GPU ran out of memory", hint: "use a smaller preset" },
    };
    await emit({ at: "", type: "job.state", jobId: "job_p", kind: "pipeline", state: "failed", error: null });
    expect((await followed).state).toBe("failed");
    expect(notices).toEqual([
      "Training run: started",
      "Training run: Training: step 3/8, loss 0.500, about 30 s left",
      "Training run failed: the GPU ran out of memory (use a smaller preset).",
    ]);
    expect(listening()).toBe(false);
  });
});
