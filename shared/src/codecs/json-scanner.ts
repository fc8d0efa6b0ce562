/**
 * Finds where one JSON value embedded in free text ends, by scanning it: strings with their escapes,
 * nested objects and arrays, and bare literals. Never a regular expression, so braces inside strings,
 * escaped quotes and deep nesting are handled exactly. The scanned slice is then parsed by JSON.parse.
 */
export type JsonScan =
  | { ok: true; value: unknown; start: number; end: number }
  | { ok: false; error: string; at: number };

const WHITESPACE = new Set([" ", "\t", "\n", "\r"]);

export function skipWhitespace(text: string, from: number): number {
  let i = from;
  while (i < text.length && WHITESPACE.has(text[i] as string)) i++;
  return i;
}

/** Finds the end (exclusive) of the JSON value starting at `start` (leading whitespace skipped). */
export function scanJsonValue(text: string, from: number): JsonScan {
  const start = skipWhitespace(text, from);
  if (start >= text.length) return { ok: false, error: "expected a JSON value, found the end of the text", at: start };
  const end = findValueEnd(text, start);
  if (typeof end === "object") return end;
  try {
    return { ok: true, value: JSON.parse(text.slice(start, end)), start, end };
  } catch (error) {
    return { ok: false, error: `invalid JSON: ${(error as Error).message}`, at: start };
  }
}

function findValueEnd(text: string, start: number): number | { ok: false; error: string; at: number } {
  const first = text[start] as string;
  if (first === '"') return stringEnd(text, start);
  if (first !== "{" && first !== "[") return literalEnd(text, start);
  const closers: string[] = [];
  let i = start;
  while (i < text.length) {
    const ch = text[i] as string;
    if (ch === '"') {
      const end = stringEnd(text, i);
      if (typeof end === "object") return end;
      i = end;
      continue;
    }
    if (ch === "{") closers.push("}");
    else if (ch === "[") closers.push("]");
    else if (ch === "}" || ch === "]") {
      const expected = closers.pop();
      if (ch !== expected)
        return { ok: false, error: `unbalanced JSON: found "${ch}" where "${expected}" was expected`, at: i };
      if (closers.length === 0) return i + 1;
    }
    i++;
  }
  return {
    ok: false,
    error: `unterminated JSON ${first === "{" ? "object" : "array"}: missing ${closers.length} closing bracket(s)`,
    at: start,
  };
}

function stringEnd(text: string, start: number): number | { ok: false; error: string; at: number } {
  let i = start + 1;
  while (i < text.length) {
    const ch = text[i];
    if (ch === "\\") i += 2;
    else if (ch === '"') return i + 1;
    else i++;
  }
  return { ok: false, error: "unterminated JSON string", at: start };
}

/** Numbers, true, false, null: up to the next delimiter. */
function literalEnd(text: string, start: number): number {
  let i = start;
  while (i < text.length && !/[\s,\]}]/.test(text[i] as string)) i++;
  return i;
}
