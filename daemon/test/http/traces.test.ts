import { readFileSync } from "node:fs";
import { toolsetHash } from "@vault-tuner/shared/node";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { REFERENCE_DATA } from "../../../shared/test/reference-data";
import { makeTrace, startTestDaemon, type TestDaemon } from "../daemon-harness";

let daemon: TestDaemon;
beforeEach(async () => {
  daemon = await startTestDaemon();
});
afterEach(async () => {
  await daemon.stop();
});

const listAll = (query = "") => daemon.allTraces(query);

describe("POST /v1/traces", () => {
  it("stores a batch and answers with the ids in order, giving ids to traces that had none", async () => {
    const reply = await daemon.call("POST", "/v1/traces", {
      body: { traces: [makeTrace({ id: "t-1" }), makeTrace()] },
    });
    expect(reply.status).toBe(201);
    expect(reply.body.ids[0]).toBe("t-1");
    expect(reply.body.ids[1]).toMatch(/^tr_[0-9a-f-]{36}$/);
    const detail = await daemon.call("GET", `/v1/traces/${reply.body.ids[1]}`);
    expect(detail.body.trace.call.name).toBe("contentManager");
    expect(detail.body.label).toBe("unlabeled");
  });

  it("stores a retried id once, keeping the first version", async () => {
    const first = makeTrace({ id: "retry-me", session: "first" });
    await daemon.call("POST", "/v1/traces", { body: { traces: [first] } });
    const again = await daemon.call("POST", "/v1/traces", {
      body: { traces: [{ ...first, session: "second" }, makeTrace({ id: "new-one" })] },
    });
    expect(again.status).toBe(201);
    expect(again.body.ids).toEqual(["retry-me", "new-one"]);
    const all = await listAll();
    expect(all.map((trace) => trace.id).sort()).toEqual(["new-one", "retry-me"]);
    expect(all.find((trace) => trace.id === "retry-me").session).toBe("first");
  });
});

describe("failure detection and suggestions", () => {
  const text = (value: string) => ({ content: [{ type: "text", text: value }], isError: false });

  it("marks the plugin's ❌ Error text, isError, JSON-RPC errors and success:false as failed", async () => {
    const traces = [
      makeTrace({ id: "ok", result: text('{"success":true}') }),
      makeTrace({ id: "plugin-error", result: text("❌ Error: File not found: a.md") }),
      makeTrace({ id: "is-error", result: { content: [{ type: "text", text: "boom" }], isError: true } }),
      makeTrace({ id: "rpc-error", result: undefined, error: { code: -32602, message: "Invalid params" } }),
      makeTrace({ id: "no-success", result: text('{"success":false,"error":"nope"}') }),
      makeTrace({
        id: "mentions-error",
        result: text('{"success":true,"data":"the note says ❌ Error: in the middle"}'),
      }),
    ];
    await daemon.call("POST", "/v1/traces", { body: { traces } });
    const failed = (await listAll("&failed=true")).map((trace) => trace.id).sort();
    expect(failed).toEqual(["is-error", "no-success", "plugin-error", "rpc-error"]);
    const detail = await daemon.call("GET", "/v1/traces/plugin-error");
    expect(detail.body.trace.suggestion.reasons[0]).toContain("File not found: a.md");
    expect(detail.body.label, "a suggestion is never a label").toBe("unlabeled");
    expect((await daemon.call("GET", "/v1/traces/ok")).body.trace.suggestion).toBeNull();
  });

  it("suggests undesirable for calls that break the tool's schema, naming the rule", async () => {
    const good = makeTrace({ id: "good" });
    const badArgs = structuredClone(good.call.arguments) as Record<string, any>;
    delete badArgs.filePath;
    badArgs.context.sessionMemory = "";
    await daemon.call("POST", "/v1/traces", {
      body: {
        traces: [
          good,
          makeTrace({ id: "broken", call: { name: "contentManager", arguments: badArgs } }),
          makeTrace({ id: "invented", call: { name: "noteWizard", arguments: {} } }),
        ],
      },
    });
    expect((await daemon.call("GET", "/v1/traces/good")).body.trace.suggestion).toBeNull();
    const broken = (await daemon.call("GET", "/v1/traces/broken")).body.trace.suggestion.reasons.join("\n");
    expect(broken).toContain("param-missing");
    expect(broken).toContain("filePath");
    expect(broken).toContain("session-memory-empty");
    const invented = (await daemon.call("GET", "/v1/traces/invented")).body.trace.suggestion.reasons.join("\n");
    expect(invented).toContain("tool-unknown");
    expect((await listAll("&suggested=undesirable")).map((trace) => trace.id).sort()).toEqual(["broken", "invented"]);
  });

  it("checks calls against the toolset the session recorded", async () => {
    const toolsList = {
      tools: [
        {
          name: "noteWizard",
          description: "Does notes",
          inputSchema: { type: "object", properties: { path: { type: "string" } }, required: ["path"] },
        },
      ],
    };
    const stored = await daemon.call("POST", "/v1/toolsets", { body: toolsList });
    expect(stored.status).toBe(201);
    expect(stored.body).toMatchObject({ created: true, tools: 1 });
    expect(stored.body.hash, "recorders compute the same hash").toBe(toolsetHash(toolsList));
    const again = await daemon.call("POST", "/v1/toolsets", {
      body: {
        tools: [
          {
            ...toolsList.tools[0],
            inputSchema: { required: ["path"], properties: { path: { type: "string" } }, type: "object" },
          },
        ],
      },
    });
    expect(again.status, "same content, other key order: same toolset").toBe(200);
    expect(again.body).toEqual({ ...stored.body, created: false });
    const recordedHash = stored.body.hash as string;
    await daemon.call("POST", "/v1/traces", {
      body: {
        traces: [
          makeTrace({
            id: "fits",
            toolsetHash: recordedHash,
            call: { name: "noteWizard", arguments: { path: "a.md" } },
          }),
          makeTrace({ id: "misses", toolsetHash: recordedHash, call: { name: "noteWizard", arguments: { path: 3 } } }),
        ],
      },
    });
    expect((await daemon.call("GET", "/v1/traces/fits")).body.trace.suggestion).toBeNull();
    expect((await daemon.call("GET", "/v1/traces/misses")).body.trace.suggestion.reasons.join()).toContain("path");
  });
  it("checks a Nexus session's commands against the release its tools/list came from", async () => {
    const hashOf = async (version: string) => {
      const dump = JSON.parse(readFileSync(`${REFERENCE_DATA}nexus-${version}/mcp-tools.json`, "utf8"));
      const stored = await daemon.call("POST", "/v1/toolsets", { body: { tools: dump.tools } });
      return stored.body.hash as string;
    };
    const [old, current] = [await hashOf("5.17.2"), await hashOf("5.20.1")];
    const useTools = (id: string, toolsetHash: string, tool: string) =>
      makeTrace({
        id,
        toolsetHash,
        source: { transport: "stdio-tap", client: "claude-ai", server: "nexus-notes" },
        call: { name: "toolManager_useTools", arguments: { memory: "Tidying.", goal: "Tidy", tool } },
      });
    const removeProperty = "content remove-property Inbox.md --property status";
    await daemon.call("POST", "/v1/traces", {
      body: {
        traces: [
          useTools("on-5.20", current, removeProperty),
          useTools("on-5.17", old, removeProperty),
          useTools("typo-on-5.20", current, "content raed Inbox.md 1"),
        ],
      },
    });
    const reasons = async (id: string) =>
      ((await daemon.call("GET", `/v1/traces/${id}`)).body.trace.suggestion?.reasons ?? []) as string[];
    expect(await reasons("on-5.20")).toEqual([]);
    const onOld = await reasons("on-5.17");
    expect(onOld.filter((reason) => reason.startsWith("param-missing")).join()).toMatch(
      /workspaceId.*sessionId|sessionId.*workspaceId/s,
    );
    expect(onOld.find((reason) => reason.startsWith("command-unknown"))).toContain('"content remove-property"');
    expect(await reasons("typo-on-5.20")).toEqual([expect.stringContaining('did you mean "content read"')]);
    // The plugin's correction editor asks for the session's tools/list by the trace's hash.
    const stored = await daemon.call("GET", `/v1/toolsets/${old}`);
    expect(stored.status).toBe(200);
    expect(stored.body.tools.map((tool: { name: string }) => tool.name)).toEqual([
      "toolManager_getTools",
      "toolManager_useTools",
    ]);
    expect((await daemon.call("GET", `/v1/toolsets/${"0".repeat(64)}`)).status).toBe(404);
    expect((await daemon.call("GET", "/v1/toolsets/not-a-hash")).status).toBe(400);
  });
});

describe("GET /v1/traces", () => {
  it("pages newest first through every trace, each once", async () => {
    const traces = Array.from({ length: 230 }, (_, i) =>
      makeTrace({ id: `p-${i}`, recordedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, Math.floor(i / 3))).toISOString() }),
    );
    await daemon.call("POST", "/v1/traces", { body: { traces } });
    const first = await daemon.call("GET", "/v1/traces?limit=100");
    expect(first.body.items).toHaveLength(100);
    const all = await listAll();
    expect(all).toHaveLength(230);
    expect(new Set(all.map((trace) => trace.id)).size).toBe(230);
    const times = all.map((trace) => Date.parse(trace.recordedAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(all[0].id, "ties broken by arrival, newest first").toBe("p-229");
  });

  it("filters by tool, session, label and text", async () => {
    await daemon.call("POST", "/v1/traces", {
      body: {
        traces: [
          makeTrace({ id: "a", session: "s1" }),
          makeTrace({
            id: "b",
            session: "s2",
            result: { content: [{ type: "text", text: "Quarterly 100%_done" }], isError: false },
          }),
          makeTrace({
            id: "c",
            session: "s2",
            call: { name: "vaultManager", arguments: { mode: "listDirectory", path: "/" } },
          }),
        ],
      },
    });
    await daemon.call("PUT", "/v1/traces/a/label", { body: { label: "desirable" } });
    const ids = async (query: string) => (await listAll(query)).map((trace) => trace.id).sort();
    expect(await ids("&tool=vaultManager")).toEqual(["c"]);
    expect(await ids("&session=s2")).toEqual(["b", "c"]);
    expect(await ids("&label=desirable")).toEqual(["a"]);
    expect(await ids("&label=unlabeled")).toEqual(["b", "c"]);
    expect(await ids("&q=quarterly")).toEqual(["b"]);
    expect(await ids(`&q=${encodeURIComponent("100%_")}`), "% and _ are literal").toEqual(["b"]);
    expect(await ids(`&q=${encodeURIComponent("0%x")}`)).toEqual([]);
    expect(await ids("&session=s2&tool=contentManager")).toEqual(["b"]);
    expect(await ids("&label=&tool=&session=s1&q="), "empty parameters mean any").toEqual(["a"]);
  });

  it("rejects a cursor it did not write", async () => {
    const reply = await daemon.call("GET", "/v1/traces?cursor=bm9wZQ");
    expect(reply.status).toBe(400);
    expect(reply.body.error.issues[0].path).toBe("cursor");
  });
});

describe("labels", () => {
  it("records every change in the history and returns label, note and correction", async () => {
    await daemon.call("POST", "/v1/traces", { body: { traces: [makeTrace({ id: "x" })] } });
    const first = await daemon.call("PUT", "/v1/traces/x/label", { body: { label: "desirable", note: "fine" } });
    expect(first.status).toBe(200);
    const correction = { name: "vaultLibrarian", arguments: { mode: "searchContent", query: "standup" } };
    const second = await daemon.call("PUT", "/v1/traces/x/label", {
      body: { label: "undesirable", note: "should search first", correction },
    });
    expect(second.body).toMatchObject({ label: "undesirable", note: "should search first", correction });
    const detail = await daemon.call("GET", "/v1/traces/x");
    expect(detail.body.history.map((change: any) => [change.label, change.note])).toEqual([
      ["desirable", "fine"],
      ["undesirable", "should search first"],
    ]);
    expect(detail.body.trace.label).toBe("undesirable");
  });

  it("changes only what a label change names: a thumbs-up keeps the note, null clears it, another label drops the correction", async () => {
    await daemon.call("POST", "/v1/traces", { body: { traces: [makeTrace({ id: "kept" })] } });
    const correction = { arguments: { mode: "listDirectory", path: "Meetings" } };
    await daemon.call("PUT", "/v1/traces/kept/label", {
      body: { label: "undesirable", note: "wrong folder", correction },
    });
    // A label sent alone (a thumbs in the review view, or one queued while the daemon was away).
    expect((await daemon.call("PUT", "/v1/traces/kept/label", { body: { label: "undesirable" } })).body).toMatchObject({
      label: "undesirable",
      note: "wrong folder",
      correction,
    });
    expect((await daemon.call("PUT", "/v1/traces/kept/label", { body: { label: "desirable" } })).body).toMatchObject({
      label: "desirable",
      note: "wrong folder",
      correction: null,
    });
    expect(
      (await daemon.call("PUT", "/v1/traces/kept/label", { body: { label: "desirable", note: null } })).body,
    ).toMatchObject({ note: null });
    await daemon.call("PUT", "/v1/traces/kept/label", {
      body: { label: "undesirable", note: "still wrong", correction },
    });
    expect(
      (await daemon.call("PUT", "/v1/traces/kept/label", { body: { label: "undesirable", correction: null } })).body,
    ).toMatchObject({ note: "still wrong", correction: null });
    // The history holds each resulting verdict.
    const history = (await daemon.call("GET", "/v1/traces/kept")).body.history.map((change: any) => [
      change.label,
      change.note,
      change.correction !== null,
    ]);
    expect(history).toEqual([
      ["undesirable", "wrong folder", true],
      ["undesirable", "wrong folder", true],
      ["desirable", "wrong folder", false],
      ["desirable", null, false],
      ["undesirable", "still wrong", true],
      ["undesirable", "still wrong", false],
    ]);
  });

  it("refuses a correction on a call not marked undesirable, and unknown traces", async () => {
    await daemon.call("POST", "/v1/traces", { body: { traces: [makeTrace({ id: "y" })] } });
    const reply = await daemon.call("PUT", "/v1/traces/y/label", {
      body: { label: "desirable", correction: { arguments: {} } },
    });
    expect(reply.status).toBe(400);
    expect(reply.body.error.issues[0].path).toBe("correction");
    expect((await daemon.call("GET", "/v1/traces/y")).body.history, "nothing recorded from a refused label").toEqual(
      [],
    );
    expect((await daemon.call("PUT", "/v1/traces/nope/label", { body: { label: "desirable" } })).status).toBe(404);
    expect(
      (await daemon.call("PUT", "/v1/traces/y/label", { body: { label: "great" } })).body.error.issues[0].path,
    ).toBe("label");
  });
});
