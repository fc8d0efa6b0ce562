import { DaemonEventSchema, type DaemonEvent } from "@vault-tuner/shared";
import { afterAll, beforeAll, expect, it } from "vitest";
import WebSocket from "ws";
import { makeTrace, startTestDaemon, type TestDaemon } from "../daemon-harness";

let daemon: TestDaemon;
beforeAll(async () => {
  daemon = await startTestDaemon();
});
afterAll(async () => {
  await daemon.stop();
});

/** Connects and collects events (each checked against the shared schema) until `until` says stop. */
function collect(
  headers: Record<string, string>,
  query: string,
  until: (events: DaemonEvent[]) => boolean,
  act: () => Promise<void>,
): Promise<DaemonEvent[]> {
  return new Promise((resolve, reject) => {
    const events: DaemonEvent[] = [];
    const socket = new WebSocket(`${daemon.url.replace("http", "ws")}/v1/events${query}`, { headers });
    socket.on("message", (data) => {
      events.push(DaemonEventSchema.parse(JSON.parse(String(data))));
      if (events.length === 1) act().catch(reject);
      if (until(events)) {
        socket.close();
        resolve(events);
      }
    });
    socket.on("error", reject);
  });
}

it("pushes hello, then new traces (not retried ones) and label changes", async () => {
  await daemon.call("POST", "/v1/traces", { body: { traces: [makeTrace({ id: "old" })] } });
  const events = await collect(
    { authorization: `Bearer ${daemon.token}` },
    "",
    (events) => events.some((event) => event.type === "trace.labelled"),
    async () => {
      await daemon.call("POST", "/v1/traces", {
        body: {
          traces: [
            makeTrace({ id: "old" }),
            makeTrace({ id: "new", result: { content: [{ type: "text", text: "❌ Error: no" }], isError: false } }),
          ],
        },
      });
      await daemon.call("POST", "/v1/traces", { body: { traces: [makeTrace({ id: "old" })] } });
      await daemon.call("PUT", "/v1/traces/new/label", {
        body: { label: "undesirable", correction: { arguments: { mode: "readContent" } } },
      });
    },
  );
  expect(events.map((event) => event.type)).toEqual(["hello", "trace.created", "trace.labelled"]);
  const created = events[1] as Extract<DaemonEvent, { type: "trace.created" }>;
  expect(created.traces).toEqual([
    { id: "new", session: "session-a", tool: "contentManager", failed: true, suggested: true },
  ]);
  expect(events[2]).toMatchObject({ traceId: "new", label: "undesirable", previous: "unlabeled", corrected: true });
});
