import type { OpenAiToolCall } from "../schemas/dataset";
import type { ExtractedCalls } from "./parsed-call";
import { isObject } from "../catalog/json-schema";

/**
 * OpenAI `tool_calls` on an assistant message: `{id, type: "function", function: {name, arguments}}`,
 * where `arguments` is a JSON string on the wire and sometimes the object itself in datasets.
 */
export function extractOpenAiCalls(toolCalls: unknown): ExtractedCalls {
  const result: ExtractedCalls = { calls: [], errors: [] };
  if (!Array.isArray(toolCalls)) {
    result.errors.push({ form: "openai", message: "tool_calls must be an array" });
    return result;
  }
  toolCalls.forEach((entry, index) => {
    const fn = isObject(entry) ? entry.function : undefined;
    if (!isObject(fn) || typeof fn.name !== "string" || fn.name.length === 0) {
      result.errors.push({ form: "openai", message: `tool_calls[${index}] needs function.name` });
      return;
    }
    let args: unknown = fn.arguments;
    if (typeof args === "string") {
      try {
        args = JSON.parse(args);
      } catch (error) {
        result.errors.push({
          form: "openai",
          message: `tool_calls[${index}].function.arguments is not valid JSON: ${(error as Error).message}`,
        });
        return;
      }
    }
    const id = isObject(entry) && typeof entry.id === "string" ? entry.id : undefined;
    result.calls.push({ form: "openai", name: fn.name, arguments: args, ...(id ? { id } : {}) });
  });
  return result;
}

/** Renders calls as OpenAI `tool_calls`, arguments as JSON strings per the wire format. */
export function renderOpenAiCalls(calls: Array<{ name: string; arguments: unknown; id?: string }>): OpenAiToolCall[] {
  return calls.map((call, index) => ({
    id: call.id ?? `call_${index}`,
    type: "function",
    function: { name: call.name, arguments: JSON.stringify(call.arguments) },
  }));
}
