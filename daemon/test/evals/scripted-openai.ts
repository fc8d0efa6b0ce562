import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** What a scripted model sees: the request's model, its messages and tools, and how many turns it has had. */
export interface ScriptedRequest {
  model: string;
  messages: { role: string; content: string | null; tool_calls?: any[]; tool_call_id?: string }[];
  tools: { function: { name: string } }[];
  /** 1 for the first answer of a conversation, 2 after the first tool results, ... */
  turn: number;
  userText: string;
  /** The latest tool result the conversation carries, if any. */
  lastResult?: string;
}

export type ScriptedReply = { content?: string | null; tool_calls?: unknown[] } | { status: number; body: unknown };

/**
 * A local server that speaks POST /v1/chat/completions like LM Studio, llama-server or vLLM, answering
 * from a script instead of a model: the scoring tests control exactly what "the model" replies.
 */
export async function startScriptedServer(
  script: (request: ScriptedRequest) => ScriptedReply,
  options: { delayMs?: number } = {},
): Promise<{ url: string; requests: ScriptedRequest[]; inFlightPeak: () => number; close(): Promise<void> }> {
  const requests: ScriptedRequest[] = [];
  let inFlight = 0;
  let peak = 0;
  const server: Server = createServer(async (request, response) => {
    inFlight += 1;
    peak = Math.max(peak, inFlight);
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      if (request.url !== "/v1/chat/completions") {
        response.writeHead(404).end();
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      const messages = body.messages as ScriptedRequest["messages"];
      const scripted: ScriptedRequest = {
        model: body.model,
        messages,
        tools: body.tools ?? [],
        turn: messages.filter((message) => message.role === "assistant").length + 1,
        userText: messages.find((message) => message.role === "user")?.content ?? "",
        lastResult: [...messages].reverse().find((message) => message.role === "tool")?.content ?? undefined,
      };
      requests.push(scripted);
      // A model takes time to answer; the delay lets concurrent requests overlap as they would.
      if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
      const reply = script(scripted);
      if ("status" in reply) {
        response.writeHead(reply.status, { "content-type": "application/json" }).end(JSON.stringify(reply.body));
        return;
      }
      const message = {
        role: "assistant",
        content: reply.content ?? null,
        ...(reply.tool_calls ? { tool_calls: reply.tool_calls } : {}),
      };
      response.writeHead(200, { "content-type": "application/json" }).end(
        JSON.stringify({
          id: `chatcmpl-${requests.length}`,
          object: "chat.completion",
          choices: [{ index: 0, message, finish_reason: reply.tool_calls ? "tool_calls" : "stop" }],
          usage: { prompt_tokens: 100 * scripted.turn, completion_tokens: 20 },
        }),
      );
    } finally {
      inFlight -= 1;
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    requests,
    inFlightPeak: () => peak,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export const CALL_FORMS = ["openai", "hermes", "mistral", "seed-text"] as const;
export type ScriptedForm = (typeof CALL_FORMS)[number];

/** A reply making these calls, written in one of the call forms models use. */
export function callsReply(
  calls: { name: string; arguments: Record<string, unknown> }[],
  form: ScriptedForm = "openai",
  prose = "",
): ScriptedReply {
  switch (form) {
    case "openai":
      return {
        content: prose || null,
        tool_calls: calls.map((call, index) => ({
          id: `call_${index}`,
          type: "function",
          function: { name: call.name, arguments: JSON.stringify(call.arguments) },
        })),
      };
    case "hermes":
      return {
        content: `${prose}${calls.map((call) => `<tool_call>\n${JSON.stringify({ name: call.name, arguments: call.arguments })}\n</tool_call>`).join("\n")}`,
      };
    case "mistral":
      return {
        content: `${prose}[TOOL_CALLS] ${JSON.stringify(calls.map((call) => ({ name: call.name, arguments: call.arguments })))}`,
      };
    case "seed-text":
      return {
        content: `${prose}${calls.map((call) => `tool_call: ${call.name}\narguments: ${JSON.stringify(call.arguments)}`).join("\n\n")}`,
      };
  }
}
