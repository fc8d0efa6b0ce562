import { canonicalJson, type StoredTrace, type TraceDetail, type TraceFilter } from "@vault-tuner/shared";
import type { TraceStore } from "../../store/trace-store";
import { callContext } from "./call-context";
import { ConversationBuilder } from "../conversation";
import type { Example } from "../example";
import { nexusSystemPrompt } from "./nexus-conversation";
import { recordedRequest, systemPrompt } from "./system-prompt";
import type { ToolsetRegistry } from "./toolset-registry";

/** Tool results in a prompt are cut here: a 50 kB note read earlier should not crowd out the call. */
export const MAX_RESULT_CHARS = 4000;

export interface TraceExamples {
  examples: Example[];
  /** Matching traces nobody has labelled yet (not used). */
  unlabeled: number;
  /** Desirable examples made from corrections of undesirable calls. */
  corrections: number;
  read: number;
}

/**
 * Turns labelled traces into examples. The prompt is the session as the model lived it: the system
 * prompt with the session's ids, the goal it wrote as the user turn, then every earlier call of the
 * session with its result. A correction on an undesirable call adds the corrected call as a desirable
 * example with the same prompt. A call the recorder had to cut (marked truncated) holds markers
 * instead of some values: it would teach them, so only its correction is used.
 */
export function examplesFromTraces(
  store: TraceStore,
  filter: TraceFilter,
  toolsets: ToolsetRegistry,
  drop: (source: string, rule: string, message: string) => void,
): TraceExamples {
  const out: TraceExamples = { examples: [], unlabeled: 0, corrections: 0, read: 0 };
  let sessionName: string | undefined;
  let sessionTraces: StoredTrace[] = [];
  for (const detail of store.iterate(filter)) {
    out.read++;
    if (detail.label === "unlabeled") {
      out.unlabeled++;
      continue;
    }
    if (detail.trace.session !== sessionName) {
      sessionName = detail.trace.session;
      sessionTraces = store.session(sessionName);
    }
    const before = sessionTraces.slice(
      0,
      sessionTraces.findIndex((trace) => trace.id === detail.trace.id),
    );
    const retryOf = before.find((trace) => isRetryOf(detail.trace, trace));
    if (retryOf) {
      drop(
        `trace:${detail.trace.id}`,
        "operation-retry",
        `an exact retry of trace ${retryOf.id} (operationId ${String(detail.trace.call.arguments.operationId)}): the plugin answered it without running it again, so it is one call`,
      );
      continue;
    }
    // The session as the model lived it: a retried call happened once.
    const earlier = before.filter((trace, index) => !before.slice(0, index).some((first) => isRetryOf(trace, first)));
    const examples = examplesOf(detail, earlier, sessionTraces[0] ?? detail.trace, toolsets);
    if (detail.trace.truncated) {
      drop(
        `trace:${detail.trace.id}`,
        "call-truncated",
        "the recorder cut values of this call (too large or too deep to deliver); only a correction of it is used",
      );
      examples.shift();
    }
    out.examples.push(...examples);
    if (detail.label === "undesirable" && detail.correction) out.corrections++;
  }
  return out;
}

function examplesOf(
  detail: TraceDetail,
  earlier: StoredTrace[],
  first: StoredTrace,
  toolsets: ToolsetRegistry,
): Example[] {
  const { trace } = detail;
  const toolset = toolsets.keyForTrace(trace.call.name, trace.toolsetHash);
  const context = callContext(first.call.arguments);
  // A Nexus session is trained with the Nexus prompt, the one the built-in Nexus sets evaluate with.
  const system = toolsets.catalog(toolset).dispatcher
    ? nexusSystemPrompt(context.sessionId ?? trace.session)
    : systemPrompt(context);
  const conversation = new ConversationBuilder().push("system", system).push("user", recordedRequest(context));
  for (const previous of earlier)
    conversation.assistant({
      lead: null,
      calls: [{ call: previous.call, result: resultText(previous) }],
      trailing: null,
    });
  const base = { session: `trace-session:${trace.session}`, prompt: conversation.messages, toolset };
  const examples: Example[] = [
    {
      ...base,
      source: `trace:${trace.id}`,
      label: detail.label === "desirable",
      completion: { calls: [trace.call], text: null },
    },
  ];
  if (detail.label === "undesirable" && detail.correction) {
    const corrected = { name: detail.correction.name ?? trace.call.name, arguments: detail.correction.arguments };
    examples.push({
      ...base,
      source: `correction:${trace.id}`,
      label: true,
      completion: { calls: [corrected], text: null },
    });
  }
  return examples;
}

/** What the model saw back from a call: the result's text, or the error. */
function resultText(trace: StoredTrace): string {
  const text = trace.error
    ? `Error ${trace.error.code}: ${trace.error.message}`
    : (trace.result?.content ?? [])
        .map((item) =>
          typeof item === "object" && item && "text" in item && typeof item.text === "string"
            ? item.text
            : JSON.stringify(item),
        )
        .join("\n");
  return text.length > MAX_RESULT_CHARS
    ? `${text.slice(0, MAX_RESULT_CHARS)}\n[… ${text.length - MAX_RESULT_CHARS} more characters]`
    : text;
}

/**
 * Whether `later` repeats `first` under the same Nexus `operationId` with the same call: a client that
 * lost the answer and tried again. The plugin replays the first answer, so the session made that call once.
 */
function isRetryOf(later: StoredTrace, first: StoredTrace): boolean {
  const id = later.call.arguments.operationId;
  if (typeof id !== "string" || first.call.arguments.operationId !== id || first.call.name !== later.call.name)
    return false;
  const request = (trace: StoredTrace) => {
    const { memory: _memory, goal: _goal, ...rest } = trace.call.arguments;
    return canonicalJson(rest);
  };
  return request(later) === request(first);
}
