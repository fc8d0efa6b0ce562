import { describe, expect, it } from "vitest";
import { judgeAnswers } from "../../src/export/quant-check";

const call = (path: string) =>
  `<tool_call>\n{"name": "contentManager_readContent", "arguments": {"filePath": "${path}"}}\n</tool_call>`;

describe("the quantization check's verdict", () => {
  it("keeps a file whose greedy answers repeat the 16-bit file's", () => {
    const expected = [call("Notes/a.md"), "No tool is needed: hello."];
    expect(judgeAnswers(expected, [...expected])).toEqual({ agreement: 1, same_calls: 1, verdict: "kept" });
  });

  it("calls a file erased when it writes prose where the 16-bit file called tools", () => {
    const expected = [call("Notes/a.md"), call("Notes/b.md"), call("Daily/today.md")];
    const verdict = judgeAnswers(expected, [
      "The vault is a place where notes",
      "Once upon a time",
      "You work in the user's Obsidian vault",
    ]);
    expect(verdict).toMatchObject({ same_calls: 0, verdict: "erased" });
    expect(verdict.agreement).toBeLessThan(0.1);
  });

  it("calls a file drifted when the calls mostly survive but the text around them does not", () => {
    const expected = [`${call("Notes/a.md")} done`, `${call("Notes/b.md")} done`];
    // Same calls, a different ending: short of the kept bar, far from erased.
    const verdict = judgeAnswers(expected, [
      `${call("Notes/a.md")}\nI read the note and it says many things`,
      call("Notes/b.md"),
    ]);
    expect(verdict).toMatchObject({ same_calls: 1, verdict: "drifted" });
  });

  it("judges each answer against the answer to the same prompt, and keeps no file whose calls changed", () => {
    const [a, b] = [
      "Projects/Quarterly review/2026/November/minutes of the design review with the whole team and the notes on every decision, part a.md",
      "Projects/Quarterly review/2026/November/minutes of the design review with the whole team and the notes on every decision, part b.md",
    ];
    // Nearly the same characters, other notes: the calls decide.
    const swapped = judgeAnswers([call(a), call(b)], [call(b), call(a)]);
    expect(swapped.agreement).toBeGreaterThan(0.9);
    expect(swapped).toMatchObject({ same_calls: 0, verdict: "drifted" });
  });
});
