import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";

/** A reply as the plugin sends it: the result as JSON, a failure's text starting with "❌ Error:" (isError unset). */
export function reply(result: Record<string, unknown> & { success: boolean; error?: string }): CallToolResult {
  if (result.success) return { content: [{ type: "text", text: JSON.stringify(result, null, 2) }] };
  const details = Object.keys(result).some((key) => key !== "success" && key !== "error")
    ? `\n\n🔍 Full Error Details:\n${JSON.stringify(result, null, 2)}`
    : "";
  return { content: [{ type: "text", text: `❌ Error: ${result.error ?? "the call failed"}${details}` }] };
}
