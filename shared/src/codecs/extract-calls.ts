import { isObject } from "../catalog/json-schema";
import { extractHermesCalls, hasHermesCall } from "./hermes";
import { extractMistralCalls, hasMistralCall } from "./mistral";
import { extractOpenAiCalls } from "./openai";
import type { ExtractedCalls } from "./parsed-call";
import { extractSeedTextCalls, hasSeedTextCall } from "./seed-text";

/**
 * Every tool call of one assistant message, whatever form it is written in: OpenAI `tool_calls`, then the
 * text forms found in the content (seed `tool_call:`, Hermes/Qwen `<tool_call>`, Mistral `[TOOL_CALLS]`)
 * in the order they appear.
 */
export function extractCalls(message: unknown): ExtractedCalls {
  const result: ExtractedCalls = { calls: [], errors: [] };
  if (!isObject(message)) return result;
  if (message.tool_calls !== undefined && message.tool_calls !== null)
    merge(result, extractOpenAiCalls(message.tool_calls));
  if (typeof message.content === "string") merge(result, extractTextCalls(message.content));
  return result;
}

/** The calls written in a piece of text (an assistant content or a plain-text KTO completion). */
export function extractTextCalls(content: string): ExtractedCalls {
  const result: ExtractedCalls = { calls: [], errors: [] };
  if (hasSeedTextCall(content)) merge(result, extractSeedTextCalls(content));
  if (hasHermesCall(content)) merge(result, extractHermesCalls(content));
  if (hasMistralCall(content)) merge(result, extractMistralCalls(content));
  result.calls.sort((a, b) => (a.offset ?? 0) - (b.offset ?? 0));
  return result;
}

function merge(into: ExtractedCalls, from: ExtractedCalls): void {
  into.calls.push(...from.calls);
  into.errors.push(...from.errors);
}
