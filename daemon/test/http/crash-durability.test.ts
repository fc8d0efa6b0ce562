import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { makeTrace, startTestDaemon } from "../daemon-harness";
import { spawnDaemon } from "../spawn-daemon";

const dataDir = mkdtempSync(join(tmpdir(), "vault-tuner-crash-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

it("keeps every acknowledged trace, once, when the daemon is killed -9 mid-stream", { timeout: 60_000 }, async () => {
  const { child, url, exited } = await spawnDaemon(dataDir);
  const token = readFileSync(join(dataDir, "token"), "utf8").trim();
  const acknowledged = new Set<string>();
  const unacknowledged: string[][] = [];
  let requests = 0;
  let killed = false;

  // Four writers post batches of 1-10 traces with client ids, as the tap does, until the kill.
  const writer = async (writerId: number) => {
    for (let n = 0; ; n++) {
      const batch = Array.from({ length: 1 + ((n * 7 + writerId) % 10) }, (_, i) =>
        makeTrace({ id: `w${writerId}-${n}-${i}`, session: `writer-${writerId}` }),
      );
      const ids = batch.map((trace) => trace.id as string);
      try {
        const reply = await fetch(`${url}/v1/traces`, {
          method: "POST",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          body: JSON.stringify({ traces: batch }),
        });
        if (reply.status !== 201) throw new Error(`status ${reply.status}`);
        await reply.json();
        for (const id of ids) acknowledged.add(id);
        if (++requests === 200 && !killed) {
          killed = true;
          child.kill("SIGKILL");
        }
      } catch {
        unacknowledged.push(ids);
        if (killed) return;
      }
    }
  };
  await Promise.all([0, 1, 2, 3].map(writer));
  await exited;
  expect(acknowledged.size).toBeGreaterThan(200);

  const restarted = await startTestDaemon({ dataDir });
  try {
    const stored = async () => (await restarted.allTraces()).map((trace) => trace.id as string);
    const afterCrash = await stored();
    expect(new Set(afterCrash).size, "no trace twice").toBe(afterCrash.length);
    const missing = [...acknowledged].filter((id) => !afterCrash.includes(id));
    expect(missing, "every acknowledged trace survived").toEqual([]);

    // The writers retry what was never acknowledged; the store ends with each trace exactly once.
    for (const ids of unacknowledged) {
      const retry = await restarted.call("POST", "/v1/traces", {
        body: { traces: ids.map((id) => makeTrace({ id, session: "retry" })) },
      });
      expect(retry.status).toBe(201);
    }
    const final = await stored();
    const everything = new Set([...acknowledged, ...unacknowledged.flat()]);
    expect(final.length).toBe(everything.size);
    expect(new Set(final)).toEqual(everything);
  } finally {
    await restarted.stop();
  }
});
