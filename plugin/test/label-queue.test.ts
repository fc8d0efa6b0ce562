import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROUTES } from "@vault-tuner/shared";
import { makeTrace, startTestDaemon, type TestDaemon } from "../../daemon/test/daemon-harness";
import { DaemonClient } from "../src/connection/daemon-client";
import { LabelQueue, laterChange } from "../src/labels/label-queue";
import type { QueuedLabel } from "../src/settings/plugin-settings";

/**
 * The queued-label path against a real daemon: labels made while it is stopped are kept in the plugin's
 * data, and arrive once when it is back.
 */
const dataDir = mkdtempSync(join(tmpdir(), "vt-label-queue-"));
let daemon: TestDaemon;
let device = { daemonUrl: "", token: "" };
beforeAll(async () => {
  daemon = await startTestDaemon({ dataDir });
  device = { daemonUrl: daemon.url, token: daemon.token };
  await daemon.call("POST", "/v1/traces", { body: { traces: ["one", "two", "three"].map((id) => makeTrace({ id })) } });
});
afterAll(() => daemon.stop());

function queueWithSavedData() {
  const saved: QueuedLabel[][] = [];
  const client = new DaemonClient(() => device);
  const queue = new LabelQueue({
    initial: [],
    persist: async (items) => void saved.push(structuredClone(items)),
    send: async (traceId, body) => {
      await client.call(ROUTES.labelTrace, { params: { id: traceId }, body });
    },
  });
  return { queue, saved };
}

describe("labels made while the daemon is down", () => {
  it("are kept, then arrive once, the last word of each trace only", async () => {
    const { queue, saved } = queueWithSavedData();
    await daemon.stop();
    const first = await queue.label("one", { label: "undesirable", note: "wrong note" });
    expect(first).toMatchObject({ sent: 0, waiting: 1, reason: expect.stringContaining("not running") });
    await queue.label("two", { label: "desirable" });
    await queue.label("one", { label: "desirable" });
    expect(queue.pending.map((item) => [item.traceId, item.body.label])).toEqual([
      ["two", "desirable"],
      ["one", "desirable"],
    ]);
    // Each label was saved with the plugin's data before it was reported kept.
    expect(saved.at(-1)?.map((item) => item.traceId)).toEqual(["two", "one"]);

    daemon = await startTestDaemon({ dataDir });
    device = { daemonUrl: daemon.url, token: daemon.token };
    expect(await queue.flush()).toEqual({ sent: 2, refused: [], waiting: 0 });
    expect(await queue.flush()).toEqual({ sent: 0, refused: [], waiting: 0 });
    expect(saved.at(-1)).toEqual([]);
    for (const id of ["one", "two"]) {
      const detail = (await daemon.call("GET", `/v1/traces/${id}`)).body;
      expect(detail.label).toBe("desirable");
      expect(detail.history, id).toHaveLength(1);
    }
  });

  it("never loses a note to a later thumbs: the daemon keeps what a change leaves out, and waiting changes fold together", async () => {
    const { queue } = queueWithSavedData();
    await daemon.call("POST", "/v1/traces", { body: { traces: ["noted", "queued"].map((id) => makeTrace({ id })) } });
    expect(await queue.label("noted", { label: "undesirable", note: "read the wrong note" })).toMatchObject({
      sent: 1,
    });
    await daemon.stop();
    await queue.label("noted", { label: "desirable" });
    await queue.label("queued", {
      label: "undesirable",
      note: "too early",
      correction: { arguments: { mode: "listDirectory", path: "Inbox" } },
    });
    await queue.label("queued", { label: "undesirable" });
    expect(queue.pending.map((item) => [item.traceId, item.body])).toEqual([
      ["noted", { label: "desirable" }],
      [
        "queued",
        {
          label: "undesirable",
          note: "too early",
          correction: { arguments: { mode: "listDirectory", path: "Inbox" } },
        },
      ],
    ]);
    daemon = await startTestDaemon({ dataDir });
    device = { daemonUrl: daemon.url, token: daemon.token };
    expect(await queue.flush()).toMatchObject({ sent: 2, waiting: 0 });
    expect((await daemon.call("GET", "/v1/traces/noted")).body).toMatchObject({
      label: "desirable",
      note: "read the wrong note",
    });
    expect((await daemon.call("GET", "/v1/traces/queued")).body).toMatchObject({
      label: "undesirable",
      note: "too early",
      correction: { arguments: { path: "Inbox" } },
    });
    // A later "good" drops a waiting correction, which only goes with "bad".
    expect(
      laterChange({ label: "undesirable", note: "n", correction: { arguments: {} } }, { label: "desirable" }),
    ).toEqual({ label: "desirable", note: "n" });
  });

  it("drops a label the daemon refuses, says why, and goes on with the rest", async () => {
    const { queue } = queueWithSavedData();
    const refused = await queue.label("missing-trace", { label: "desirable" });
    expect(refused).toMatchObject({
      sent: 0,
      waiting: 0,
      refused: [{ traceId: "missing-trace", message: expect.stringContaining("missing-trace") }],
    });
    expect(await queue.label("three", { label: "undesirable" })).toEqual({ sent: 1, refused: [], waiting: 0 });
    const detail = (await daemon.call("GET", "/v1/traces/three")).body;
    expect(detail.label).toBe("undesirable");
  });

  it("waits, without dropping anything, while the token is wrong", async () => {
    const { queue } = queueWithSavedData();
    device = { ...device, token: "wrong" };
    const result = await queue.label("three", { label: "desirable" });
    expect(result).toMatchObject({ sent: 0, waiting: 1, reason: expect.stringContaining("refused the token") });
    device = { ...device, token: daemon.token };
    expect(await queue.flush()).toMatchObject({ sent: 1, waiting: 0 });
  });

  it("keeps a whole session's labels with one save, replacing what waited for the same calls", async () => {
    const { queue, saved } = queueWithSavedData();
    await daemon.stop();
    await queue.label("one", { label: "desirable" });
    const before = saved.length;
    const result = await queue.labelMany(
      ["one", "two", "three"].map((traceId) => ({ traceId, body: { label: "undesirable" as const } })),
    );
    expect(result).toMatchObject({ sent: 0, waiting: 3 });
    expect(saved.length).toBe(before + 1);
    expect(queue.pending.map((item) => [item.traceId, item.body.label])).toEqual([
      ["one", "undesirable"],
      ["two", "undesirable"],
      ["three", "undesirable"],
    ]);
    daemon = await startTestDaemon({ dataDir });
    device = { daemonUrl: daemon.url, token: daemon.token };
    expect(await queue.flush()).toEqual({ sent: 3, refused: [], waiting: 0 });
    expect((await daemon.call("GET", "/v1/traces/one")).body.label).toBe("undesirable");
  });
});
