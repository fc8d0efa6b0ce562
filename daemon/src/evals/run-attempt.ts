import { extractCalls, isObject, type Catalog, type EvalCase, type EvalRecord } from "@vault-tuner/shared";
import { scoreAttempt, type AttemptTranscript, type ExecutedCall } from "./scoring/score-attempt";
import type { ChatMessage, ChatTool } from "../inference/chat-types";
import { RequestError, type EvalBackend } from "./backends/eval-backend";
import { VaultSandbox } from "./sandbox";

/** Longest tool result kept in a report record; the model itself always gets the whole text. */
const RESULT_EXCERPT = 500;

/**
 * One try of one case: the conversation runs turn by turn against the backend; every call the model
 * writes (in whatever form) runs in a fresh sandbox copy of the case's vault and its result goes back,
 * until the model answers without a call or the turn limit is reached. Then it is scored.
 */
export async function runAttempt(
  evalCase: EvalCase,
  attempt: number,
  catalog: Catalog,
  tools: ChatTool[],
  backend: EvalBackend,
  options: { turnLimit?: number; signal?: AbortSignal } = {},
): Promise<EvalRecord> {
  const turnLimit = options.turnLimit ?? evalCase.turnLimit;
  const sandbox = await VaultSandbox.open(evalCase.vault, catalog.id);
  const requests: EvalRecord["requests"] = [];
  const transcript: AttemptTranscript = { turns: [], stop: "turn-limit" };
  const messages: ChatMessage[] = evalCase.messages.map((message) => ({ ...message }) as ChatMessage);
  let finalAnswer = "";
  let requestError: string | undefined;
  try {
    const before = sandbox.snapshot();
    for (let turn = 1; turn <= turnLimit; turn++) {
      const started = performance.now();
      let answer;
      try {
        answer = await backend.chat(messages, tools, options.signal, evalCase);
      } catch (error) {
        if (error instanceof RequestError) {
          requestError = error.message;
          break;
        }
        throw error;
      }
      requests.push({
        latency_ms: Math.round(performance.now() - started),
        prompt_tokens: answer.promptTokens,
        completion_tokens: answer.completionTokens,
      });
      const extracted = extractCalls({ content: answer.content, tool_calls: answer.toolCalls });
      const parseErrors = extracted.errors.map((error) => `${error.form}: ${error.message}`);
      if (answer.stop === "context-full") {
        // A conversation that no longer fits the context cannot go on: the model ran away (fails `finished`).
        transcript.turns.push({ content: answer.content, calls: [], parseErrors });
        transcript.stop = "context-full";
        break;
      }
      if (extracted.calls.length === 0) {
        transcript.turns.push({ content: answer.content, calls: [], parseErrors });
        transcript.stop = answer.stop === "max-tokens" ? "token-limit" : "answered";
        finalAnswer = answer.content;
        break;
      }
      const ids = extracted.calls.map((call, index) => call.id ?? `call_${turn}_${index + 1}`);
      const executed: ExecutedCall[] = [];
      const results: ChatMessage[] = [];
      for (const [index, call] of extracted.calls.entries()) {
        // Arguments that are not an object cannot be sent; the model hears why, as the plugin would say it.
        const result = isObject(call.arguments)
          ? await sandbox.call(call.name, call.arguments)
          : { text: "❌ Error: the arguments are not a JSON object", isError: true };
        executed.push({
          turn,
          form: call.form,
          name: call.name,
          arguments: call.arguments,
          result: result.text,
          isError: result.isError,
        });
        results.push({ role: "tool", content: result.text, tool_call_id: ids[index], name: call.name });
      }
      transcript.turns.push({ content: answer.content, calls: executed, parseErrors });
      // Calls written as text are sent back in OpenAI form, so every backend's template renders them its own way.
      const onlyStructured = extracted.calls.every((call) => call.form === "openai");
      messages.push({
        role: "assistant",
        content: onlyStructured ? answer.content || null : null,
        tool_calls: extracted.calls.map((call, index) => ({
          id: ids[index],
          function: { name: call.name, arguments: isObject(call.arguments) ? call.arguments : {} },
        })),
      });
      messages.push(...results);
    }
    const after = sandbox.snapshot();
    const calls = transcript.turns
      .flatMap((turn) => turn.calls)
      .map((call) => ({
        turn: call.turn,
        form: call.form,
        tool: call.name,
        arguments: call.arguments,
        result: excerpt(call.result),
        is_error: call.isError,
      }));
    const base = {
      case_id: evalCase.id,
      attempt,
      kind: evalCase.kind,
      tags: evalCase.tags,
      expected_tools: evalCase.expect.calls.map((call) => call.tool),
      calls,
      final_answer: excerpt(finalAnswer),
      turns: transcript.turns.length,
      requests,
    };
    if (requestError !== undefined)
      return { ...base, status: "request-error", checks: {}, failure_reasons: [], error: requestError };
    const score = scoreAttempt(evalCase, catalog, transcript, before, after);
    return {
      ...base,
      status: score.passed ? "passed" : "failed",
      checks: score.checks,
      failure_reasons: score.failureReasons,
    };
  } finally {
    await sandbox.close();
  }
}

function excerpt(text: string): string {
  return text.length > RESULT_EXCERPT ? `${text.slice(0, RESULT_EXCERPT)}…` : text;
}
