import {
  builtinCatalog,
  readSessionContext,
  type ContextStyle,
  type EvalCase,
  type PromptSet,
} from "@vault-tuner/shared";
import type { ChatMessage, RawChatAnswer } from "../../inference/chat-types";
import type { EvalBackend } from "./eval-backend";

/** The context object a careful model writes: the session context's ids and a few words in every field. */
export function referenceContext(evalCase: EvalCase): Record<string, string> {
  const system = evalCase.messages.find((message) => message.role === "system")?.content ?? "";
  const ids = readSessionContext(system);
  return {
    sessionId: ids?.sessionId ?? "session_1700000000000_reference",
    workspaceId: ids?.workspaceId ?? "default",
    sessionDescription: "Working on the user's request in the vault",
    sessionMemory: "The user asked for this in the current session.",
    toolContext: "Carrying out the user's request",
    primaryGoal: "Do what the user asked in the vault",
    subgoal: "Make the next call the request needs",
  };
}

/** The Nexus form of the same: the session's name, the workspace, and a few words of memory and goal at the top level. */
export function referenceTopLevelContext(evalCase: EvalCase): Record<string, string> {
  const context = referenceContext(evalCase);
  return {
    sessionId: context.sessionId as string,
    workspaceId: context.workspaceId as string,
    memory: "The user asked for this in the current session.",
    goal: "Do what the user asked in the vault.",
  };
}

/**
 * Turn `turn` (1-based) of the case's reference: its calls, or the closing words once they are done. The
 * context goes where the set's toolset wants it: one `context` object (3.x) or top-level fields (Nexus).
 */
export function referenceAnswer(
  evalCase: EvalCase,
  turn: number,
  contextStyle: ContextStyle = "context-object",
): RawChatAnswer {
  const calls = evalCase.reference?.[turn - 1];
  if (!evalCase.reference)
    return {
      content: "(this case has no reference solution)",
      toolCalls: [],
      promptTokens: null,
      completionTokens: null,
    };
  if (!calls)
    return {
      content: evalCase.kind === "irrelevance" ? "No vault tool is needed for that." : "Done.",
      toolCalls: [],
      promptTokens: null,
      completionTokens: null,
    };
  const context =
    contextStyle === "context-object"
      ? { context: referenceContext(evalCase) }
      : contextStyle === "top-level"
        ? referenceTopLevelContext(evalCase)
        : {};
  return {
    content: "",
    toolCalls: calls.map((call, index) => ({
      id: `ref_${turn}_${index + 1}`,
      type: "function",
      function: { name: call.tool, arguments: JSON.stringify({ ...context, ...call.arguments }) },
    })),
    promptTokens: null,
    completionTokens: null,
  };
}

/**
 * Finds the case a conversation belongs to: the case whose messages the conversation starts with (cases
 * from one recorded session share their first messages, so the whole start is compared), and how many
 * turns the model has had since.
 */
export function caseLookup(
  set: PromptSet,
): (messages: ChatMessage[]) => { evalCase: EvalCase; turn: number } | undefined {
  const key = (messages: readonly { role: string; content?: string | null }[]) =>
    JSON.stringify(messages.map((message) => [message.role, message.content ?? null]));
  const byStart = new Map(set.cases.map((evalCase) => [key(evalCase.messages), evalCase]));
  const lengths = [...new Set(set.cases.map((evalCase) => evalCase.messages.length))].sort((a, b) => b - a);
  return (messages) => {
    for (const length of lengths) {
      const evalCase = byStart.get(key(messages.slice(0, length)));
      if (evalCase)
        return { evalCase, turn: messages.slice(length).filter((message) => message.role === "assistant").length + 1 };
    }
    return undefined;
  };
}

/**
 * Replays each case's reference solution through the same loop, sandbox and scorer as a model. A case
 * that fails its own reference is a broken case: `vault-tuner eval check` runs this over a set.
 */
export function referenceBackend(set: PromptSet): EvalBackend {
  const contextStyle = builtinCatalog(set.catalog)?.contextStyle ?? "context-object";
  return {
    info: {
      kind: "reference",
      model: `${set.id} reference solutions`,
      grammar_constrained: false,
      temperature: 0,
      top_p: 1,
      max_tokens: 0,
    },
    maxConcurrency: 16,
    async chat(messages, _tools, _signal, evalCase) {
      if (!evalCase) throw new Error("the reference backend answers only within an evaluation run");
      const turn =
        messages.slice(evalCase.messages.length).filter((message) => message.role === "assistant").length + 1;
      return referenceAnswer(evalCase, turn, contextStyle);
    },
    close: async () => undefined,
  };
}
