import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  extractCalls,
  extractHermesCalls,
  extractMistralCalls,
  extractOpenAiCalls,
  extractTextCalls,
  parseSeedText,
  pythonJsonDumps,
  renderHermesCalls,
  renderMistralCalls,
  renderOpenAiCalls,
  renderSeedText,
  renderSeedTextCall,
  type SeedTextSegment,
} from "../src/index";
import { COPILOT_DATASET } from "./reference-data";

const calls = [
  { name: "contentManager_readContent", arguments: { context: { sessionId: "s1" }, filePath: "Notes/a } b.md" } },
  { name: "vaultManager_moveNote", arguments: { path: "a.md", newPath: 'quote " and \\ slash.md', overwrite: true } },
];

function withoutOffsets(segments: SeedTextSegment[]) {
  return segments.map((segment) =>
    segment.kind === "call" ? { kind: "call", name: segment.name, arguments: segment.arguments } : segment,
  );
}

describe("seed text form", () => {
  it("parses several calls with results and prose, and renders them back byte for byte", () => {
    const content = [
      renderSeedTextCall(calls[0]!, '{"success": true, "text": "tool_call: not a call"}', "Read it."),
      "\n\n",
      renderSeedTextCall(calls[1]!, '{"success": true}', "Moved it."),
    ].join("");
    const parsed = parseSeedText(content);
    expect(parsed.errors).toEqual([]);
    const found = parsed.segments.filter((s) => s.kind === "call");
    expect(found.map((s) => s.kind === "call" && s.name)).toEqual([
      "contentManager_readContent",
      "vaultManager_moveNote",
    ]);
    expect(renderSeedText(parsed.segments)).toBe(content);
    expect(withoutOffsets(parseSeedText(renderSeedText(parsed.segments)).segments)).toEqual(
      withoutOffsets(parsed.segments),
    );
  });

  it("keeps each result with its call", () => {
    const { calls: found } = extractTextCalls(
      `${renderSeedTextCall(calls[0]!, '{"ok": 1}')}\n\n${renderSeedTextCall(calls[1]!)}`,
    );
    expect(found.map((c) => c.result)).toEqual(['{"ok": 1}', undefined]);
  });

  it("reports a marker without arguments and broken JSON, and still reads the calls after them", () => {
    const content = `tool_call: a_b\nno arguments here\n\ntool_call: c_d\narguments: {"x": [1, 2}\n\n${renderSeedTextCall(calls[0]!)}`;
    const { calls: found, errors } = extractTextCalls(content);
    expect(errors.map((e) => e.message)).toEqual([
      expect.stringContaining('"tool_call: a_b" is not followed by an "arguments:" line'),
      expect.stringContaining('arguments of "c_d" cannot be read'),
    ]);
    expect(found.map((c) => c.name)).toEqual(["contentManager_readContent"]);
  });

  it("round-trips every assistant message of the seed's copilot dataset", () => {
    let messages = 0;
    let byteExact = 0;
    for (const line of readFileSync(COPILOT_DATASET, "utf8").split("\n")) {
      if (!line.trim()) continue;
      for (const message of JSON.parse(line).conversations) {
        if (message.role !== "assistant") continue;
        messages++;
        const parsed = parseSeedText(message.content);
        expect(parsed.errors).toEqual([]);
        const rendered = renderSeedText(parsed.segments);
        expect(withoutOffsets(parseSeedText(rendered).segments)).toEqual(withoutOffsets(parsed.segments));
        if (rendered === message.content) byteExact++;
      }
    }
    expect(messages).toBe(1441); // 1,438 records, three of them with two assistant turns
    // A few seed messages have odd key spacing or a repeated key; all others come back unchanged.
    expect(byteExact).toBeGreaterThan(messages - 10);
  });

  it("writes arguments the way Python's json.dumps(ensure_ascii=False) does", () => {
    expect(pythonJsonDumps({ a: [1, "é 🔴"], b: { c: null, d: 'q"' } })).toBe(
      '{"a": [1, "é 🔴"], "b": {"c": null, "d": "q\\""}}',
    );
  });
});

describe("OpenAI tool_calls", () => {
  it("round-trips, with arguments as a JSON string or as an object", () => {
    const rendered = renderOpenAiCalls(calls);
    expect(typeof rendered[0]!.function.arguments).toBe("string");
    const back = extractOpenAiCalls(rendered);
    expect(back.calls.map(({ name, arguments: args }) => ({ name, arguments: args }))).toEqual(calls);
    const asObjects = rendered.map((c) => ({
      ...c,
      function: { ...c.function, arguments: JSON.parse(c.function.arguments as string) },
    }));
    expect(extractOpenAiCalls(asObjects).calls.map((c) => c.arguments)).toEqual(calls.map((c) => c.arguments));
  });

  it("reports unparsable argument strings and calls without a name", () => {
    const result = extractOpenAiCalls([{ function: { name: "x", arguments: "{bad" } }, { function: {} }]);
    expect(result.calls).toEqual([]);
    expect(result.errors).toHaveLength(2);
  });
});

describe("Hermes / Qwen <tool_call>", () => {
  it("round-trips several calls", () => {
    const text = renderHermesCalls(calls);
    const back = extractHermesCalls(`Sure.\n${text}`);
    expect(back.errors).toEqual([]);
    expect(back.calls.map(({ name, arguments: args }) => ({ name, arguments: args }))).toEqual(calls);
    expect(renderHermesCalls(back.calls)).toBe(text);
  });

  it("reports a body that is not a call and an unclosed tag", () => {
    expect(extractHermesCalls('<tool_call>\n{"arguments": {}}\n</tool_call>').errors[0]!.message).toContain('"name"');
    expect(extractHermesCalls('<tool_call>{"name": "a", "arguments": {}}').errors[0]!.message).toContain("not closed");
  });
});

describe("Mistral [TOOL_CALLS]", () => {
  it("round-trips the list form, ids included", () => {
    const withIds = calls.map((c, i) => ({ ...c, id: `abc12345${i}` }));
    const text = renderMistralCalls(withIds);
    const back = extractMistralCalls(text);
    expect(back.calls.map(({ name, arguments: args, id }) => ({ name, arguments: args, id }))).toEqual(withIds);
    expect(renderMistralCalls(back.calls)).toBe(text);
  });

  it("reads the name[ARGS]{...} form", () => {
    const back = extractMistralCalls('[TOOL_CALLS]vaultManager_listDirectory[ARGS]{"path": "/"}');
    expect(back.calls).toMatchObject([{ name: "vaultManager_listDirectory", arguments: { path: "/" } }]);
  });
});

describe("extractCalls", () => {
  it("takes tool_calls and every text form from one message, in order", () => {
    const message = {
      role: "assistant",
      content: `${renderHermesCalls([calls[1]!])}\n${renderSeedTextCall(calls[0]!)}`,
      tool_calls: renderOpenAiCalls([calls[0]!]),
    };
    const result = extractCalls(message);
    expect(result.calls.map((c) => c.form)).toEqual(["openai", "hermes", "seed-text"]);
  });
});
