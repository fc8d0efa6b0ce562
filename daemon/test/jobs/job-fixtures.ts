import { cpSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import WebSocket from "ws";
import { startTestDaemon, type TestDaemon } from "../daemon-harness";
import { ensurePythonEnv, PYTHON_DIR } from "../../src/train/python-env";

export const STARTER = join(PYTHON_DIR, "..", "datasets", "starter-claudesidian-3");

/** A tiny random chat model (python/tests/tiny_model.py) made once per test file. */
export async function makeTinyModel(folder: string): Promise<string> {
  const { python } = await ensurePythonEnv();
  await execa(python, [join(PYTHON_DIR, "tests", "tiny_model.py"), "--dataset", STARTER, "--out", folder]);
  return folder;
}

/** The committed starter dataset, placed in a data dir as if the daemon had built it under `name`. */
export function placeStarterDataset(dataDir: string, name: string): void {
  mkdirSync(join(dataDir, "datasets"), { recursive: true });
  cpSync(STARTER, join(dataDir, "datasets", name), { recursive: true });
}

/** The pid the job log names for the trainer's most recent start. */
export function trainerPid(log: string): number {
  const pids = [...log.matchAll(/^--- trainer pid (\d+)/gm)].map((match) => Number(match[1]));
  const pid = pids.at(-1);
  if (!pid) throw new Error(`no trainer pid in the log:\n${log}`);
  return pid;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 120_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** A real daemon over `<work>/data` with its live event feed collected into `events`. */
export async function daemonWithEvents(
  work: string,
): Promise<{ daemon: TestDaemon; events: any[]; stop(): Promise<void> }> {
  const daemon = await startTestDaemon({ dataDir: join(work, "data") });
  const events: any[] = [];
  const socket = new WebSocket(`${daemon.url.replace("http", "ws")}/v1/events?token=${daemon.token}`);
  socket.on("message", (data) => events.push(JSON.parse(String(data))));
  await new Promise((resolve) => socket.once("open", resolve));
  return {
    daemon,
    events,
    async stop() {
      socket.close();
      await daemon.stop();
    },
  };
}

/** Polls a job until it leaves queued and running (pipelines: until they stop running). */
export async function finishedJob(daemon: TestDaemon, id: string, timeoutMs = 300_000): Promise<any> {
  return waitFor(
    `job ${id} to finish`,
    async () => {
      const job = (await daemon.call("GET", `/v1/jobs/${id}`)).body;
      return job.state === "queued" || job.state === "running" ? undefined : job;
    },
    timeoutMs,
  );
}
