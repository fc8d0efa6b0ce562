import { TrainEventSchema, type TrainEvent } from "@vault-tuner/shared";
import { execa } from "execa";
import { PYTHON_DIR } from "./python-env";

/** A trainer command that ended with an error event (or none): `code` and `hint` are the trainer's. */
export class TrainerError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly hint: string | undefined,
  ) {
    super(message);
  }
}

function parseEvent(line: string): TrainEvent {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new TrainerError(
      `the trainer printed a line that is not JSON on its progress channel: ${line.slice(0, 200)}`,
      "protocol",
      "library output belongs on stderr",
    );
  }
  const parsed = TrainEventSchema.safeParse(value);
  if (!parsed.success)
    throw new TrainerError(
      `the trainer sent a progress line the schema does not allow (${parsed.error.issues[0]?.path.join(".") || "event"}): ${line.slice(0, 200)}`,
      "protocol",
      undefined,
    );
  return parsed.data;
}

export interface TrainerRun {
  done: Extract<TrainEvent, { event: "done" }>;
  events: TrainEvent[];
}

/**
 * The Python arguments that start the trainer: `-m vault_tuner_train ...`, or, for several data-parallel
 * processes, the same through torchrun (`torch.distributed.run`) on this machine alone.
 */
export function trainerLaunch(args: string[], processes = 1): string[] {
  const trainer = ["-m", "vault_tuner_train", ...args];
  if (processes <= 1) return trainer;
  return ["-m", "torch.distributed.run", "--standalone", "--nproc-per-node", String(processes), ...trainer];
}

export interface TrainerHooks {
  onEvent?: (event: TrainEvent) => void;
  onLog?: (line: string) => void;
  onStart?: (pid: number | undefined) => void;
  /** Aborting sends SIGTERM (the trainer saves nothing more and exits), then SIGKILL after `graceMs`. */
  signal?: AbortSignal;
  graceMs?: number;
  /** Data-parallel processes, one per GPU (see data-parallel.ts); only the first reports. */
  processes?: number;
}

/**
 * Runs `python -m vault_tuner_train <args>` (through torchrun for several processes) and reads its
 * progress protocol: each stdout line is checked against the shared schema and handed to `onEvent`;
 * stderr (library logs) goes to `onLog`. Resolves with the done event; rejects with a TrainerError
 * carrying the trainer's own cause.
 */
export async function runTrainer(python: string, args: string[], hooks: TrainerHooks = {}): Promise<TrainerRun> {
  const child = execa(python, trainerLaunch(args, hooks.processes), {
    cwd: PYTHON_DIR,
    reject: false,
    cancelSignal: hooks.signal,
    forceKillAfterDelay: hooks.graceMs ?? 10_000,
    buffer: false,
    // The trainer exits by itself if this process dies (see exit_with_parent in cli.py).
    env: { PYTHONUNBUFFERED: "1", VAULT_TUNER_PARENT_PID: String(process.pid) },
  });
  hooks.onStart?.(child.pid);
  const events: TrainEvent[] = [];
  const logs = (async () => {
    for await (const line of child.iterable({ from: "stderr" })) hooks.onLog?.(line);
  })();
  try {
    for await (const line of child.iterable({ from: "stdout" })) {
      if (!line.trim()) continue;
      const event = parseEvent(line);
      events.push(event);
      hooks.onEvent?.(event);
    }
  } catch (error) {
    // A trainer that breaks the protocol is stopped rather than left running unread.
    child.kill();
    await Promise.allSettled([child, logs]);
    throw error;
  }
  const result = await child;
  await logs;
  const last = events.at(-1);
  if (last?.event === "error") throw new TrainerError(last.message, last.code, last.hint);
  if (last?.event !== "done" || result.exitCode !== 0) {
    const how = result.isCanceled
      ? "was cancelled"
      : `exited with ${result.exitCode ?? result.signal} without finishing`;
    throw new TrainerError(
      `the trainer ${how}`,
      result.isCanceled ? "cancelled" : "crashed",
      "its log (stderr) says why",
    );
  }
  return { done: last, events };
}
