/**
 * JSON text the way Python's `json.dumps` writes it by default (`", "` and `": "` separators, non-ASCII
 * escaped as \uXXXX), which is how the seed datasets wrote their call arguments. Rendering in that style
 * lets a parsed record be written back byte for byte.
 */
export function pythonJsonDumps(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "string") return asciiEscape(JSON.stringify(value));
  if (typeof value === "number") return Number.isFinite(value) ? JSON.stringify(value) : "NaN";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (Array.isArray(value)) return `[${value.map(pythonJsonDumps).join(", ")}]`;
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries.map(([k, v]) => `${asciiEscape(JSON.stringify(k))}: ${pythonJsonDumps(v)}`).join(", ")}}`;
  }
  return "null";
}

function asciiEscape(json: string): string {
  return json.replace(/[\u007f-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
