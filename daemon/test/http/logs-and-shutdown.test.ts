import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { expect, it } from "vitest";
import WebSocket from "ws";
import { COPILOT_DATASET } from "../../../shared/test/reference-data";
import { redactUrl } from "../../src/http/log-options";
import { makeTrace, startTestDaemon } from "../daemon-harness";

it("never writes the token into its log, even at debug level and from the websocket's ?token=", async () => {
  const log = new PassThrough();
  let text = "";
  log.on("data", (chunk) => (text += String(chunk)));
  const daemon = await startTestDaemon({ logLevel: "debug", logStream: log });
  try {
    await daemon.call("POST", "/v1/traces", { body: { traces: [makeTrace()] } });
    await daemon.call("GET", `/v1/traces/nothing?token=${daemon.token}`);
    // Escaped, the name is still the token's: a 4xx logs its URL.
    await daemon.call("GET", `/v1/traces/nothing?%74oken=${daemon.token}`, { auth: false });
    await daemon.call("GET", "/v1/traces", { auth: false, headers: { authorization: `Bearer ${daemon.token}x` } });
    await new Promise<void>((resolve, reject) => {
      const socket = new WebSocket(`${daemon.url.replace("http", "ws")}/v1/events?token=${daemon.token}`);
      socket.on("message", () => {
        socket.close();
        resolve();
      });
      socket.on("error", reject);
    });
  } finally {
    await daemon.stop();
  }
  expect(text).toContain("/v1/traces/nothing?token=[redacted]");
  expect(text.split("\n").filter(Boolean).length).toBeGreaterThan(3);
  expect(text).not.toContain(daemon.token);
});

it("redacts a token parameter wherever it sits in a URL", () => {
  expect(redactUrl("/v1/events?token=abc")).toBe("/v1/events?token=[redacted]");
  expect(redactUrl("/v1/events?x=1&TOKEN=abc&y=2")).toBe("/v1/events?x=1&TOKEN=[redacted]&y=2");
  expect(redactUrl("/v1/traces?q=token")).toBe("/v1/traces?q=token");
  expect(redactUrl("/v1/traces?%74oken=abc&%54OKEN%20=def")).toBe(
    "/v1/traces?%74oken=[redacted]&%54OKEN%20=[redacted]",
  );
});

it("closes open websockets and finishes when stopped", async () => {
  const daemon = await startTestDaemon();
  const socket = new WebSocket(`${daemon.url.replace("http", "ws")}/v1/events?token=${daemon.token}`);
  await new Promise((resolve) => socket.once("message", resolve));
  const closed = new Promise<number>((resolve) => socket.once("close", (code) => resolve(code)));
  await daemon.stop();
  expect(await closed).toBeGreaterThan(0);
});

it("stops a dataset build in progress when stopped, and the next build of that name starts clean", {
  timeout: 30_000,
}, async () => {
  const daemon = await startTestDaemon();
  writeFileSync(join(daemon.dataDir, "big.jsonl"), readFileSync(COPILOT_DATASET, "utf8").repeat(8));
  const request = { name: "interrupted", sources: { files: ["big.jsonl"] } };
  const build = daemon.call("POST", "/v1/datasets", { body: request }).catch((error: Error) => error);
  await new Promise((resolve) => setTimeout(resolve, 300));
  await daemon.daemon.close();
  expect(await build).toBeInstanceOf(Error);
  const again = await startTestDaemon({ dataDir: daemon.dataDir });
  try {
    expect((await again.call("GET", "/v1/datasets")).body.items).toEqual([]);
    const reply = await again.call("POST", "/v1/datasets", { body: { ...request, sources: { files: ["big.jsonl"] } } });
    expect(reply.status).toBe(201);
    expect(readdirSync(join(daemon.dataDir, "datasets"))).toEqual(["interrupted"]);
  } finally {
    await again.stop();
  }
});
