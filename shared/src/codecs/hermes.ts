import { scanJsonValue, skipWhitespace } from "./json-scanner";
import type { ExtractedCalls } from "./parsed-call";
import { isObject } from "../catalog/json-schema";

/**
 * Hermes / Qwen form: each call is `<tool_call>\n{"name": ..., "arguments": {...}}\n</tool_call>` in the
 * assistant content; results come back as `<tool_response>...</tool_response>`.
 */
const OPEN = "<tool_call>";
const CLOSE = "</tool_call>";

export function hasHermesCall(content: string): boolean {
  return content.includes(OPEN);
}

export function extractHermesCalls(content: string): ExtractedCalls {
  const result: ExtractedCalls = { calls: [], errors: [] };
  let pos = 0;
  for (;;) {
    const open = content.indexOf(OPEN, pos);
    if (open < 0) break;
    const scan = scanJsonValue(content, open + OPEN.length);
    if (!scan.ok) {
      result.errors.push({ form: "hermes", message: `<tool_call> body cannot be read: ${scan.error}`, offset: open });
      pos = open + OPEN.length;
      continue;
    }
    const closeAt = skipWhitespace(content, scan.end);
    if (!content.startsWith(CLOSE, closeAt)) {
      result.errors.push({ form: "hermes", message: "<tool_call> is not closed by </tool_call>", offset: open });
    }
    const body = scan.value;
    if (!isObject(body) || typeof body.name !== "string" || body.name.length === 0) {
      result.errors.push({
        form: "hermes",
        message: '<tool_call> body must be an object with a "name" string',
        offset: open,
      });
    } else {
      result.calls.push({ form: "hermes", name: body.name, arguments: decodeArguments(body.arguments), offset: open });
    }
    pos = content.startsWith(CLOSE, closeAt) ? closeAt + CLOSE.length : scan.end;
  }
  return result;
}

export function renderHermesCalls(calls: Array<{ name: string; arguments: unknown }>): string {
  return calls
    .map((call) => `${OPEN}\n${JSON.stringify({ name: call.name, arguments: call.arguments })}\n${CLOSE}`)
    .join("\n");
}

export function renderHermesResponse(result: string): string {
  return `<tool_response>\n${result}\n</tool_response>`;
}

/** Some writers put the arguments in as a JSON string; read it, or leave it for the validator to reject. */
export function decodeArguments(args: unknown): unknown {
  if (typeof args !== "string") return args;
  try {
    return JSON.parse(args);
  } catch {
    return args;
  }
}
