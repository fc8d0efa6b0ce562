import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTrace, startTestDaemon, type TestDaemon } from "../daemon-harness";

let daemon: TestDaemon;
beforeAll(async () => {
  daemon = await startTestDaemon();
  await daemon.call("POST", "/v1/traces", { body: { traces: [makeTrace({ id: "a" }), makeTrace({ id: "b" })] } });
});
afterAll(() => daemon.stop());

const raw = (path: string, init: RequestInit = {}) =>
  fetch(`${daemon.url}${path}`, { ...init, headers: { authorization: `Bearer ${daemon.token}`, ...init.headers } });

describe("what the daemon refuses, and how it says so", () => {
  it("answers text it cannot read with 415 in its own error shape", async () => {
    const reply = await raw("/v1/traces", { method: "POST", headers: { "content-type": "text/plain" }, body: "hello" });
    expect(reply.status).toBe(415);
    expect(((await reply.json()) as { error: { code: string } }).error.code).toBe("unsupported-media-type");
  });

  it("answers what Node's parser refuses (headers too large) in its own error shape too", async () => {
    const reply = await raw(`/v1/traces?${"x=1&".repeat(20_000)}`);
    expect(reply.status).toBe(431);
    expect(await reply.json()).toEqual({
      error: { code: "headers-too-large", message: expect.stringContaining("too large") },
    });
  });

  it("refuses a search for a control character instead of matching every call", async () => {
    const reply = await daemon.call("GET", "/v1/traces?q=%00");
    expect(reply.status).toBe(400);
    expect(reply.body.error.issues[0]).toMatchObject({ path: "q", message: "no control characters" });
  });

  it("says which ids a batch carried twice, stored once", async () => {
    const reply = await daemon.call("POST", "/v1/traces", {
      body: { traces: [makeTrace({ id: "c" }), makeTrace({ id: "d" }), makeTrace({ id: "c" })] },
    });
    expect(reply.status).toBe(201);
    expect(reply.body).toEqual({ ids: ["c", "d", "c"], repeated: ["c"] });
    expect((await daemon.allTraces()).filter((trace) => trace.id === "c")).toHaveLength(1);
  });
});

describe("ids that could not come back", () => {
  it("refuses a trace id or session with a lone surrogate, naming the field, and stores nothing of the batch", async () => {
    const lone = "bad\ud800id";
    const reply = await daemon.call("POST", "/v1/traces", { body: { traces: [makeTrace({ id: lone })] } });
    expect(reply.status).toBe(400);
    expect(reply.body.error.issues[0]).toMatchObject({
      path: "traces.0.id",
      message: expect.stringContaining("lone surrogate"),
    });
    expect((await daemon.allTraces()).some((trace) => trace.id.startsWith("bad"))).toBe(false);
    const session = await daemon.call("POST", "/v1/traces", { body: { traces: [makeTrace({ session: "s\udc00" })] } });
    expect(session.body.error.issues[0].path).toBe("traces.0.session");
    // A pair is fine: an emoji id is stored and fetched back exactly.
    const emoji = "note-😀";
    expect((await daemon.call("POST", "/v1/traces", { body: { traces: [makeTrace({ id: emoji })] } })).status).toBe(
      201,
    );
    expect((await daemon.call("GET", `/v1/traces/${encodeURIComponent(emoji)}`)).body.trace.id).toBe(emoji);
  });
});

describe("the trace list", () => {
  it("lists large calls as bounded previews, marked cut, and gives each whole on its own", async () => {
    const big = "y".repeat(3_000_000);
    const traces = ["big1", "big2", "big3"].map((id) =>
      makeTrace({
        id,
        call: { name: "contentManager_createContent", arguments: { filePath: `${id}.md`, content: big } },
      }),
    );
    expect((await daemon.call("POST", "/v1/traces", { body: { traces } })).status).toBe(201);
    const listed = await raw("/v1/traces?q=big&limit=10");
    const text = await listed.text();
    // Three 3 MB calls, listed in a few kilobytes.
    expect(text.length).toBeLessThan(50_000);
    const items = (
      JSON.parse(text) as { items: { id: string; cut?: boolean; call: { arguments: { content: string } } }[] }
    ).items;
    expect(items.map((item) => [item.id, item.cut])).toEqual([
      ["big3", true],
      ["big2", true],
      ["big1", true],
    ]);
    expect(items[0]?.call.arguments.content).toMatch(/^y{2000}… \[2998000 more characters\]$/);
    const whole = await daemon.call("GET", "/v1/traces/big2");
    expect(whole.body.trace.call.arguments.content).toBe(big);
    expect(whole.body.trace.cut).toBeUndefined();
  }, 60_000);
});
