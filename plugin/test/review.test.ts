import { readFileSync } from "node:fs";
import { join } from "node:path";
import { builtinCatalog, type Catalog, type StoredTrace } from "@vault-tuner/shared";
import { describe, expect, it } from "vitest";
import { resultText, summarizeCall } from "../src/review/call-summary";
import { sessionCatalog } from "../src/review/catalog-for";
import { checkCorrection } from "../src/review/correction";
import { ReviewState } from "../src/review/review-state";
import { ROUTES, routeUrl } from "@vault-tuner/shared";
import { EMPTY_FILTER, filterSummary, traceQuery } from "../src/review/review-filter";
import { labelWords } from "../src/labels/label-outcome";

const context = {
  sessionId: "session_1731000000000_abc123def",
  workspaceId: "default",
  sessionDescription: "Reading meeting notes",
  sessionMemory: "The user keeps notes in Meetings/.",
  toolContext: "Open the note",
  primaryGoal: "Summarise the standup",
  subgoal: "Read the note",
};

function trace(id: string, recordedAt: string, session = "s1", overrides: Partial<StoredTrace> = {}): StoredTrace {
  return {
    id,
    recordedAt,
    receivedAt: recordedAt,
    source: { transport: "stdio-tap" },
    session,
    call: {
      name: "contentManager",
      arguments: { context, mode: "readContent", limit: 20, filePath: `Meetings/${id}.md` },
    },
    result: { content: [{ type: "text", text: '{"success":true}' }] },
    failed: false,
    suggestion: null,
    label: "unlabeled",
    ...overrides,
  } as StoredTrace;
}

describe("a call as a line to scan", () => {
  it("names the wire form's agent and mode, puts the path first and leaves the context out", () => {
    expect(summarizeCall(trace("a", "2026-11-28T10:00:00Z").call)).toEqual({
      title: "contentManager · readContent",
      args: "filePath: Meetings/a.md · limit: 20",
      goal: "Summarise the standup",
    });
    const long = summarizeCall({
      name: "contentManager_createContent",
      arguments: { content: "x".repeat(200), filePath: "b.md" },
    });
    expect(long.args).toBe(`filePath: b.md · content: ${"x".repeat(59)}…`);
    expect(
      resultText(
        trace("e", "2026-11-28T10:00:00Z", "s1", {
          error: { code: -32000, message: "socket closed" },
        } as Partial<StoredTrace>),
      ),
    ).toBe("Error -32000: socket closed");
  });

  it("names a Nexus useTools call by the commands in its string, and shows the string first", () => {
    const summary = summarizeCall({
      name: "toolManager_useTools",
      arguments: {
        sessionId: "weekly",
        workspaceId: "default",
        memory: "Planning.",
        goal: "Tidy the plan",
        tool: 'content read "Plans/week.md" 1, storage move a.md "Archive/a, b.md"',
      },
    });
    expect(summary.title).toBe("useTools · content read, storage move");
    expect(summary.args).toMatch(/^tool: content read "Plans\/week.md" 1, storage move/);
    expect(summary.goal).toBe("Tidy the plan");
  });
});

describe("the review list", () => {
  it("moves with j/k within bounds and turns u/d/n/e into actions on the selected call", () => {
    const state = new ReviewState();
    expect(state.key("u")).toEqual({ do: "nothing" });
    state.replace([
      trace("c", "2026-11-28T10:02:00Z"),
      trace("b", "2026-11-28T10:01:00Z"),
      trace("a", "2026-11-28T10:00:00Z"),
    ]);
    expect(state.key("k")).toEqual({ do: "select", index: 0 });
    expect(state.key("j")).toEqual({ do: "select", index: 1 });
    expect(state.key("u")).toEqual({ do: "label", traceId: "b", label: "desirable" });
    expect(state.key("d")).toEqual({ do: "label", traceId: "b", label: "undesirable" });
    expect(state.key("n")).toEqual({ do: "note", traceId: "b" });
    expect(state.key("e")).toEqual({ do: "correct", traceId: "b" });
    state.key("j");
    expect(state.key("j")).toEqual({ do: "select", index: 2 });
    expect(state.key("x")).toEqual({ do: "nothing" });
  });

  it("puts live calls on top without moving the selection off the call being read, and shows labels made elsewhere", () => {
    const state = new ReviewState();
    state.replace([trace("b", "2026-11-28T10:01:00Z"), trace("a", "2026-11-28T10:00:00Z", "s2")]);
    state.key("j");
    state.prepend([
      trace("c", "2026-11-28T10:02:00Z"),
      trace("d", "2026-11-28T10:03:00Z"),
      trace("a", "2026-11-28T10:00:00Z"),
    ]);
    expect(state.items.map((item) => item.id)).toEqual(["d", "c", "b", "a"]);
    expect(state.current?.id).toBe("a");
    state.setLabel("a", "desirable");
    expect(state.current?.label).toBe("desirable");
    expect(state.sessionOf("b").map((item) => item.id)).toEqual(["d", "c", "b"]);
    state.replace([trace("a", "2026-11-28T10:00:00Z", "s2")]);
    expect(state.current?.id).toBe("a");
  });
});

describe("the correction editor", () => {
  const catalog = builtinCatalog("claudesidian-3") as Catalog;

  it("accepts a valid call and returns the correction to save", () => {
    const text = JSON.stringify({ context, filePath: "Meetings/standup.md" });
    expect(checkCorrection("contentManager_readContent", text, catalog)).toEqual({
      ok: true,
      correction: { name: "contentManager_readContent", arguments: JSON.parse(text) },
      warnings: [],
    });
  });

  it("says where the JSON breaks, which tool does not exist, and what the catalog refuses", () => {
    const broken = checkCorrection("contentManager_readContent", '{\n  "filePath": "a.md",\n  }', catalog);
    expect(broken).toMatchObject({
      ok: false,
      problems: [expect.stringMatching(/^the arguments are not valid JSON: line 3, column 3/)],
    });
    expect(checkCorrection("contentManager_readNote", "{}", catalog)).toMatchObject({
      ok: false,
      problems: [expect.stringContaining('did you mean "contentManager_readContent"')],
    });
    const missing = checkCorrection("contentManager_readContent", JSON.stringify({ context }), catalog);
    expect(missing).toMatchObject({ ok: false, problems: [expect.stringContaining("filePath")] });
  });
});

describe("the review filters", () => {
  it("become a trace query of only the fields set, and a summary in words", () => {
    expect(traceQuery(EMPTY_FILTER, 50)).toEqual({ label: "unlabeled", limit: 50 });
    const narrowed = { label: "" as const, failedOnly: true, tool: " vaultManager ", session: "", search: "Meetings/" };
    expect(traceQuery(narrowed, 20, "c1")).toEqual({
      failed: true,
      tool: "vaultManager",
      q: "Meetings/",
      limit: 20,
      cursor: "c1",
    });
    // As the route client sends it.
    expect(routeUrl(ROUTES.listTraces, { query: traceQuery(narrowed, 20, "c1") })).toBe(
      "/v1/traces?failed=true&tool=vaultManager&q=Meetings%2F&limit=20&cursor=c1",
    );
    expect(filterSummary(narrowed, 3, true)).toBe('3+ calls: failed, tool vaultManager, containing "Meetings/"');
    expect(filterSummary({ ...EMPTY_FILTER, label: "" }, 1, false)).toBe("1 call");
  });
});

describe("what became of labels, in words", () => {
  it("says saved, kept for later with why, or refused with which and why", () => {
    expect(labelWords({ given: 1, sent: 1, refused: [], waiting: 0 })).toBe("Saved 1 label.");
    expect(
      labelWords({
        given: 3,
        sent: 0,
        refused: [],
        waiting: 4,
        reason: "the Vault Tuner daemon is not running at http://127.0.0.1:51717",
      }),
    ).toBe(
      "Kept 3 labels here: the daemon is not reachable (the Vault Tuner daemon is not running at http://127.0.0.1:51717). 4 labels will be sent when it is.",
    );
    expect(labelWords({ given: 1, sent: 0, refused: [{ traceId: "t9", message: "no trace t9" }], waiting: 0 })).toBe(
      "The daemon refused 1 label (t9: no trace t9).",
    );
  });
});

describe("the correction editor's toolset", () => {
  const dump = (version: string) =>
    JSON.parse(
      readFileSync(
        join(import.meta.dirname, "..", "..", "..", "shared", "data", `nexus-${version}`, "mcp-tools.json"),
        "utf8",
      ),
    );
  const nexusTrace = {
    id: "n1",
    toolsetHash: "a".repeat(64),
    call: {
      name: "toolManager_useTools",
      arguments: { memory: "Tidying.", goal: "Tidy", tool: "content read a.md 1" },
    },
  } as unknown as StoredTrace;
  const correction = JSON.stringify({
    sessionId: "tidy",
    workspaceId: "default",
    memory: "Tidying the inbox.",
    goal: "Drop the status",
    tool: "content remove-property Inbox.md status",
  });

  it("checks a Nexus command string against the release the session saw, as the user types", async () => {
    const on = async (version: string) =>
      sessionCatalog("auto", nexusTrace, async () => ({ tools: dump(version).tools }));
    const newer = await on("5.20.1");
    expect(newer.commands?.some((command) => command.command === "content remove-property")).toBe(true);
    expect(checkCorrection("toolManager_useTools", correction, newer).ok).toBe(true);
    const older = checkCorrection("toolManager_useTools", correction, await on("5.17.2"));
    expect(older.ok).toBe(false);
    expect(!older.ok && older.problems.join()).toContain('unknown command "content remove-property"');
    const missing = checkCorrection("toolManager_useTools", correction.replace("Inbox.md status", "Inbox.md"), newer);
    expect(missing.ok).toBe(false);
    expect(!missing.ok && missing.problems.join()).toContain("property");
  });

  it("falls back to the built-in toolset with the tool when the daemon has no stored tools/list", async () => {
    const fallback = await sessionCatalog("auto", nexusTrace, async () => {
      throw new Error("404");
    });
    expect(fallback.id).toBe("nexus-5.20.1");
  });
});
