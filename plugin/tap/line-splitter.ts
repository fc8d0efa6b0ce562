/** Lines longer than this are not recorded (they are still relayed, untouched). */
export const MAX_RECORDED_LINE_BYTES = 32 * 1024 * 1024;

/**
 * Cuts a byte stream into newline-delimited messages for the recording copy. Works on Buffers so a
 * UTF-8 character split across chunks is decoded whole; an over-long line is skipped to its end.
 */
export class LineSplitter {
  private parts: Buffer[] = [];
  private size = 0;
  private skipping = false;

  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: Buffer): void {
    let start = 0;
    for (let newline = chunk.indexOf(0x0a, start); newline >= 0; newline = chunk.indexOf(0x0a, start)) {
      this.take(chunk.subarray(start, newline));
      if (!this.skipping) this.onLine(Buffer.concat(this.parts, this.size).toString("utf8"));
      this.parts = [];
      this.size = 0;
      this.skipping = false;
      start = newline + 1;
    }
    this.take(chunk.subarray(start));
  }

  private take(part: Buffer): void {
    if (this.skipping || part.length === 0) return;
    if (this.size + part.length > MAX_RECORDED_LINE_BYTES) {
      this.skipping = true;
      this.parts = [];
      this.size = 0;
      return;
    }
    // Copies: the relay may reuse or hand on the chunk once this returns.
    this.parts.push(Buffer.from(part));
    this.size += part.length;
  }
}
