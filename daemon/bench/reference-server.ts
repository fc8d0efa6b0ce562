import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { PromptSet } from "@vault-tuner/shared";
import { caseLookup, referenceAnswer } from "../src/evals/backends/reference-backend";

/**
 * An OpenAI-compatible server whose "model" answers each case with its reference solution after a set
 * delay: what the evaluator does around a model (sandbox, MCP calls, scoring, reports) at a model
 * speed we choose, with as many requests in flight as the evaluator sends.
 */
export async function startReferenceServer(
  set: PromptSet,
  latencyMs: number,
): Promise<{ url: string; close(): Promise<void> }> {
  const lookup = caseLookup(set);
  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
    const found = lookup(body.messages);
    const answer = found ? referenceAnswer(found.evalCase, found.turn) : { content: "?", toolCalls: [] };
    const calls = answer.toolCalls as unknown[];
    const message = {
      role: "assistant",
      content: answer.content || null,
      ...(calls.length ? { tool_calls: calls } : {}),
    };
    response
      .writeHead(200, { "content-type": "application/json" })
      .end(JSON.stringify({ choices: [{ index: 0, message, finish_reason: calls.length ? "tool_calls" : "stop" }] }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
