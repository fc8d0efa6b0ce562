import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { spawnDaemon } from "../spawn-daemon";

/** A request to the spawned daemon with its token, answered within `ms` or not at all. */
async function call(url: string, token: string, method: string, path: string, body?: unknown, ms = 5000) {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(ms),
  });
  return { status: response.status, body: (await response.json()) as any };
}

const dataDir = mkdtempSync(join(tmpdir(), "vt-job-start-"));
let stop: (() => void) | undefined;
afterAll(() => stop?.());

describe("a job that cannot start", () => {
  it("fails with its reason, and the daemon goes on answering and running the next job", async () => {
    // Its own process: a queue that spins on a job it cannot start would stop the test runner too.
    const daemon = await spawnDaemon(dataDir);
    stop = () => daemon.child.kill("SIGKILL");
    const token = readFileSync(join(dataDir, "token"), "utf8").trim();
    // Where job folders go is a file now: no job folder can be made.
    rmSync(join(dataDir, "jobs"), { recursive: true, force: true });
    writeFileSync(join(dataDir, "jobs"), "not a folder");
    const request = {
      set: "combos",
      backend: "openai",
      model: "m",
      url: "http://127.0.0.1:9/v1",
      cases: ["combo_read_then_append"],
    };
    /** Queues the evaluation and polls it until it leaves queued and running (10 s at most). */
    const settled = async () => {
      const created = await call(daemon.url, token, "POST", "/v1/evals", request);
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      let job = created.body;
      for (let tries = 0; tries < 40 && (job.state === "queued" || job.state === "running"); tries++) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        job = (await call(daemon.url, token, "GET", `/v1/jobs/${created.body.id}`)).body;
      }
      return job;
    };
    expect(await settled()).toMatchObject({
      state: "failed",
      error: { code: "error", message: expect.stringMatching(/ENOTDIR|not a directory/) },
    });
    // The daemon still answers, and a second job is taken up (and fails the same way), not left queued.
    expect((await call(daemon.url, token, "GET", "/v1/health")).status).toBe(200);
    expect((await settled()).state).toBe("failed");
  }, 60_000);
});
