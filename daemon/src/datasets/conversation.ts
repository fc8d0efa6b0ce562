import { extractCalls, isObject, parseSeedText, type ChatMessage, type ToolCall } from "@vault-tuner/shared";
import type { Completion } from "./example";

/** A call with the result the tool gave, when the record kept it. */
export interface CallTurn {
  call: ToolCall;
  result?: string;
}

/** One assistant message read in any call form: text before the calls, the calls, text after them. */
export interface AssistantTurn {
  lead: string | null;
  calls: CallTurn[];
  trailing: string | null;
}

/**
 * Builds a conversation in OpenAI message form: assistant calls as `tool_calls` (arguments as JSON
 * strings, ids `call_<n>` numbered through the conversation) and results as `tool` messages.
 */
export class ConversationBuilder {
  readonly messages: ChatMessage[] = [];
  private callCount = 0;

  push(role: "system" | "user", content: string): this {
    this.messages.push({ role, content });
    return this;
  }

  /** An assistant turn: its calls as one message, each result as a tool message, then any closing text. */
  assistant(turn: AssistantTurn): this {
    if (turn.calls.length === 0) {
      this.messages.push({ role: "assistant", content: joinText(turn.lead, turn.trailing) ?? "" });
      return this;
    }
    const message = this.callMessage(
      turn.calls.map((entry) => entry.call),
      turn.lead,
    );
    this.messages.push(message);
    turn.calls.forEach((entry, i) => {
      if (entry.result !== undefined)
        this.messages.push({
          role: "tool",
          tool_call_id: message.tool_calls?.[i]?.id,
          name: entry.call.name,
          content: entry.result,
        });
    });
    if (turn.trailing) this.messages.push({ role: "assistant", content: turn.trailing });
    return this;
  }

  /** How many call ids have been handed out so far. */
  get callIds(): number {
    return this.callCount;
  }

  /** Continues call numbering after a prompt built elsewhere. */
  skipCallIds(count: number): this {
    this.callCount += count;
    return this;
  }

  /** The labelled turn as one assistant message (not added to the conversation). */
  completionMessage(completion: Completion): ChatMessage {
    if (completion.calls.length === 0) return { role: "assistant", content: completion.text ?? "" };
    return this.callMessage(completion.calls, completion.text);
  }

  private callMessage(calls: ToolCall[], content: string | null): ChatMessage {
    return {
      role: "assistant",
      content,
      tool_calls: calls.map((call) => ({
        id: `call_${++this.callCount}`,
        type: "function" as const,
        function: { name: call.name, arguments: JSON.stringify(call.arguments) },
      })),
    };
  }
}

/** Reads an assistant message of any supported form (OpenAI tool_calls, seed text, Hermes, Mistral). */
export function readAssistantTurn(message: ChatMessage): AssistantTurn {
  const content = typeof message.content === "string" ? message.content : null;
  if (content !== null && !message.tool_calls?.length) {
    const seed = parseSeedText(content);
    if (seed.segments.some((segment) => segment.kind === "call")) {
      const turn: AssistantTurn = { lead: null, calls: [], trailing: null };
      const texts: string[] = [];
      for (const segment of seed.segments) {
        if (segment.kind === "call") {
          if (turn.calls.length === 0) turn.lead = texts.join("").trim() || null;
          texts.length = 0;
          turn.calls.push({ call: { name: segment.name, arguments: asArguments(segment.arguments) } });
        } else if (segment.kind === "result") {
          const last = turn.calls[turn.calls.length - 1];
          if (last) last.result = segment.text.trim();
        } else texts.push(segment.text);
      }
      turn.trailing = texts.join("").trim() || null;
      return turn;
    }
  }
  const extracted = extractCalls(message);
  if (extracted.calls.length === 0) return { lead: content, calls: [], trailing: null };
  const lead = message.tool_calls?.length ? content : null;
  return {
    lead: lead?.trim() || null,
    calls: extracted.calls.map((call) => ({ call: { name: call.name, arguments: asArguments(call.arguments) } })),
    trailing: null,
  };
}

/** A record that cannot become an example; `rule` is the validator rule it breaks. */
export class UnreadableRecord extends Error {
  constructor(
    readonly rule: string,
    message: string,
  ) {
    super(message);
  }
}

/** A call whose arguments are not an object cannot be written as a tool call in any format. */
function asArguments(value: unknown): Record<string, unknown> {
  if (!isObject(value))
    throw new UnreadableRecord(
      "arguments-not-object",
      `a call's arguments are ${JSON.stringify(value)?.slice(0, 60)}, not an object`,
    );
  return value;
}

function joinText(...parts: (string | null)[]): string | null {
  const text = parts.filter((part): part is string => !!part).join("\n\n");
  return text || null;
}
