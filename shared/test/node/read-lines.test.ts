import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readLines } from "../../src/node/read-lines";

async function collect(content: string, maxLineBytes?: number) {
  const path = join(mkdtempSync(join(tmpdir(), "vault-tuner-lines-")), "f.jsonl");
  writeFileSync(path, content);
  const lines = [];
  for await (const line of readLines(path, maxLineBytes)) lines.push(line);
  return lines;
}

describe("readLines", () => {
  it("numbers every physical line, drops CR before LF, keeps a last line without newline", async () => {
    expect(await collect("a\r\n\nb\rc\nd")).toEqual([
      { line: 1, text: "a" },
      { line: 2, text: "" },
      { line: 3, text: "b\rc" },
      { line: 4, text: "d" },
    ]);
  });

  it("reports and skips an over-long line, then goes on", async () => {
    const lines = await collect(`short\n${"x".repeat(5000)}\nafter\n`, 100);
    expect(lines.map((l) => [l.line, l.text ?? ("problem" in l ? l.problem : "")])).toEqual([
      [1, "short"],
      [2, "line-too-long"],
      [3, "after"],
    ]);
  });

  it("joins a line split across read chunks", async () => {
    const long = "y".repeat(3 * (1 << 20));
    const lines = await collect(`${long}\nz`);
    expect(lines.map((l) => l.text?.length)).toEqual([long.length, 1]);
  });
});
