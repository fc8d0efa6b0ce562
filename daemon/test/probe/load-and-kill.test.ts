import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeTrace } from "../daemon-harness";
import { spawnDaemon } from "../spawn-daemon";

/** Rounds of load, each ended by kill -9; write requests acknowledged before the kill, per round. */
const ROUNDS = 3;
const WRITES_BEFORE_KILL = 150;
const LABELS = ["desirable", "undesirable", "unlabeled"] as const;

interface Tally {
  requests: number;
  /** Each 5xx answer, with what was asked. */
  fivexx: string[];
  crashes: number;
  acknowledgedTraces: Set<string>;
  /** Per trace, the labels that may be stored: the last acknowledged one, and one in flight at the kill. */
  labels: Map<string, Set<string>>;
}

/** Posts, labels and lists against one daemon until `WRITES_BEFORE_KILL` writes were acknowledged, then kills it -9. */
async function loadRound(dataDir: string, round: number, tally: Tally): Promise<void> {
  const daemon = await spawnDaemon(dataDir);
  const token = readFileSync(join(dataDir, "token"), "utf8").trim();
  let killed = false;
  void daemon.exited.then(() => {
    if (!killed) tally.crashes++;
  });
  let writes = 0;
  const send = async (method: string, path: string, body?: unknown) => {
    tally.requests++;
    const reply = await fetch(`${daemon.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const answer = await reply.json();
    if (reply.status >= 500) tally.fivexx.push(`${method} ${path} -> ${reply.status} ${JSON.stringify(answer)}`);
    return { status: reply.status, body: answer };
  };
  const writer = async (id: number) => {
    for (let n = 0; !killed; n++) {
      const batch = Array.from({ length: 1 + ((n * 7 + id) % 10) }, (_, i) =>
        makeTrace({ id: `r${round}-w${id}-${n}-${i}`, session: `r${round}-writer-${id}` }),
      );
      const reply = await send("POST", "/v1/traces", { traces: batch }).catch(() => undefined);
      if (reply?.status !== 201) return;
      for (const trace of batch) tally.acknowledgedTraces.add(trace.id as string);
      if (++writes === WRITES_BEFORE_KILL) {
        killed = true;
        daemon.child.kill("SIGKILL");
      }
    }
  };
  const labeller = async (id: number) => {
    for (let n = 0; !killed; n++) {
      const ids = [...tally.acknowledgedTraces];
      const traceId = ids[(n * 31 + id * 17) % Math.max(1, ids.length)];
      if (!traceId) {
        await new Promise((resolve) => setTimeout(resolve, 5));
        continue;
      }
      const label = LABELS[(n + id) % LABELS.length] as string;
      const possible = tally.labels.get(traceId) ?? new Set(["unlabeled"]);
      possible.add(label);
      tally.labels.set(traceId, possible);
      const reply = await send("PUT", `/v1/traces/${traceId}/label`, { label }).catch(() => undefined);
      if (reply?.status !== 200) return;
      // Acknowledged: from now on only this label, or one sent later, may be stored.
      tally.labels.set(traceId, new Set([label]));
    }
  };
  const reader = async () => {
    for (let n = 0; !killed; n++) {
      const filter = ["", "&label=desirable", `&session=r${round}-writer-1`, "&q=standup", "&failed=false"][n % 5];
      const reply = await send("GET", `/v1/traces?limit=50${filter}`).catch(() => undefined);
      if (reply?.status !== 200) return;
    }
  };
  await Promise.all([writer(0), writer(1), writer(2), writer(3), labeller(0), labeller(1), reader()]);
  await daemon.exited;
}

/** Every stored trace's label, read through a fresh daemon. */
async function storedLabels(dataDir: string): Promise<{ ids: string[]; labels: Map<string, string> }> {
  const daemon = await spawnDaemon(dataDir);
  const token = readFileSync(join(dataDir, "token"), "utf8").trim();
  const ids: string[] = [];
  const labels = new Map<string, string>();
  try {
    let cursor: string | null = null;
    do {
      const reply = await fetch(`${daemon.url}/v1/traces?limit=100${cursor ? `&cursor=${cursor}` : ""}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const page = (await reply.json()) as { items: Array<{ id: string; label: string }>; nextCursor: string | null };
      for (const item of page.items) {
        ids.push(item.id);
        labels.set(item.id, item.label);
      }
      cursor = page.nextCursor;
    } while (cursor);
  } finally {
    daemon.child.kill("SIGTERM");
    await daemon.exited;
  }
  return { ids, labels };
}

describe("the load-and-kill probe", () => {
  it("keeps every acknowledged trace and label through rounds of loopback load ended by kill -9", {
    timeout: 180_000,
  }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "vault-tuner-load-"));
    const tally: Tally = { requests: 0, fivexx: [], crashes: 0, acknowledgedTraces: new Set(), labels: new Map() };
    for (let round = 0; round < ROUNDS; round++) await loadRound(dataDir, round, tally);

    const stored = await storedLabels(dataDir);
    const storedIds = new Set(stored.ids);
    const lost = [...tally.acknowledgedTraces].filter((id) => !storedIds.has(id));
    const doubled = stored.ids.length - storedIds.size;
    const wrongLabels = [...tally.labels].filter(([id, possible]) => !possible.has(stored.labels.get(id) ?? "missing"));
    console.log(
      `probe load-and-kill: ${ROUNDS} kill -9 rounds, ${tally.requests} requests, ${tally.acknowledgedTraces.size} traces and ${tally.labels.size} labelled calls acknowledged, ${lost.length} lost, ${doubled} doubled, ${wrongLabels.length} labels wrong, ${tally.fivexx.length} 5xx, ${tally.crashes} crashes`,
    );
    expect(lost.slice(0, 5)).toEqual([]);
    expect(doubled).toBe(0);
    expect(wrongLabels.slice(0, 5)).toEqual([]);
    expect(tally.fivexx.slice(0, 5)).toEqual([]);
    expect(tally.crashes).toBe(0);
    expect(tally.acknowledgedTraces.size).toBeGreaterThan(ROUNDS * WRITES_BEFORE_KILL);
  });
});
