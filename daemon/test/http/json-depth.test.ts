import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_JSON_DEPTH } from "@vault-tuner/shared";
import { makeTrace, startTestDaemon, type TestDaemon } from "../daemon-harness";
import { nestedObject, nestedObjectText } from "../nested-json";

let daemon: TestDaemon;
beforeAll(async () => {
  daemon = await startTestDaemon();
});
afterAll(() => daemon.stop());

/** A posted body with `marker` replaced by raw JSON text (too deep to build with JSON.stringify). */
function withRaw(body: unknown, raw: string): string {
  return JSON.stringify(body).replace('"@deep@"', raw);
}

describe("how deeply posted JSON may nest", () => {
  it("takes arguments nested to the limit, and lists and fetches them", async () => {
    const trace = makeTrace({ id: "at-limit" });
    trace.call.arguments = { deep: nestedObject(MAX_JSON_DEPTH - 1) };
    expect((await daemon.call("POST", "/v1/traces", { body: { traces: [trace] } })).status).toBe(201);
    expect((await daemon.call("GET", "/v1/traces")).status).toBe(200);
    expect((await daemon.call("GET", "/v1/traces/at-limit")).body.trace.call.arguments).toEqual(trace.call.arguments);
  });

  for (const depth of [MAX_JSON_DEPTH + 1, 4_107, 5_000, 100_000]) {
    it(`refuses a trace whose arguments nest ${depth} deep with 400 naming the field, and stays whole`, async () => {
      const trace = makeTrace({ id: `deep-${depth}` });
      trace.call.arguments = { deep: "@deep@" };
      const reply = await daemon.call("POST", "/v1/traces", {
        body: withRaw({ traces: [trace] }, nestedObjectText(depth)),
      });
      expect(reply.status).toBe(400);
      expect(reply.body.error.issues[0]).toMatchObject({
        path: "traces.0.call.arguments",
        message: expect.stringContaining(`nested deeper than ${MAX_JSON_DEPTH} levels`),
      });
      expect((await daemon.call("GET", `/v1/traces/deep-${depth}`)).status).toBe(404);
      expect((await daemon.call("GET", "/v1/traces")).status).toBe(200);
    });
  }

  it("refuses deep result content, a deep tool schema and a deep correction the same way", async () => {
    const trace = makeTrace({ id: "deep-result" });
    trace.result = { content: ["@deep@"], isError: false };
    const result = await daemon.call("POST", "/v1/traces", {
      body: withRaw({ traces: [trace] }, nestedObjectText(5_000)),
    });
    expect(result.status).toBe(400);
    expect(result.body.error.issues[0].path).toBe("traces.0.result.content");

    const toolset = { tools: [{ name: "t", inputSchema: { type: "object", properties: "@deep@" } }] };
    const tools = await daemon.call("POST", "/v1/toolsets", { body: withRaw(toolset, nestedObjectText(5_000)) });
    expect(tools.status).toBe(400);
    expect(tools.body.error.issues[0].path).toBe("tools.0.inputSchema");

    await daemon.call("POST", "/v1/traces", { body: { traces: [makeTrace({ id: "to-correct" })] } });
    const label = { label: "undesirable", correction: { arguments: { deep: "@deep@" } } };
    const corrected = await daemon.call("PUT", "/v1/traces/to-correct/label", {
      body: withRaw(label, nestedObjectText(5_000)),
    });
    expect(corrected.status).toBe(400);
    expect(corrected.body.error.issues[0].path).toBe("correction.arguments");
    expect((await daemon.call("GET", "/v1/health")).body.status).toBe("ok");
  });
});
