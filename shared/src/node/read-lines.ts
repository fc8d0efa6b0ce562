import { createReadStream } from "node:fs";

/** One physical line of a file (1-based), or why it could not be read. */
export type FileLine =
  | { line: number; text: string }
  | { line: number; text?: undefined; problem: "not-utf8" | "line-too-long"; message: string };

/** Lines longer than this are reported and skipped instead of being held in memory. */
export const MAX_LINE_BYTES = 64 * 1024 * 1024;

/**
 * Streams a file's lines, split on "\n" only (a "\r" before it is dropped), so line numbers count every
 * physical line the way editors do. Memory stays at one chunk plus the longest line.
 */
export async function* readLines(path: string, maxLineBytes = MAX_LINE_BYTES): AsyncGenerator<FileLine> {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let skipping = false;
  let line = 0;

  const tooLong = (): FileLine => ({
    line,
    problem: "line-too-long",
    message: `the line is longer than ${maxLineBytes} bytes`,
  });
  const emit = (parts: Buffer[]): FileLine => {
    line++;
    if (parts.reduce((sum, part) => sum + part.length, 0) > maxLineBytes) return tooLong();
    let bytes = parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts);
    if (bytes.length > 0 && bytes[bytes.length - 1] === 0x0d) bytes = bytes.subarray(0, bytes.length - 1);
    try {
      return { line, text: decoder.decode(bytes) };
    } catch {
      return { line, problem: "not-utf8", message: "the line is not valid UTF-8" };
    }
  };

  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    let start = 0;
    for (let newline = chunk.indexOf(0x0a); newline >= 0; newline = chunk.indexOf(0x0a, start)) {
      if (skipping) {
        skipping = false;
      } else {
        pending.push(chunk.subarray(start, newline));
        yield emit(pending);
      }
      pending = [];
      pendingBytes = 0;
      start = newline + 1;
    }
    if (start < chunk.length && !skipping) {
      pending.push(chunk.subarray(start));
      pendingBytes += chunk.length - start;
      if (pendingBytes > maxLineBytes) {
        line++;
        yield tooLong();
        pending = [];
        pendingBytes = 0;
        skipping = true;
      }
    }
  }
  if (pending.length > 0 && !skipping) yield emit(pending);
}
