/** A chat message in the OpenAI shape the plugin, the evaluator and the backends exchange. */
export interface ChatMessage {
  role: "system" | "user" | "assistant" | "tool";
  content?: string | null;
  tool_calls?: { id?: string; function: { name: string; arguments: Record<string, unknown> | string } }[];
  /** On a tool message: the call it answers, and the tool's name (Ollama keys results by name). */
  tool_call_id?: string;
  name?: string;
}

export interface ChatTool {
  type: "function";
  function: { name: string; description?: string; parameters?: Record<string, unknown> };
}

/** How to sample; the evaluator records these with every score. */
export interface SamplingOptions {
  temperature?: number;
  topP?: number;
  maxTokens?: number;
  seed?: number;
  signal?: AbortSignal;
}

/** An answer with its calls read into objects (what POST /v1/chat returns). */
export interface ToolCallAnswer {
  content: string;
  toolCalls: { name: string; arguments: Record<string, unknown> }[];
}

/**
 * An answer as the backend gave it: `toolCalls` is the raw OpenAI-shaped `tool_calls` (arguments may be
 * a JSON string that does not parse), for the evaluator's codecs to read along with calls written in
 * the text. Token counts are null where the backend does not report them.
 */
export interface RawChatAnswer {
  content: string;
  toolCalls: unknown;
  promptTokens: number | null;
  completionTokens: number | null;
  /**
   * Why the reply ended, where the backend can tell: its own end of turn, the token limit, or the model's
   * context filling up. Unknown is read as an end of turn.
   */
  stop?: ReplyStop;
}

export type ReplyStop = "end" | "max-tokens" | "context-full";
