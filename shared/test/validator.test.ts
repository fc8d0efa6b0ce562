import { describe, expect, it } from "vitest";
import {
  builtinCatalog,
  DatasetValidator,
  renderHermesCalls,
  renderOpenAiCalls,
  renderSeedTextCall,
  type Profile,
  type RuleId,
} from "../src/index";

const claudesidian = builtinCatalog("claudesidian-3")!;
const nexus = builtinCatalog("nexus-5")!;

const CONTEXT = {
  sessionId: "session_1731010101010_a1b2c3d4e",
  workspaceId: "ws_1731010101010_f5g6h7i8j",
  sessionDescription: "Reorganise the meeting notes",
  sessionMemory: "User asked to tidy the Meetings folder.",
  toolContext: "Reading the note before editing it",
  primaryGoal: "Tidy meeting notes",
  subgoal: "Read the standup note",
};

function seedRecord(
  args: Record<string, unknown>,
  options: { name?: string; label?: unknown; system?: string; result?: boolean } = {},
) {
  const content = renderSeedTextCall(
    { name: options.name ?? "contentManager_readContent", arguments: args },
    options.result === false ? undefined : '{"success": true}',
    "Done.",
  );
  const conversations = [
    ...(options.system ? [{ role: "system", content: options.system }] : []),
    { role: "user", content: "Read my standup note." },
    { role: "assistant", content },
  ];
  return JSON.stringify({ conversations, ...("label" in options ? { label: options.label } : { label: true }) });
}

const readArgs = (
  context: Record<string, unknown> = CONTEXT,
  rest: Record<string, unknown> = { filePath: "Meetings/standup.md" },
) => ({ context, ...rest });

function validate(lines: string[], profile: Profile = "strict", catalog = claudesidian) {
  const validator = new DatasetValidator({ catalog, profile });
  const issues = lines.flatMap((line, index) => validator.addLine(line, index + 1).issues);
  return { issues, summary: validator.summary(), rules: issues.map((issue) => issue.rule) };
}

const rulesOf = (line: string, profile: Profile = "strict") => validate([line], profile).rules;

describe("a clean record", () => {
  it("passes strict validation with no finding", () => {
    const { issues, summary } = validate([seedRecord(readArgs())]);
    expect(issues).toEqual([]);
    expect(summary).toMatchObject({ records: 1, desirable: 1, calls: 1, errors: 0 });
  });
});

describe("structural rules (errors whatever the label)", () => {
  const cases: Array<[string, string, RuleId]> = [
    ["not JSON", '{"conversations": [', "json-parse"],
    ["not an object", "[1, 2]", "record-not-object"],
    ["unknown format", '{"text": "hi"}', "record-format-unknown"],
    ["conversations not an array", '{"conversations": "hi", "label": false}', "conversations-not-array"],
    ["conversations empty", '{"conversations": [], "label": false}', "conversations-empty"],
    ["message not an object", '{"conversations": ["hi"], "label": false}', "message-not-object"],
    ["bad role", '{"conversations": [{"role": "bot", "content": "x"}], "label": false}', "role-invalid"],
    [
      "content not a string",
      '{"conversations": [{"role": "user", "content": 5}], "label": false}',
      "content-not-string",
    ],
    [
      "no user message",
      '{"conversations": [{"role": "assistant", "content": "hi"}], "label": false}',
      "no-user-message",
    ],
    [
      "empty assistant",
      '{"conversations": [{"role": "user", "content": "x"}, {"role": "assistant", "content": " "}], "label": false}',
      "assistant-empty",
    ],
    [
      "label as a string",
      '{"conversations": [{"role": "user", "content": "x"}, {"role": "assistant", "content": "y"}], "label": "true"}',
      "label-not-boolean",
    ],
    [
      "call with broken JSON",
      '{"conversations": [{"role": "user", "content": "x"}, {"role": "assistant", "content": "tool_call: a_b\\narguments: {\\"x\\": "}], "label": false}',
      "tool-call-unparsable",
    ],
    ["KTO row without label", '{"prompt": "x", "completion": "y"}', "label-missing"],
  ];
  it.each(cases)("%s", (_, line, rule) => {
    const { issues } = validate([line]);
    expect(issues).toContainEqual(expect.objectContaining({ rule, severity: "error", line: 1 }));
    expect(issues.find((issue) => issue.rule === rule)).not.toHaveProperty("expected");
  });
});

describe("tool-level rules", () => {
  it("unknown tool is an error, with a suggestion", () => {
    const { issues } = validate([seedRecord(readArgs(), { name: "contentManager_readContents" })]);
    expect(issues).toEqual([
      expect.objectContaining({
        rule: "tool-unknown",
        severity: "error",
        message: expect.stringContaining('did you mean "contentManager_readContent"'),
      }),
    ]);
  });

  it("checks parameter types, enums, required and unexpected ones against the schema", () => {
    expect(rulesOf(seedRecord(readArgs(CONTEXT, { filePath: 42 })))).toEqual(["param-type"]);
    expect(rulesOf(seedRecord(readArgs(CONTEXT, {}), { name: "contentManager_readContent" }))).toEqual([
      "param-missing",
    ]);
    expect(
      rulesOf(seedRecord(readArgs(CONTEXT, { path: "a.md", mode: "popup" }), { name: "vaultManager_openNote" })),
    ).toEqual(["param-enum"]);
    const extra = validate([seedRecord(readArgs(CONTEXT, { filePath: "a.md", startLine: 1 }))]).issues;
    expect(extra).toEqual([expect.objectContaining({ rule: "param-unexpected", severity: "warning" })]);
  });

  it("checks items inside arrays", () => {
    const args = readArgs(CONTEXT, { operations: [{ type: "read", filePath: "a.md" }, { type: "explode" }] });
    expect(rulesOf(seedRecord(args, { name: "contentManager_batchContent" }))).toEqual(["param-enum"]);
  });

  it("get_tools needs a managers array", () => {
    expect(rulesOf(seedRecord({ context: CONTEXT }, { name: "get_tools" }))).toEqual(["param-missing"]);
    expect(rulesOf(seedRecord({ context: CONTEXT, managers: "vaultManager" }, { name: "get_tools" }))).toEqual([
      "param-type",
    ]);
  });

  it("arguments must be a non-empty object", () => {
    expect(rulesOf(seedRecord({}))).toEqual(["arguments-not-object"]);
  });

  it("context: present, an object, first, all seven string fields, memory not empty", () => {
    expect(rulesOf(seedRecord({ filePath: "a.md" }))).toEqual(["context-missing"]);
    expect(rulesOf(seedRecord({ context: "s1", filePath: "a.md" }))).toEqual(["context-not-object"]);
    expect(rulesOf(seedRecord({ filePath: "a.md", context: CONTEXT }))).toEqual(["context-not-first"]);
    const { subgoal: _, ...six } = CONTEXT;
    expect(rulesOf(seedRecord(readArgs(six)))).toEqual(["context-field-missing"]);
    expect(rulesOf(seedRecord(readArgs({ ...CONTEXT, toolContext: 3 })))).toEqual(["context-field-type"]);
    expect(rulesOf(seedRecord(readArgs({ ...CONTEXT, sessionMemory: "  " })))).toEqual(["session-memory-empty"]);
  });

  it("strict ids: training-data forms, and the ones the system prompt gives", () => {
    expect(rulesOf(seedRecord(readArgs({ ...CONTEXT, sessionId: "session_1731010101010_abc" })))).toEqual([
      "session-id-format",
    ]);
    expect(rulesOf(seedRecord(readArgs({ ...CONTEXT, workspaceId: "ws_1731010101010_mktcamp" })))).toEqual([
      "workspace-id-format",
    ]);
    expect(rulesOf(seedRecord(readArgs({ ...CONTEXT, workspaceId: "default" })))).toEqual([]);
    const system = `<session_context>\n- sessionId: "session_1731099999999_zzzzzzzzz"\n- workspaceId: "ws_1731099999999_yyyyyyyyy"\n</session_context>\n<available_workspaces>ws_1731010101010_f5g6h7i8j (Meetings)</available_workspaces>`;
    expect(rulesOf(seedRecord(readArgs(), { system }))).toEqual(["session-id-mismatch"]);
    const onlyOwn = system.replace(/<available_workspaces>.*<\/available_workspaces>/s, "");
    expect(rulesOf(seedRecord(readArgs(), { system: onlyOwn }))).toEqual([
      "session-id-mismatch",
      "workspace-id-mismatch",
    ]);
  });

  it("recorded profile accepts every id the real plugin produces", () => {
    for (const sessionId of ["session_1764000000000_k2j4", "s-20251201093000", "vault cleanup"]) {
      for (const workspaceId of ["default", "ws_1764000000000_ab12", "Research"]) {
        const line = seedRecord(readArgs({ ...CONTEXT, sessionId, workspaceId }));
        expect(rulesOf(line, "recorded"), `${sessionId} / ${workspaceId}`).toEqual([]);
        expect(rulesOf(line, "strict").length, `${sessionId} / ${workspaceId}`).toBeGreaterThan(0);
      }
    }
  });

  it("recorded profile warns on short context and on context not first, without failing", () => {
    const { issues } = validate(
      [seedRecord({ filePath: "a.md", context: { ...CONTEXT, subgoal: "read" } })],
      "recorded",
    );
    expect(issues.map((i) => [i.rule, i.severity])).toEqual([
      ["context-not-first", "warning"],
      ["context-field-short", "warning"],
    ]);
  });

  it("warns when a seed call has no Result and when a desirable row makes no call", () => {
    expect(validate([seedRecord(readArgs(), { result: false })]).issues).toEqual([
      expect.objectContaining({ rule: "result-missing", severity: "warning" }),
    ]);
    const noCall =
      '{"conversations": [{"role": "user", "content": "x"}, {"role": "assistant", "content": "Sure, which note?"}], "label": true}';
    expect(validate([noCall]).issues).toEqual([expect.objectContaining({ rule: "no-tool-call", severity: "warning" })]);
  });
});

describe("labels", () => {
  it("reports the tool-level defects of an undesirable row as expected warnings", () => {
    const { issues, summary } = validate([
      seedRecord(readArgs({ ...CONTEXT, sessionMemory: "" }), { name: "contentManager_readContents", label: false }),
    ]);
    expect(issues).toEqual([expect.objectContaining({ rule: "tool-unknown", severity: "warning", expected: true })]);
    expect(summary).toMatchObject({ errors: 0, warnings: 1, expected: 1, undesirable: 1 });
  });

  it("counts labels and one bad line never stops the rest", () => {
    const lines = [
      seedRecord(readArgs()),
      "{broken",
      "",
      seedRecord(readArgs(), { label: false }),
      '{"conversations": [{"role": "user", "content": "x"}, {"role": "assistant", "content": "y"}]}',
    ];
    const { issues, summary } = validate(lines);
    expect(issues.filter((i) => i.severity === "error").map((i) => [i.line, i.rule])).toEqual([[2, "json-parse"]]);
    expect(summary).toMatchObject({
      records: 4,
      blankLines: 1,
      desirable: 1,
      undesirable: 1,
      unlabeled: 1,
      calls: 2,
      recordsWithErrors: 1,
    });
  });
});

describe("other record and call forms", () => {
  it("OpenAI tool_calls with a system prompt", () => {
    const messages = [
      {
        role: "system",
        content: `<session_context>sessionId: ${CONTEXT.sessionId}, workspaceId: ${CONTEXT.workspaceId}</session_context>`,
      },
      { role: "user", content: "Read the note" },
      {
        role: "assistant",
        content: null,
        tool_calls: renderOpenAiCalls([{ name: "contentManager_readContent", arguments: readArgs() }]),
      },
      { role: "tool", tool_call_id: "call_0", content: '{"success": true}' },
    ];
    expect(validate([JSON.stringify({ messages, label: true })]).issues).toEqual([]);
    const wrong = structuredClone(messages);
    (wrong[2]!.tool_calls![0]!.function as { arguments: string }).arguments = JSON.stringify(
      readArgs({ ...CONTEXT, sessionId: "session_1731010101010_zzzzzzzzz" }),
    );
    expect(rulesOf(JSON.stringify({ messages: wrong, label: true }))).toEqual(["session-id-mismatch"]);
  });

  it("Hermes calls are validated, not passed as plain replies", () => {
    const content = renderHermesCalls([
      { name: "vaultManager_deleteFolder", arguments: { context: { ...CONTEXT, sessionMemory: "" }, path: "/" } },
    ]);
    const line = JSON.stringify({
      conversations: [
        { role: "user", content: "x" },
        { role: "assistant", content },
      ],
      label: true,
    });
    expect(rulesOf(line)).toEqual(["session-memory-empty"]);
  });

  it("KTO rows with text or conversational prompt and completion", () => {
    const completion = renderSeedTextCall({ name: "contentManager_readContent", arguments: readArgs() }, "{}");
    expect(rulesOf(JSON.stringify({ prompt: "Read it", completion, label: true }))).toEqual([]);
    const conversational = {
      prompt: [{ role: "user", content: "Read it" }],
      completion: [{ role: "assistant", content: completion }],
      label: true,
    };
    expect(rulesOf(JSON.stringify(conversational))).toEqual([]);
    expect(
      rulesOf(
        JSON.stringify({ prompt: "Read it", completion: completion.replace("readContent", "readContnt"), label: true }),
      ),
    ).toEqual(["tool-unknown"]);
  });

  it("3.x wire calls (agent + mode) are checked against the mode's flat schema", () => {
    expect(
      rulesOf(seedRecord(readArgs(CONTEXT, { mode: "readContent", filePath: "a.md" }), { name: "contentManager" })),
    ).toEqual([]);
    expect(rulesOf(seedRecord(readArgs(CONTEXT, { mode: "readContent" }), { name: "contentManager" }))).toEqual([
      "param-missing",
    ]);
  });

  it("Nexus 5 calls: top-level context and each CLI command checked", () => {
    const call = (tool: string, extra: Record<string, unknown> = {}) =>
      JSON.stringify({
        messages: [
          { role: "user", content: "x" },
          {
            role: "assistant",
            content: null,
            tool_calls: renderOpenAiCalls([
              {
                name: "toolManager_useTools",
                arguments: {
                  workspaceId: "default",
                  sessionId: "notes cleanup",
                  memory: "Started tidying.",
                  goal: "Tidy",
                  tool,
                  ...extra,
                },
              },
            ]),
          },
        ],
        label: true,
      });
    const nexusRules = (line: string) => validate([line], "recorded", nexus).rules;
    expect(
      nexusRules(
        call(
          'content read "Daily/2026-01-01.md" 1 --end-line 20, storage move --path a.md --new-path b.md --overwrite',
        ),
      ),
    ).toEqual([]);
    expect(nexusRules(call("content reed --path a.md"))).toEqual(["command-unknown"]);
    expect(nexusRules(call("content read --path a.md"))).toEqual(["param-missing"]);
    expect(nexusRules(call("content read a.md first"))).toEqual(["param-type"]);
    expect(nexusRules(call("content read a.md 1 --colour red"))).toEqual(["param-unexpected"]);
    expect(nexusRules(call('content read --path "open'))).toEqual(["command-unparsable"]);
    expect(nexusRules(call("content write --path a.md --content @body", { values: { body: "# A" } }))).toEqual([]);
    expect(nexusRules(call("content write --path a.md --content @body"))).toEqual(["command-unparsable"]);
  });
});

describe("Nexus calls, against the release the session saw", () => {
  const nexus5_20 = builtinCatalog("nexus-5.20.1")!;
  const nexus5_17 = builtinCatalog("nexus-5.17.2")!;
  /** One recorded useTools call with the 5.20.1 surface: no ids unless given. */
  const useTools = (args: Record<string, unknown>) =>
    JSON.stringify({
      messages: [
        { role: "user", content: "Tidy my notes." },
        {
          role: "assistant",
          content: null,
          tool_calls: renderOpenAiCalls([
            { name: "toolManager_useTools", arguments: { memory: "Started tidying.", goal: "Tidy", ...args } },
          ]),
        },
      ],
      label: true,
    });
  const rules = (args: Record<string, unknown>, catalog = nexus5_20) =>
    validate([useTools(args)], "recorded", catalog).rules;

  it("passes good 5.20.1 calls: ids omitted, remove-property, batched commands with an operationId", () => {
    expect(rules({ tool: "content read Inbox.md 1" })).toEqual([]);
    expect(rules({ tool: "content remove-property --path Inbox.md --property status" })).toEqual([]);
    // Lists as the plugin takes them: comma-separated items or JSON.
    expect(
      rules({
        tool: 'memory create-state Sprint "Planning" "Plan" --active-files "a.md, b.md" --next-steps \'["ship"]\'',
      }),
    ).toEqual([]);
    expect(rules({ tool: "content write a.md @body --overwrite", values: { body: 'C:\\x "q"' } })).toEqual([]);
    expect(
      rules({
        tool: 'content read --path a.md --start-line 1, content read "b c.md" 1, storage list --path Projects',
        strategy: "parallel",
        operationId: "tidy-2026-12-01:read.1",
      }),
    ).toEqual([]);
  });

  it("reads an empty workspaceId as omitted, never as a workspace of that name", () => {
    const system = "<session_context>workspaceId: ws_1731010101010_f5g6h7i8j</session_context>";
    const withSystem = (workspaceId: string) => {
      const record = JSON.parse(useTools({ tool: "storage list --path /", workspaceId }));
      record.messages.unshift({ role: "system", content: system });
      return validate([JSON.stringify(record)], "recorded", nexus5_20).rules;
    };
    expect(withSystem("")).toEqual([]);
    expect(withSystem("ws_1731010101010_f5g6h7i8j")).toEqual([]);
    expect(withSystem("elsewhere")).toEqual(["workspace-id-mismatch"]);
  });

  it("fails bad ones, each under its rule", () => {
    expect(rules({ tool: "content read a.md 1", memory: undefined })).toEqual(["param-missing"]); // undefined drops the key
    expect(rules({ tool: "content rename a.md" })).toEqual(["command-unknown"]);
    expect(rules({ tool: "content remove-property --property status" })).toEqual(["param-missing"]);
    expect(rules({ tool: "content read a.md 1", operationId: "-starts-with-a-dash" })).toEqual(["param-constraint"]);
    expect(rules({ tool: "content read a.md 1", operationId: "x".repeat(129) })).toEqual([
      "param-constraint", // too long
      "param-constraint", // and so outside the pattern
    ]);
    expect(rules({ tool: "content read a.md 1", strategy: "batch" })).toEqual(["param-enum"]);
    expect(rules({ tool: "content read a.md --start-line first" })).toEqual(["param-type"]);
    expect(rules({ tool: "content read a.md 1", values: { body: 42 } })).toEqual(["param-type"]);
  });

  it("keeps 5.17.2 sessions on 5.17.2: its ids required, the newer command unknown", () => {
    expect(rules({ tool: "content read a.md 1", workspaceId: "default", sessionId: "tidy" }, nexus5_17)).toEqual([]);
    expect(rules({ tool: "content read a.md 1" }, nexus5_17)).toEqual(["param-missing", "param-missing"]);
    expect(
      rules(
        { tool: "content remove-property a.md --property status", workspaceId: "default", sessionId: "tidy" },
        nexus5_17,
      ),
    ).toEqual(["command-unknown"]);
    expect(
      rules({ tool: "content read a.md 1", operationId: "r1", workspaceId: "default", sessionId: "t" }, nexus5_17),
    ).toEqual(["param-unexpected"]);
  });
});
