import type { ChatMessage, ChatTool, RawChatAnswer, SamplingOptions } from "./chat-types";

/** A chat endpoint that failed, said plainly (not running, refused, or an answer we cannot read). */
export class ChatBackendError extends Error {}

/**
 * One chat turn with tools against an OpenAI-compatible server (LM Studio, llama.cpp's llama-server,
 * vLLM) by URL: `POST {baseUrl}/chat/completions` with `tools`. `baseUrl` ends in /v1
 * (http://127.0.0.1:1234/v1). The answer's `tool_calls` are returned as written: arguments that are not
 * JSON are the evaluator's to judge, not this function's to repair.
 */
export async function chatWithToolsOpenAi(
  baseUrl: string,
  model: string,
  messages: ChatMessage[],
  tools: ChatTool[],
  options: SamplingOptions & { apiKey?: string } = {},
): Promise<RawChatAnswer> {
  const url = `${baseUrl.replace(/\/$/, "")}/chat/completions`;
  const body = {
    model,
    messages: messages.map(toOpenAiMessage),
    ...(tools.length > 0 ? { tools } : {}),
    temperature: options.temperature ?? 0,
    ...(options.topP !== undefined ? { top_p: options.topP } : {}),
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    max_tokens: options.maxTokens ?? 512,
    stream: false,
  };
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
      },
      body: JSON.stringify(body),
      signal: options.signal,
    });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new ChatBackendError(`no OpenAI-compatible server answers at ${url}`);
  }
  const text = await response.text();
  if (!response.ok) throw new ChatBackendError(`${url} answered ${response.status}: ${text.slice(0, 300)}`);
  let reply: {
    choices?: { message?: { content?: string | null; tool_calls?: unknown } }[];
    usage?: { prompt_tokens?: number; completion_tokens?: number };
  };
  try {
    reply = JSON.parse(text);
  } catch {
    throw new ChatBackendError(`${url} answered something that is not JSON: ${text.slice(0, 200)}`);
  }
  const message = reply.choices?.[0]?.message;
  if (!message) throw new ChatBackendError(`${url} answered without choices[0].message`);
  return {
    content: message.content ?? "",
    toolCalls: message.tool_calls ?? [],
    promptTokens: reply.usage?.prompt_tokens ?? null,
    completionTokens: reply.usage?.completion_tokens ?? null,
  };
}

/** Earlier calls go back with string arguments and ids, and each tool result names the call it answers. */
function toOpenAiMessage(message: ChatMessage, index: number) {
  if (message.role === "tool")
    return {
      role: "tool",
      content: message.content ?? "",
      ...(message.tool_call_id ? { tool_call_id: message.tool_call_id } : {}),
      ...(message.name ? { name: message.name } : {}),
    };
  if (!message.tool_calls) return { role: message.role, content: message.content ?? "" };
  return {
    role: message.role,
    content: message.content ?? null,
    tool_calls: message.tool_calls.map((call, callIndex) => ({
      id: call.id ?? `call_${index}_${callIndex + 1}`,
      type: "function",
      function: {
        name: call.function.name,
        arguments:
          typeof call.function.arguments === "string"
            ? call.function.arguments
            : JSON.stringify(call.function.arguments),
      },
    })),
  };
}
