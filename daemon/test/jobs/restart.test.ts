import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { spawnDaemon } from "../spawn-daemon";
import { isAlive, makeTinyModel, placeStarterDataset, trainerPid, waitFor } from "./job-fixtures";

/**
 * The daemon dies with kill -9 in the middle of a training job: its trainer stops by itself, the next
 * daemon marks the job interrupted, and resuming continues from the last checkpoint to the end.
 */
let work: string;
let model: string;
let dataDir: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "vt-restart-"));
  model = await makeTinyModel(join(work, "tiny"));
  dataDir = join(work, "data");
  placeStarterDataset(dataDir, "starter");
}, 300_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

function client(url: string) {
  const token = readFileSync(join(dataDir, "token"), "utf8").trim();
  return async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    return {
      status: response.status,
      body: response.headers.get("content-type")?.includes("json") ? JSON.parse(text) : text,
    };
  };
}

it("survives kill -9 of the daemon during training: interrupted, then resumed from its checkpoint to the end", async () => {
  const first = await spawnDaemon(dataDir);
  const call = client(first.url);
  // The tiny recipe saves a checkpoint every 2 steps.
  const created = await call("POST", "/v1/jobs", {
    kind: "train",
    dataset: "starter",
    recipe: "tiny",
    model,
    maxSteps: 8,
    device: "cpu",
  });
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  await waitFor("a checkpoint and a step after it", async () => {
    const log = (await call("GET", `/v1/jobs/${id}/log`)).body as string;
    return /"event":"checkpoint","step":2/.test(log) && /"event":"step","step":3/.test(log) ? log : undefined;
  });
  const pid = trainerPid((await call("GET", `/v1/jobs/${id}/log`)).body as string);
  first.child.kill("SIGKILL");
  await first.exited;
  await waitFor("the orphaned trainer to stop by itself", () => (isAlive(pid) ? undefined : true), 15_000);

  const second = await spawnDaemon(dataDir);
  try {
    const again = client(second.url);
    const interrupted = (await again("GET", `/v1/jobs/${id}`)).body;
    expect(interrupted.state).toBe("interrupted");
    expect(interrupted.error.code).toBe("interrupted");
    expect(interrupted.progress.step).toBeGreaterThanOrEqual(3);
    expect((await again("POST", `/v1/jobs/${id}/resume`)).status).toBe(200);
    const done = await waitFor(
      "the resumed job to finish",
      async () => {
        const job = (await again("GET", `/v1/jobs/${id}`)).body;
        return ["succeeded", "failed"].includes(job.state) ? job : undefined;
      },
      240_000,
    );
    expect(done.state, JSON.stringify(done.error)).toBe("succeeded");
    expect(done.attempts).toBe(2);
    expect(done.progress).toMatchObject({ step: 8, total: 8 });
    const log = (await again("GET", `/v1/jobs/${id}/log`)).body as string;
    const resumedSteps = [...log.slice(log.lastIndexOf("--- ")).matchAll(/"event":"step","step":(\d+)/g)].map((match) =>
      Number(match[1]),
    );
    expect(log).toMatch(/--- trainer pid \d+: python -m vault_tuner_train kto .* --resume/);
    // The second attempt starts after the last complete checkpoint, not from step 1.
    expect(resumedSteps[0]).toBeGreaterThan(1);
    expect(resumedSteps.at(-1)).toBe(8);
  } finally {
    second.child.kill("SIGTERM");
    await second.exited;
  }
}, 600_000);
