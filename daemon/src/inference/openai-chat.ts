import type { ChatMessage, ChatTool } from "./embedded-chat";
import type { ToolCallAnswer } from "./ollama-chat";

/** A chat endpoint that failed, said plainly (not running, refused, or an answer we cannot read). */
export class ChatBackendError extends Error {}

/**
 * One chat turn with tools against an OpenAI-compatible server (LM Studio, llama.cpp's llama-server,
 * vLLM) by URL: `POST {baseUrl}/chat/completions` with `tools`; the answer's `tool_calls` carry their
 * arguments as JSON strings, parsed here. `baseUrl` ends in /v1 (http://127.0.0.1:1234/v1).
 */
export async function chatWithToolsOpenAi(baseUrl: string, model: string, messages: ChatMessage[], tools: ChatTool[], options: { apiKey?: string; maxTokens?: number; signal?: AbortSignal } = {}): Promise<ToolCallAnswer> {
  const url = `${baseUrl.replace(/\/$/, "")}/chat/completions`;
  const body = {
    model,
    messages: messages.map((message) => ({
      ...message,
      ...(message.tool_calls
        ? { tool_calls: message.tool_calls.map((call, index) => ({ id: `call_${index + 1}`, type: "function", function: { name: call.function.name, arguments: typeof call.function.arguments === "string" ? call.function.arguments : JSON.stringify(call.function.arguments) } })) }
        : {}),
    })),
    ...(tools.length > 0 ? { tools } : {}),
    temperature: 0,
    max_tokens: options.maxTokens ?? 512,
    stream: false,
  };
  let response: Response;
  try {
    response = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}) }, body: JSON.stringify(body), signal: options.signal });
  } catch {
    throw new ChatBackendError(`no OpenAI-compatible server answers at ${url}`);
  }
  const text = await response.text();
  if (!response.ok) throw new ChatBackendError(`${url} answered ${response.status}: ${text.slice(0, 300)}`);
  const message = (JSON.parse(text) as { choices?: { message?: { content?: string | null; tool_calls?: { function: { name: string; arguments: string } }[] } }[] }).choices?.[0]?.message;
  if (!message) throw new ChatBackendError(`${url} answered without choices[0].message`);
  return {
    content: message.content ?? "",
    toolCalls: (message.tool_calls ?? []).map((call) => ({ name: call.function.name, arguments: parseArguments(call.function.arguments) })),
  };
}

/** Arguments as the model wrote them; text that is not a JSON object is kept under `_raw` for scoring. */
function parseArguments(text: string): Record<string, unknown> {
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : { _raw: text };
  } catch {
    return { _raw: text };
  }
}
