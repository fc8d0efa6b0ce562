import type { EvalRecord } from "@vault-tuner/shared";
import { describe, expect, it } from "vitest";
import type { EvalBackend } from "../../src/evals/backends/eval-backend";
import { loadPromptSet, selectCases } from "../../src/evals/prompt-sets";
import { runEval } from "../../src/evals/run-eval";
import { NOTES } from "../../src/evals/eval-vault";

const CONTEXT = {
  sessionId: "harbor-eval",
  workspaceId: "default",
  memory: "The user asked for this.",
  goal: "Do it.",
};

/** A backend that makes the given useTools calls on its first turn (one per string), then says it is done. */
function scripted(firstTurn: Array<string | Record<string, unknown>>): EvalBackend {
  return {
    info: { kind: "reference", model: "scripted", grammar_constrained: false, temperature: 0, top_p: 1, max_tokens: 0 },
    maxConcurrency: 1,
    async chat(messages) {
      const turn = messages.filter((message) => message.role === "assistant").length;
      // The case's own earlier getTools turn counts as one: the model's first turn is the one after it.
      const seenTurns = messages.some((message) => message.role === "tool") ? 1 : 0;
      if (turn > seenTurns) return { content: "Done.", toolCalls: [], promptTokens: null, completionTokens: null };
      return {
        content: "",
        toolCalls: firstTurn.map((call, index) => ({
          id: `c${index}`,
          type: "function",
          function: {
            name: typeof call === "string" ? "toolManager_useTools" : String(call.name),
            arguments: JSON.stringify(typeof call === "string" ? { ...CONTEXT, tool: call } : call.arguments),
          },
        })),
        promptTokens: null,
        completionTokens: null,
      };
    },
    close: async () => undefined,
  };
}

async function score(
  setId: string,
  caseId: string,
  calls: Array<string | Record<string, unknown>>,
): Promise<EvalRecord> {
  const set = selectCases(loadPromptSet(setId), [caseId]);
  const report = await runEval({ set, backend: scripted(calls) });
  return report.records[0] as EvalRecord;
}

const failed = (record: EvalRecord) =>
  Object.entries(record.checks)
    .filter(([, check]) => check.status === "fail")
    .map(([name]) => name)
    .sort();

describe("scoring Nexus calls command by command", () => {
  const append = `content insert "${NOTES.inbox}" "- buy stamps" -1`;

  it("passes the right command with the right arguments", async () => {
    const record = await score("nexus-full-coverage", "content_insert", [append]);
    expect(record.status).toBe("passed");
  });

  it("fails another command for the request (selection) and the vault it left", async () => {
    const record = await score("nexus-full-coverage", "content_insert", [
      `content write Inbox/Stamps.md "- buy stamps"`,
    ]);
    expect(failed(record)).toEqual(["extra-calls", "final-state", "selection"]);
  });

  it("fails the right command with a wrong argument", async () => {
    const record = await score("nexus-full-coverage", "content_insert", [
      `content insert "${NOTES.inbox}" "- buy stamps" 1`,
    ]);
    expect(failed(record)).toEqual(["arguments", "final-state"]);
    expect(record.failure_reasons.join("\n")).toContain("startLine is 1, expected -1");
  });

  it("fails a writing command batched beyond the expected one, in the same call", async () => {
    const record = await score("nexus-full-coverage", "content_insert", [`${append}, storage create-folder Junk`]);
    expect(failed(record)).toEqual(["extra-calls", "final-state"]);
    expect(record.failure_reasons.join("\n")).toContain("storage create-folder is an extra writing call");
  });

  it("lets reading commands come along freely", async () => {
    const record = await score("nexus-full-coverage", "content_insert", [`content read "${NOTES.inbox}" 1, ${append}`]);
    expect(record.status).toBe("passed");
  });

  it("fails a batch the plugin would refuse whole: nothing runs", async () => {
    const record = await score("nexus-full-coverage", "content_insert", [`${append}, content frobnicate x`]);
    expect(failed(record)).toEqual(["final-state", "schema"]);
    expect(record.failure_reasons.join("\n")).toContain('unknown command "content frobnicate"');
  });

  it("fails a call without memory: the schema says so and the sandbox runs nothing", async () => {
    const record = await score("nexus-full-coverage", "content_insert", [
      {
        name: "toolManager_useTools",
        arguments: { sessionId: "harbor-eval", workspaceId: "default", goal: "g", tool: append },
      },
    ]);
    expect(failed(record)).toEqual(["final-state", "schema"]);
  });

  it("fails a discovery case whose command is used without looking it up first", async () => {
    const skipped = await score("nexus-discovery", "discover_list_canvases", ["canvas list"]);
    expect(failed(skipped)).toEqual(["selection"]);
    expect(skipped.failure_reasons.join("\n")).toContain("toolManager_getTools is not called");
  });
});
