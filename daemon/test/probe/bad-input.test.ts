import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiErrorBodySchema, ROUTES, type Route } from "@vault-tuner/shared";
import { spawnDaemon } from "../spawn-daemon";
import { probeRequests, type ProbeRequest } from "./probe-inputs";

/**
 * Routes left out of the matrix: the websocket, and the recorder's, which write a Claude client's
 * config outside the data dir (their bad input is tested in recorder-routes.test.ts).
 */
const LEFT_OUT = new Set(["events", "installRecorder", "uninstallRecorder"]);
/** Requests per route; the seed makes a run repeatable (VAULT_TUNER_PROBE_SEED picks another). */
const PER_ROUTE = 80;
const SEED = Number(process.env.VAULT_TUNER_PROBE_SEED ?? 20261201);
/** The error statuses docs/http-api.md documents for a request the daemon refuses. */
const DOCUMENTED_REFUSALS = new Set([400, 401, 403, 404, 409, 413, 414, 415, 431]);

let daemon: Awaited<ReturnType<typeof spawnDaemon>>;
let token: string;
let exitedEarly = false;
beforeAll(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "vault-tuner-probe-"));
  daemon = await spawnDaemon(dataDir);
  token = readFileSync(join(dataDir, "token"), "utf8").trim();
  void daemon.exited.then(() => (exitedEarly = true));
});
afterAll(async () => {
  daemon.child.kill("SIGTERM");
  await daemon.exited;
});

type Outcome = "documented" | "undocumented" | "5xx" | "crash";

/** Sends one request and says how the daemon handled it. */
async function tryRequest(route: Route, request: ProbeRequest): Promise<{ outcome: Outcome; detail: string }> {
  let status: number;
  let text: string;
  try {
    const reply = await fetch(`${daemon.url}${request.path}`, {
      method: route.method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(request.body !== undefined ? { "content-type": request.contentType ?? "application/json" } : {}),
      },
      body: request.body,
    });
    status = reply.status;
    text = await reply.text();
  } catch (error) {
    return { outcome: "crash", detail: String(error) };
  }
  const detail = `${route.method} ${request.path.slice(0, 120)} -> ${status} ${text.slice(0, 200)}`;
  if (status >= 500) return { outcome: "5xx", detail };
  if (route.statuses.includes(status)) {
    if (typeof route.reply === "string") return { outcome: "documented", detail };
    const parsed = route.reply.safeParse(JSON.parse(text));
    return { outcome: parsed.success ? "documented" : "undocumented", detail };
  }
  if (!DOCUMENTED_REFUSALS.has(status)) return { outcome: "undocumented", detail };
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { outcome: "undocumented", detail };
  }
  return { outcome: ApiErrorBodySchema.safeParse(body).success ? "documented" : "undocumented", detail };
}

describe("the bad-input probe", () => {
  it("answers every hostile request to every route as documented: no 5xx, no crash", { timeout: 240_000 }, async () => {
    const tally: Record<Outcome, number> = { documented: 0, undocumented: 0, "5xx": 0, crash: 0 };
    const failures: string[] = [];
    for (const [name, route] of Object.entries(ROUTES) as Array<[string, Route]>) {
      if (LEFT_OUT.has(name)) continue;
      for (const request of fc.sample(probeRequests(route), { numRuns: PER_ROUTE, seed: SEED })) {
        const { outcome, detail } = await tryRequest(route, request);
        tally[outcome]++;
        if (outcome !== "documented") failures.push(`${outcome}: ${detail}`);
        if (outcome === "crash") break;
      }
    }
    const tried = Object.values(tally).reduce((sum, count) => sum + count, 0);
    const health = await fetch(`${daemon.url}/v1/health`).then((reply) => reply.status, String);
    const crashes = tally.crash + (exitedEarly || health !== 200 ? 1 : 0);
    console.log(
      `probe bad-input (seed ${SEED}): ${tried} inputs tried, ${tally.documented} handled as documented, ${tally["5xx"]} 5xx, ${crashes} crashes`,
    );
    expect(failures.slice(0, 10)).toEqual([]);
    expect(crashes).toBe(0);
    expect(tried).toBeGreaterThan(2000);
  });
});
