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

it("stops promptly even when a subscriber never answers the closing handshake", async () => {
  const own = await startTestDaemon();
  const url = new URL(own.url);
  // A raw upgrade, then silence: no pong, no close frame, nothing (a frozen client).
  const { connect } = await import("node:net");
  const socket = connect(Number(url.port), url.hostname);
  await new Promise<void>((resolve, reject) => {
    socket.once("error", reject);
    socket.once("data", (chunk) =>
      String(chunk).startsWith("HTTP/1.1 101") ? resolve() : reject(new Error(String(chunk))),
    );
    socket.write(
      `GET /v1/events HTTP/1.1\r\nHost: ${url.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nAuthorization: Bearer ${own.token}\r\n\r\n`,
    );
  });
  socket.pause();
  const started = Date.now();
  await own.stop();
  // ws would wait 30 s for the answer; the daemon gives half a second.
  expect(Date.now() - started).toBeLessThan(10_000);
  socket.destroy();
}, 60_000);
