import { Ollama, type Message, type Tool } from "ollama";
import type { ChatMessage, ChatTool, RawChatAnswer, SamplingOptions } from "./chat-types";

/**
 * One chat turn with tools through Ollama's /api/chat: the tools go in the request as OpenAI-style
 * function schemas; calls come back as `message.tool_calls` with object arguments, and tool results go
 * back as `{role: "tool", content, tool_name}`.
 */
export async function chatWithTools(
  host: string,
  model: string,
  messages: ChatMessage[],
  tools: ChatTool[],
  options: SamplingOptions = {},
): Promise<RawChatAnswer> {
  const client = new Ollama({ host });
  const abort = () => client.abort();
  options.signal?.addEventListener("abort", abort, { once: true });
  try {
    const reply = await client.chat({
      model,
      messages: messages.map(toOllamaMessage),
      tools: tools as Tool[],
      stream: false,
      options: {
        temperature: options.temperature ?? 0,
        ...(options.topP !== undefined ? { top_p: options.topP } : {}),
        ...(options.seed !== undefined ? { seed: options.seed } : {}),
        num_predict: options.maxTokens ?? 512,
      },
    });
    return {
      content: reply.message.content ?? "",
      toolCalls: reply.message.tool_calls ?? [],
      promptTokens: reply.prompt_eval_count ?? null,
      completionTokens: reply.eval_count ?? null,
    };
  } finally {
    options.signal?.removeEventListener("abort", abort);
  }
}

function toOllamaMessage(message: ChatMessage): Message {
  if (message.role === "tool")
    return {
      role: "tool",
      content: message.content ?? "",
      ...(message.name ? { tool_name: message.name } : {}),
    } as Message;
  return {
    role: message.role,
    content: message.content ?? "",
    ...(message.tool_calls
      ? {
          tool_calls: message.tool_calls.map((call) => ({
            function: {
              name: call.function.name,
              arguments:
                typeof call.function.arguments === "string"
                  ? JSON.parse(call.function.arguments)
                  : call.function.arguments,
            },
          })),
        }
      : {}),
  };
}
