import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EvalReportSchema, type EvalReport } from "@vault-tuner/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EVAL_SESSION_ID, NOTES } from "../../src/evals/eval-vault";
import { runCli } from "../run-cli";
import {
  CALL_FORMS,
  callsReply,
  startScriptedServer,
  type ScriptedReply,
  type ScriptedRequest,
} from "./scripted-openai";

/**
 * The evaluator's scoring, driven end to end (CLI, backend, sandbox, scorer, report) against scripted
 * replies from a local OpenAI-compatible server. Each of the seed evaluator's known false passes must
 * fail here, for the reason it is wrong.
 */
const context = (sessionId = EVAL_SESSION_ID) => ({
  sessionId,
  workspaceId: "default",
  sessionDescription: "Tidying notes and planning the week",
  sessionMemory: "The user asked for help with their vault notes.",
  toolContext: "Doing what the user asked",
  primaryGoal: "Help the user with the vault",
  subgoal: "Carry out the request",
});
const call = (name: string, args: Record<string, unknown>, sessionId?: string) => ({
  name,
  arguments: { context: context(sessionId), ...args },
});
const said = (content: string): ScriptedReply => ({ content });

/** The scripted "models": each is named by the behaviour it shows. */
function script(request: ScriptedRequest): ScriptedReply {
  const [behaviour, form = "openai"] = request.model.split(":") as [string, (typeof CALL_FORMS)[number]];
  const { turn, userText } = request;
  if (behaviour === "broken") return { status: 500, body: { error: { message: "model crashed" } } };
  if (turn > 1 && behaviour !== "loops") return said("Done.");
  switch (behaviour) {
    case "correct":
      if (userText.includes("green curry"))
        return callsReply(
          [call("contentManager_readContent", { filePath: NOTES.curry })],
          form,
          form === "openai" ? "" : "Let me read it.\n",
        );
      if (userText.includes("buy stamps"))
        return callsReply(
          [call("contentManager_appendContent", { filePath: NOTES.inbox, content: "\n- buy stamps" })],
          form,
        );
      if (userText.includes("Old Ideas"))
        return callsReply([call("vaultManager_deleteNote", { path: NOTES.oldIdeas })], form);
      return said("I can answer that without the vault.");
    case "wrong-path":
      return callsReply([
        call("contentManager_appendContent", { filePath: "Inbox/Quick notes.md", content: "- buy stamps" }),
      ]);
    case "wrong-existing-path":
      return callsReply([call("contentManager_readContent", { filePath: NOTES.plan })]);
    case "extra-delete":
      return callsReply([
        call("contentManager_readContent", { filePath: NOTES.curry }),
        call("vaultManager_deleteFolder", { path: "/", recursive: true }),
      ]);
    case "wrong-session":
      return callsReply([
        call("contentManager_readContent", { filePath: NOTES.curry }, "session_1746500000000_otherone1"),
      ]);
    case "prose-only":
      return said(`I'll permanently delete ${NOTES.oldIdeas} now. Done: it is gone.`);
    case "sloppy":
      return {
        tool_calls: [
          {
            id: "c1",
            type: "function",
            function: { name: "contentManager_readContent", arguments: `{filePath: ${NOTES.curry}` },
          },
        ],
      };
    case "eager":
      return callsReply([call("vaultManager_listDirectory", { path: "/" })]);
    case "loops":
      return callsReply([call("vaultManager_listDirectory", { path: "Projects/Harbor" })]);
    default:
      return said("?");
  }
}

/** Correct multi-step work: each turn's call follows from the one before. */
function multiStep(request: ScriptedRequest): ScriptedReply {
  const { turn, userText, lastResult = "" } = request;
  if (userText.includes("one-line summary of its risks")) {
    if (turn === 1) return callsReply([call("contentManager_readContent", { filePath: NOTES.plan })]);
    if (turn === 2) {
      const risk = /Risks\\n- ([^\\]+?)\\n/.exec(lastResult)?.[1] ?? "unknown";
      return callsReply([call("contentManager_appendContent", { filePath: NOTES.status, content: `\nRisk: ${risk}` })]);
    }
    return said("I appended the risk summary.");
  }
  if (userText.includes("The Overstory")) {
    if (turn === 1) return callsReply([call("vaultLibrarian_searchContent", { query: "Overstory" })]);
    if (turn === 2)
      return callsReply([
        call("vaultManager_moveNote", { path: NOTES.overstory, newPath: "Archive/The Overstory.md" }),
      ]);
    return said("Moved it to Archive.");
  }
  return said("?");
}

let server: Awaited<ReturnType<typeof startScriptedServer>>;
let work: string;
beforeAll(async () => {
  server = await startScriptedServer((request) =>
    request.model === "multi-step" ? multiStep(request) : script(request),
  );
  work = mkdtempSync(join(tmpdir(), "vault-tuner-scoring-"));
});
afterAll(() => server.close());

let runs = 0;
async function evaluate(
  set: string,
  model: string,
  cases: string[],
  extra: string[] = [],
): Promise<{ code: number; report: EvalReport; stdout: string; stderr: string }> {
  const out = join(work, `run-${++runs}.json`);
  const result = await runCli([
    "eval",
    "run",
    "--set",
    set,
    "--backend",
    "openai",
    "--url",
    server.url,
    "--model",
    model,
    "--cases",
    cases.join(","),
    "--out",
    out,
    "--retries",
    "0",
    "--data-dir",
    work,
    ...extra,
  ]);
  if (result.code === 1) throw new Error(result.stderr);
  return { ...result, report: EvalReportSchema.parse(JSON.parse(readFileSync(out, "utf8"))) };
}

const failing = (report: EvalReport, caseId = report.records[0]?.case_id) =>
  Object.entries(report.records.find((record) => record.case_id === caseId)?.checks ?? {})
    .filter(([, check]) => check.status === "fail")
    .map(([name]) => name)
    .sort();

describe("scoring against scripted replies", () => {
  it.each(CALL_FORMS)("reads a call written in the %s form and passes the correct reply", async (form) => {
    const { code, report } = await evaluate("full-coverage", `correct:${form}`, ["contentManager_readContent"]);
    expect(report.records[0]).toMatchObject({
      status: "passed",
      turns: 2,
      calls: [{ form, tool: "contentManager_readContent", is_error: false }],
    });
    expect(report.records[0]?.calls[0]?.result).toContain("coconut milk");
    expect(code).toBe(0);
  });

  it("fails the right tool with a wrong path: the arguments and the vault say so", async () => {
    const { code, report } = await evaluate("full-coverage", "wrong-path", ["contentManager_appendContent"]);
    expect(report.records[0]?.status).toBe("failed");
    expect(failing(report)).toEqual(["arguments", "final-state"]);
    expect(report.records[0]?.checks.arguments?.reasons[0]).toContain(
      'filePath is "Inbox/Quick notes.md", expected the path "Inbox/Quick Notes.md"',
    );
    expect(report.records[0]?.calls[0]?.is_error).toBe(true);
    expect(code).toBe(2);
    // A wrong path that exists: nothing is written, but it is still the wrong note.
    const other = await evaluate("full-coverage", "wrong-existing-path", ["contentManager_readContent"]);
    expect(failing(other.report)).toEqual(["arguments"]);
  });

  it("fails the right tool plus an extra deleteFolder, even though the sandbox refused it", async () => {
    const { report } = await evaluate("full-coverage", "extra-delete", ["contentManager_readContent"]);
    expect(failing(report)).toEqual(["extra-calls"]);
    expect(report.records[0]?.checks["extra-calls"]?.reasons).toEqual([
      "call 2: vaultManager_deleteFolder is an extra destructive call",
    ]);
    expect(report.records[0]?.checks.selection?.status).toBe("pass");
  });

  it("fails a call with the wrong session id", async () => {
    const { report } = await evaluate("full-coverage", "wrong-session", ["contentManager_readContent"]);
    expect(failing(report)).toEqual(["ids"]);
    expect(report.records[0]?.checks.ids?.reasons[0]).toContain(
      '"session_1746500000000_otherone1" differs from <session_context>',
    );
  });

  it("fails prose that claims an action without a call", async () => {
    const { report } = await evaluate("full-coverage", "prose-only", ["vaultManager_deleteNote"]);
    expect(failing(report)).toEqual(["final-state", "selection"]);
    expect(report.records[0]?.checks["final-state"]?.reasons).toEqual([`${NOTES.oldIdeas} should have been deleted`]);
    const done = await evaluate("full-coverage", "correct", ["vaultManager_deleteNote"]);
    expect(done.report.records[0]?.status).toBe("passed");
  });

  it("fails arguments that are not JSON as unreadable, and the model hears why", async () => {
    const { report } = await evaluate("full-coverage", "sloppy", ["contentManager_readContent"]);
    expect(failing(report)).toContain("parsed");
    expect(report.records[0]?.checks.parsed?.reasons[0]).toContain("not valid JSON");
  });

  it("passes correct multi-step work whose later calls use earlier results", async () => {
    const { code, report } = await evaluate("combos", "multi-step", [
      "combo_read_then_append",
      "combo_search_then_move",
    ]);
    for (const record of report.records)
      expect({ id: record.case_id, status: record.status, reasons: record.failure_reasons }).toEqual({
        id: record.case_id,
        status: "passed",
        reasons: [],
      });
    expect(report.records[0]?.calls.map((item) => item.tool)).toEqual([
      "contentManager_readContent",
      "contentManager_appendContent",
    ]);
    expect(report.records.every((record) => record.turns === 3)).toBe(true);
    expect(code).toBe(0);
  });

  it("passes words for a request that needs no tool and fails any call there", async () => {
    const words = await evaluate("irrelevance", "correct", ["irrelevance_haiku", "irrelevance_thanks"]);
    expect(words.report.summary).toMatchObject({ total: 2, passed: 2 });
    const eager = await evaluate("irrelevance", "eager", ["irrelevance_haiku"]);
    expect(failing(eager.report)).toEqual(["irrelevance"]);
  });

  it("stops a model that never stops calling at the turn limit", async () => {
    const { report } = await evaluate("full-coverage", "loops", ["vaultManager_listDirectory"], ["--turn-limit", "3"]);
    expect(report.records[0]).toMatchObject({ status: "failed", turns: 3 });
    expect(failing(report)).toEqual(["finished"]);
    // The reason names the limit the run used, not the case's own (8 in the built-in sets).
    expect(report.records[0]?.failure_reasons).toEqual(["finished: still calling tools after 3 turns"]);
  });

  it("counts a server error as a request error, not a failure, and exits 3", async () => {
    const { code, report } = await evaluate("full-coverage", "broken", ["contentManager_readContent"]);
    expect(report.summary).toMatchObject({ total: 1, passed: 0, failed: 0, request_errors: 1, pass_rate: null });
    expect(report.records[0]?.error).toContain("answered 500");
    expect(code).toBe(3);
  });
});
