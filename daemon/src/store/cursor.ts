/** Position in the newest-first trace order: the row after which the next page starts. */
export interface TraceCursor {
  recordedMs: number;
  seq: number;
}

export function encodeCursor(cursor: TraceCursor): string {
  return Buffer.from(`${cursor.recordedMs}.${cursor.seq}`).toString("base64url");
}

/** undefined when the text is not a cursor this daemon wrote. */
export function decodeCursor(text: string): TraceCursor | undefined {
  const match = /^(-?\d+)\.(\d+)$/.exec(Buffer.from(text, "base64url").toString());
  if (!match) return undefined;
  return { recordedMs: Number(match[1]), seq: Number(match[2]) };
}
