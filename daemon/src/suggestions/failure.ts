import type { Trace } from "@vault-tuner/shared";

/** The prefix Claudesidian / Nexus put on an error result (they never set `isError`). */
export const PLUGIN_ERROR_PREFIX = "❌ Error:";

/**
 * The failure text of a call, or undefined when it succeeded. A call failed when the server answered
 * with a JSON-RPC error, set `isError`, wrote its `❌ Error:` text, or returned `{"success": false}`.
 */
export function failureOf(trace: Trace): string | undefined {
  if (trace.error) return `JSON-RPC error ${trace.error.code}: ${trace.error.message}`;
  if (!trace.result) return undefined;
  const texts = trace.result.content.flatMap((item) => (isTextItem(item) ? [item.text] : []));
  if (trace.result.isError) return texts[0] ?? "the server marked the result as an error";
  for (const text of texts) {
    const trimmed = text.trimStart();
    if (trimmed.startsWith(PLUGIN_ERROR_PREFIX)) return trimmed;
    if (trimmed.startsWith("{") && reportsNoSuccess(trimmed)) return trimmed;
  }
  return undefined;
}

function isTextItem(item: unknown): item is { type: "text"; text: string } {
  return (
    typeof item === "object" &&
    item !== null &&
    (item as { type?: unknown }).type === "text" &&
    typeof (item as { text?: unknown }).text === "string"
  );
}

function reportsNoSuccess(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && (value as { success?: unknown }).success === false;
  } catch {
    return false;
  }
}
