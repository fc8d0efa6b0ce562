import { scanJsonValue, skipWhitespace } from "./json-scanner";
import type { ExtractedCalls } from "./parsed-call";
import { decodeArguments } from "./hermes";
import { isObject } from "../catalog/json-schema";

/**
 * Mistral form: `[TOOL_CALLS] [{"name": ..., "arguments": {...}, "id": "..."}]` (v3 tokenizer), and the
 * later `[TOOL_CALLS]name[ARGS]{...}` (v11+), one per call. Results: `[TOOL_RESULTS] ... [/TOOL_RESULTS]`.
 */
const MARKER = "[TOOL_CALLS]";
const ARGS = "[ARGS]";

export function hasMistralCall(content: string): boolean {
  return content.includes(MARKER);
}

export function extractMistralCalls(content: string): ExtractedCalls {
  const result: ExtractedCalls = { calls: [], errors: [] };
  let pos = 0;
  for (;;) {
    const marker = content.indexOf(MARKER, pos);
    if (marker < 0) break;
    const bodyAt = skipWhitespace(content, marker + MARKER.length);
    pos =
      content[bodyAt] === "["
        ? readArrayForm(content, marker, bodyAt, result)
        : readNamedForm(content, marker, bodyAt, result);
  }
  return result;
}

function readArrayForm(content: string, marker: number, at: number, out: ExtractedCalls): number {
  const scan = scanJsonValue(content, at);
  if (!scan.ok) {
    out.errors.push({ form: "mistral", message: `[TOOL_CALLS] list cannot be read: ${scan.error}`, offset: marker });
    return at + 1;
  }
  const items = scan.value as unknown[];
  items.forEach((item, index) => {
    if (!isObject(item) || typeof item.name !== "string" || item.name.length === 0) {
      out.errors.push({
        form: "mistral",
        message: `[TOOL_CALLS] item ${index + 1} must be an object with a "name" string`,
        offset: marker,
      });
      return;
    }
    out.calls.push({
      form: "mistral",
      name: item.name,
      arguments: decodeArguments(item.arguments),
      offset: marker,
      ...(typeof item.id === "string" ? { id: item.id } : {}),
    });
  });
  return scan.end;
}

function readNamedForm(content: string, marker: number, at: number, out: ExtractedCalls): number {
  const argsAt = content.indexOf(ARGS, at);
  const name = argsAt < 0 ? "" : content.slice(at, argsAt).trim();
  if (!name || /\s/.test(name)) {
    out.errors.push({
      form: "mistral",
      message: "[TOOL_CALLS] is followed neither by a JSON list nor by name[ARGS]{...}",
      offset: marker,
    });
    return at;
  }
  const scan = scanJsonValue(content, argsAt + ARGS.length);
  if (!scan.ok) {
    out.errors.push({
      form: "mistral",
      message: `arguments of "${name}" cannot be read: ${scan.error}`,
      offset: marker,
    });
    return argsAt + ARGS.length;
  }
  out.calls.push({ form: "mistral", name, arguments: scan.value, offset: marker });
  return scan.end;
}

export function renderMistralCalls(calls: Array<{ name: string; arguments: unknown; id?: string }>): string {
  const items = calls.map((call) => ({
    name: call.name,
    arguments: call.arguments,
    ...(call.id ? { id: call.id } : {}),
  }));
  return `${MARKER} ${JSON.stringify(items)}`;
}

export function renderMistralResults(result: string): string {
  return `[TOOL_RESULTS] ${result} [/TOOL_RESULTS]`;
}
