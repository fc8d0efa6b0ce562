import { scanJsonValue, skipWhitespace } from "./json-scanner";
import type { ExtractedCalls } from "./parsed-call";
import { pythonJsonDumps } from "./python-json";

/**
 * The seed datasets' text form, inside an assistant message's content:
 *
 *     tool_call: contentManager_createContent
 *     arguments: {"context": {...}, "filePath": "a.md", "content": "# A"}
 *
 *     Result: {"success": true}
 *
 *     I've created the note.
 *
 * Several calls may follow one another, each with its result and some prose. The content is read as a
 * list of segments so that rendering them again gives back the same text.
 */
export type SeedTextSegment =
  | { kind: "text"; text: string }
  | { kind: "call"; name: string; arguments: unknown /** where the call starts in the parsed text */; offset?: number }
  | { kind: "result"; text: string };

const CALL_MARKER = "tool_call:";
const ARGUMENTS_MARKER = "arguments:";
const RESULT_MARKER = "Result:";

export interface SeedTextParse {
  segments: SeedTextSegment[];
  errors: Array<{ message: string; offset: number }>;
}

/** True when the content contains a seed-form call marker at the start of a line. */
export function hasSeedTextCall(content: string): boolean {
  return findMarker(content, CALL_MARKER, 0) >= 0;
}

export function parseSeedText(content: string): SeedTextParse {
  const segments: SeedTextSegment[] = [];
  const errors: SeedTextParse["errors"] = [];
  let pos = 0;
  const pushText = (text: string) => {
    if (text.length > 0) segments.push({ kind: "text", text });
  };
  for (;;) {
    const marker = findMarker(content, CALL_MARKER, pos);
    if (marker < 0) break;
    pushText(content.slice(pos, marker));
    const lineEnd = indexOrEnd(content, "\n", marker);
    const name = content.slice(marker + CALL_MARKER.length, lineEnd).trim();
    const argsAt = skipInlineWhitespace(content, lineEnd + 1);
    if (!name || !content.startsWith(ARGUMENTS_MARKER, argsAt)) {
      errors.push({
        message: name
          ? `"tool_call: ${name}" is not followed by an "arguments:" line`
          : '"tool_call:" has no tool name',
        offset: marker,
      });
      pushText(content.slice(marker, lineEnd));
      pos = lineEnd;
      continue;
    }
    const scan = scanJsonValue(content, argsAt + ARGUMENTS_MARKER.length);
    if (!scan.ok) {
      errors.push({ message: `arguments of "${name}" cannot be read: ${scan.error}`, offset: marker });
      pushText(content.slice(marker, indexOrEnd(content, "\n", argsAt)));
      pos = indexOrEnd(content, "\n", argsAt);
      continue;
    }
    segments.push({ kind: "call", name, arguments: scan.value, offset: marker });
    pos = scan.end;
    const resultAt = skipWhitespace(content, pos);
    if (content.startsWith(RESULT_MARKER, resultAt)) {
      pushText(content.slice(pos, resultAt));
      const resultEnd = resultTextEnd(content, resultAt + RESULT_MARKER.length);
      segments.push({
        kind: "result",
        text: content.slice(skipInlineWhitespace(content, resultAt + RESULT_MARKER.length), resultEnd),
      });
      pos = resultEnd;
    }
  }
  pushText(content.slice(pos));
  return { segments, errors };
}

/** The calls of a seed-form content, each with the result that followed it. */
export function extractSeedTextCalls(content: string): ExtractedCalls {
  const { segments, errors } = parseSeedText(content);
  const calls: ExtractedCalls["calls"] = [];
  for (const segment of segments) {
    if (segment.kind === "call")
      calls.push({ form: "seed-text", name: segment.name, arguments: segment.arguments, offset: segment.offset });
    else if (segment.kind === "result" && calls.length > 0)
      (calls[calls.length - 1] as { result?: string }).result = segment.text;
  }
  return { calls, errors: errors.map((e) => ({ form: "seed-text", ...e })) };
}

/** Writes segments back as text; arguments in Python's `json.dumps` style, as the seed wrote them. */
export function renderSeedText(segments: SeedTextSegment[]): string {
  return segments.map(renderSegment).join("");
}

function renderSegment(segment: SeedTextSegment): string {
  switch (segment.kind) {
    case "text":
      return segment.text;
    case "call":
      return `${CALL_MARKER} ${segment.name}\n${ARGUMENTS_MARKER} ${pythonJsonDumps(segment.arguments)}`;
    case "result":
      return `${RESULT_MARKER} ${segment.text}`;
  }
}

/**
 * Convenience for writers: one call block with an optional result and reply, separated by blank lines.
 */
export function renderSeedTextCall(
  call: { name: string; arguments: unknown },
  result?: string,
  reply?: string,
): string {
  const segments: SeedTextSegment[] = [{ kind: "call", name: call.name, arguments: call.arguments }];
  if (result !== undefined) segments.push({ kind: "text", text: "\n\n" }, { kind: "result", text: result });
  if (reply !== undefined) segments.push({ kind: "text", text: `\n\n${reply}` });
  return renderSeedText(segments);
}

/** A result is a JSON value when it scans as one; otherwise it runs to the next blank line. */
function resultTextEnd(content: string, from: number): number {
  const scan = scanJsonValue(content, from);
  if (scan.ok) return scan.end;
  const blank = content.indexOf("\n\n", from);
  return blank < 0 ? content.length : blank;
}

function findMarker(content: string, marker: string, from: number): number {
  let at = content.indexOf(marker, from);
  while (at >= 0) {
    if (at === 0 || content[at - 1] === "\n") return at;
    at = content.indexOf(marker, at + 1);
  }
  return -1;
}

function indexOrEnd(text: string, needle: string, from: number): number {
  const at = text.indexOf(needle, from);
  return at < 0 ? text.length : at;
}

function skipInlineWhitespace(text: string, from: number): number {
  let i = from;
  while (text[i] === " " || text[i] === "\t") i++;
  return i;
}
