import { describe, expect, it } from "vitest";
import { exampleFromRecord } from "../../src/datasets/sources/file-examples";
import { UnreadableRecord } from "../../src/datasets/conversation";

const args = { context: { sessionId: "session_1731000000000_abc123def", workspaceId: "default" }, filePath: "a.md" };
const user = { role: "user", content: "Read a.md" };

describe("records in every call form become the same example", () => {
  const forms: Record<string, unknown> = {
    "seed text": {
      role: "assistant",
      content: `tool_call: contentManager_readContent\narguments: ${JSON.stringify(args)}\n\nResult: {"success": true}\n\nDone.`,
    },
    openai: {
      role: "assistant",
      content: null,
      tool_calls: [
        {
          id: "x",
          type: "function",
          function: { name: "contentManager_readContent", arguments: JSON.stringify(args) },
        },
      ],
    },
    hermes: {
      role: "assistant",
      content: `<tool_call>\n${JSON.stringify({ name: "contentManager_readContent", arguments: args })}\n</tool_call>`,
    },
    mistral: {
      role: "assistant",
      content: `[TOOL_CALLS] ${JSON.stringify([{ name: "contentManager_readContent", arguments: args }])}`,
    },
  };
  for (const [form, assistant] of Object.entries(forms)) {
    it(form, () => {
      const example = exampleFromRecord(
        { conversations: [user, assistant], label: true },
        "file:x:1",
        "claudesidian-3",
      );
      expect(example.completion).toEqual({
        calls: [{ name: "contentManager_readContent", arguments: args }],
        text: null,
      });
      expect(example.prompt[0]?.content).toContain("sessionId: session_1731000000000_abc123def");
      expect(example.prompt[1]).toEqual(user);
    });
  }
});

it("turns earlier seed-text turns into tool_calls and tool results, keeping the reply", () => {
  const earlier = {
    role: "assistant",
    content: `Let me look.\n\ntool_call: vaultLibrarian_searchContent\narguments: {"query": "a"}\n\nResult: {"success": true}\n\nFound a.md.`,
  };
  const example = exampleFromRecord(
    {
      conversations: [
        { role: "user", content: "Find a" },
        earlier,
        user,
        { role: "assistant", content: "No call, just text." },
      ],
      label: false,
    },
    "file:x:2",
    "claudesidian-3",
  );
  expect(example.prompt.map((message) => message.role)).toEqual([
    "system",
    "user",
    "assistant",
    "tool",
    "assistant",
    "user",
  ]);
  expect(example.prompt[2]).toMatchObject({
    content: "Let me look.",
    tool_calls: [{ id: "call_1", function: { name: "vaultLibrarian_searchContent", arguments: '{"query":"a"}' } }],
  });
  expect(example.prompt[3]).toMatchObject({ role: "tool", tool_call_id: "call_1", content: '{"success": true}' });
  expect(example.prompt[4]).toEqual({ role: "assistant", content: "Found a.md." });
  expect(example.completion).toEqual({ calls: [], text: "No call, just text." });
  expect(example.session, "grouped by the first user message").toMatch(/^request:[0-9a-f]{16}$/);
});

describe("the answer after the results, as an example of its own", () => {
  const seedTurn = {
    role: "assistant",
    content: `tool_call: contentManager_readContent\narguments: ${JSON.stringify(args)}\n\nResult: {"success": true, "data": "# a"}\n\nThe note holds one heading.`,
  };

  it("a desirable record that goes on past its results teaches stopping: the prompt ends with the results, the completion is the words", () => {
    const example = exampleFromRecord({ conversations: [user, seedTurn], label: true }, "file:x:3", "claudesidian-3");
    const answer = example.answerAfterResults;
    expect(answer?.prompt.map((message) => message.role)).toEqual(["system", "user", "assistant", "tool"]);
    expect(answer?.prompt[2]).toMatchObject({
      tool_calls: [{ id: "call_1", function: { name: "contentManager_readContent" } }],
    });
    expect(answer?.prompt[3]).toMatchObject({
      role: "tool",
      tool_call_id: "call_1",
      content: '{"success": true, "data": "# a"}',
    });
    expect(answer?.completion).toEqual({ calls: [], text: "The note holds one heading." });
    expect(answer?.session, "same split side as its calls").toBe(example.session);
    expect(answer?.source).toBe("answer:file:x:3");
    expect(
      example.prompt.map((message) => message.role),
      "the calls' own example is unchanged",
    ).toEqual(["system", "user"]);
  });

  it("is not made from an undesirable record, nor from calls without results or words after them", () => {
    expect(
      exampleFromRecord({ conversations: [user, seedTurn], label: false }, "file:x:4", "claudesidian-3")
        .answerAfterResults,
    ).toBeUndefined();
    const noWords = {
      role: "assistant",
      content: `tool_call: contentManager_readContent\narguments: ${JSON.stringify(args)}\n\nResult: {"success": true}`,
    };
    expect(
      exampleFromRecord({ conversations: [user, noWords], label: true }, "file:x:5", "claudesidian-3")
        .answerAfterResults,
    ).toBeUndefined();
    const openai = {
      role: "assistant",
      content: null,
      tool_calls: [
        {
          id: "x",
          type: "function",
          function: { name: "contentManager_readContent", arguments: JSON.stringify(args) },
        },
      ],
    };
    expect(
      exampleFromRecord({ conversations: [user, openai], label: true }, "file:x:6", "claudesidian-3")
        .answerAfterResults,
    ).toBeUndefined();
  });
});

it("refuses records it cannot turn into a KTO example, naming the rule", () => {
  const cases: [Record<string, unknown>, string][] = [
    [{ conversations: [user, { role: "assistant", content: "hi" }] }, "label-missing"],
    [{ conversations: [user], label: true }, "assistant-empty"],
    [{ prompt: "<|im_start|>user", completion: "x", label: true }, "record-format-unknown"],
    [
      {
        conversations: [
          user,
          { role: "assistant", content: null, tool_calls: [{ function: { name: "a", arguments: "[1]" } }] },
        ],
        label: true,
      },
      "arguments-not-object",
    ],
  ];
  for (const [record, rule] of cases) {
    let caught: unknown;
    try {
      exampleFromRecord(record, "file:x:3", "claudesidian-3");
    } catch (error) {
      caught = error;
    }
    expect(caught, rule).toBeInstanceOf(UnreadableRecord);
    expect((caught as UnreadableRecord).rule).toBe(rule);
  }
});
