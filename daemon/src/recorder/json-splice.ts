import { scanJsonValue, skipWhitespace } from "@vault-tuner/shared";

/**
 * Replaces one value in a JSON text, found by its path of object keys, and leaves every other byte as
 * it was: a user's own formatting of the rest of a config file (an `"args": ["hi"]` on one line, say)
 * survives. The new value is written with the file's indentation, starting at the old value's column.
 */
export function spliceJsonValue(text: string, path: string[], value: unknown, indent: string | number): string {
  const span = findValue(text, path);
  if (!span) throw new Error(`no ${path.join(".")} in the JSON text`);
  const lineStart = text.lastIndexOf("\n", span.start - 1) + 1;
  const margin = /^[ \t]*/.exec(text.slice(lineStart))?.[0] ?? "";
  const written = JSON.stringify(value, null, indent).replaceAll("\n", `\n${margin}`);
  return `${text.slice(0, span.start)}${written}${text.slice(span.end)}`;
}

/** Where the value at `path` starts and ends (end exclusive), walking objects member by member. */
function findValue(text: string, path: string[]): { start: number; end: number } | undefined {
  let start = skipWhitespace(text, 0);
  for (const key of path) {
    if (text[start] !== "{") return undefined;
    let at = skipWhitespace(text, start + 1);
    let found: number | undefined;
    while (at < text.length && text[at] !== "}") {
      const name = scanJsonValue(text, at);
      if (!name.ok || typeof name.value !== "string") return undefined;
      at = skipWhitespace(text, name.end);
      if (text[at] !== ":") return undefined;
      const member = scanJsonValue(text, at + 1);
      if (!member.ok) return undefined;
      if (name.value === key) found = member.start; // the last of duplicate keys wins, as in JSON.parse
      at = skipWhitespace(text, member.end);
      if (text[at] === ",") at = skipWhitespace(text, at + 1);
    }
    if (found === undefined) return undefined;
    start = found;
  }
  const value = scanJsonValue(text, start);
  return value.ok ? { start: value.start, end: value.end } : undefined;
}
