import { Ollama, type Message, type Tool } from "ollama";

export interface ToolCallAnswer {
  content: string;
  toolCalls: { name: string; arguments: Record<string, unknown> }[];
}

/**
 * One chat turn with tools through Ollama's /api/chat: the tools go in the request as OpenAI-style
 * function schemas and come back as `message.tool_calls` with arguments already parsed.
 */
export async function chatWithTools(host: string, model: string, messages: Message[], tools: Tool[]): Promise<ToolCallAnswer> {
  const reply = await new Ollama({ host }).chat({ model, messages, tools, stream: false });
  return {
    content: reply.message.content ?? "",
    toolCalls: (reply.message.tool_calls ?? []).map((call) => ({ name: call.function.name, arguments: call.function.arguments ?? {} })),
  };
}
