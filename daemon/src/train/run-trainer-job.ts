import type { JobProgress, TrainEvent } from "@vault-tuner/shared";
import type { JobContext } from "../jobs/job-kind";
import { eventLogLine } from "./metrics-log";
import { ensurePythonEnv } from "./python-env";
import { runTrainer, TrainerError, trainerLaunch } from "./run-trainer";
import { progressOf } from "./trainer-progress";

/** What a trainer child process (training or export) does for a job. */
export interface TrainerJobStep {
  /** The trainer's command line once its environment is ready; `setup` reports what setting up takes. */
  args: (setup: (line: string) => void) => Promise<string[]>;
  graceMs?: number;
  /** Data-parallel trainer processes (training on several GPUs); 1 when absent. */
  processes?: number;
}

/**
 * Runs `python -m vault_tuner_train ...` as a job's work: the environment set up first (minutes, the first
 * time, shown as progress), every event logged (the training curves are read back from the log) and
 * turned into the job's progress, SIGTERM then SIGKILL when the job's signal aborts.
 */
export async function runTrainerJob(
  step: TrainerJobStep,
  context: JobContext,
): Promise<Extract<TrainEvent, { event: "done" }>> {
  let progress: JobProgress | null = null;
  const setup = (line: string) => {
    context.log(line);
    context.progress({ stage: line });
  };
  const env = await ensurePythonEnv({ onProgress: setup });
  const args = await step.args(setup);
  const { done } = await runTrainer(env.python, args, {
    signal: context.signal,
    graceMs: step.graceMs,
    processes: step.processes,
    onStart: (pid) =>
      context.log(`--- trainer pid ${pid ?? "unknown"}: python ${trainerLaunch(args, step.processes).join(" ")}`),
    onLog: context.log,
    onEvent: (event) => {
      context.log(eventLogLine(event));
      const next = progressOf(event, progress);
      if (next && next !== progress) context.progress(next);
      progress = next;
    },
  });
  return done;
}

/** A trainer's own failure, with its code and hint, as a job's. */
export function trainerFailure(error: unknown) {
  return error instanceof TrainerError
    ? { error: { code: error.code, message: error.message, ...(error.hint ? { hint: error.hint } : {}) } }
    : undefined;
}
