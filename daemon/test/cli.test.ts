import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "./run-cli";

const dir = mkdtempSync(join(tmpdir(), "vault-tuner-cli-"));
const file = (name: string, content: string | Buffer) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

const CONTEXT = {
  sessionId: "session_1731010101010_a1b2c3d4e",
  workspaceId: "ws_1731010101010_f5g6h7i8j",
  sessionDescription: "Tidy notes",
  sessionMemory: "Started tidying.",
  toolContext: "Listing the folder",
  primaryGoal: "Tidy notes",
  subgoal: "List Meetings",
};
const good = JSON.stringify({
  conversations: [
    { role: "user", content: "List Meetings" },
    {
      role: "assistant",
      content: `tool_call: vaultManager_listDirectory\narguments: ${JSON.stringify({ context: CONTEXT, path: "Meetings" })}\n\nResult: {}\n\nDone.`,
    },
  ],
  label: true,
});

describe("vault-tuner validate", () => {
  it("exits 0 on a clean file and 1 on errors, with 1-based physical line numbers", async () => {
    expect((await runCli(["validate", file("ok.jsonl", `${good}\n${good}\n`)])).code).toBe(0);
    const path = file("bad.jsonl", `${good}\r\n\r\n{nope\n${good}\n[1]`);
    const { code, stdout } = await runCli(["validate", path, "--json"]);
    expect(code).toBe(1);
    const report = JSON.parse(stdout);
    expect(report.issues.map((i: { line: number; rule: string }) => [i.line, i.rule])).toEqual([
      [3, "json-parse"],
      [5, "record-not-object"],
    ]);
    expect(report.records).toBe(4);
    expect(report.summary).toMatchObject({ blankLines: 1, errors: 2, desirable: 2 });
  });

  it("reads a byte-order mark, and reports a line that is not UTF-8 without stopping", async () => {
    const path = file(
      "bom.jsonl",
      Buffer.concat([
        Buffer.from([0xef, 0xbb, 0xbf]),
        Buffer.from(`${good}\n`),
        Buffer.from([0xff, 0xfe, 0x0a]),
        Buffer.from(good),
      ]),
    );
    const report = JSON.parse((await runCli(["validate", path, "--json"])).stdout);
    expect(report.issues.map((i: { line: number; rule: string }) => [i.line, i.rule])).toEqual([[2, "not-utf8"]]);
    expect(report.summary).toMatchObject({ records: 3, desirable: 2 });
  });

  it("checks against a recorded tools/list file", async () => {
    const toolsList = file(
      "tools.json",
      JSON.stringify({
        jsonrpc: "2.0",
        id: 1,
        result: {
          tools: [
            {
              name: "vaultManager_listDirectory",
              inputSchema: {
                type: "object",
                properties: { context: { type: "object" }, path: { type: "string" } },
                required: ["path"],
              },
            },
          ],
        },
      }),
    );
    const data = file(
      "recorded.jsonl",
      `${good}\n${good.replace("vaultManager_listDirectory", "vaultManager_openNote")}\n`,
    );
    const { code, stdout } = await runCli([
      "validate",
      data,
      "--catalog",
      toolsList,
      "--profile",
      "recorded",
      "--json",
    ]);
    expect(code).toBe(1);
    expect(JSON.parse(stdout).issues).toEqual([expect.objectContaining({ line: 2, rule: "tool-unknown" })]);
  });

  it("exits 2 with a clear message for usage mistakes and unreadable input", async () => {
    const missing = await runCli(["validate", join(dir, "nope.jsonl")]);
    expect(missing).toMatchObject({ code: 2, stderr: expect.stringContaining("no such file") });
    expect(await runCli(["validate"])).toMatchObject({ code: 2, stderr: expect.stringContaining("missing FILE") });
    expect(await runCli(["validate", dir])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("not a regular file"),
    });
    const ok = file("ok2.jsonl", good);
    expect(await runCli(["validate", ok, "--profile", "loose"])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("--profile must be strict or recorded"),
    });
    expect(await runCli(["validate", ok, "--catalog", "claudesidian-9"])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("neither a built-in catalog"),
    });
    expect(await runCli(["validate", ok, "--frobnicate"])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("usage: vault-tuner validate"),
    });
    expect(await runCli(["explode"])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('unknown command "explode"'),
    });
  });
});

describe("vault-tuner coverage", () => {
  it("understands every call form and lists invalid names with their lines", async () => {
    const call = { name: "vaultManager_listDirectory", arguments: { context: CONTEXT, path: "/" } };
    const lines = [
      good,
      JSON.stringify({
        messages: [
          { role: "user", content: "x" },
          {
            role: "assistant",
            content: null,
            tool_calls: [
              { id: "1", type: "function", function: { name: call.name, arguments: JSON.stringify(call.arguments) } },
            ],
          },
        ],
        label: false,
      }),
      JSON.stringify({ prompt: "x", completion: `<tool_call>\n${JSON.stringify(call)}\n</tool_call>`, label: true }),
      JSON.stringify({
        prompt: "x",
        completion: `[TOOL_CALLS] ${JSON.stringify([{ ...call, name: "vaultManager_makeCoffee" }])}`,
        label: false,
      }),
    ];
    const { code, stdout } = await runCli(["coverage", file("forms.jsonl", lines.join("\n")), "--json"]);
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.forms).toEqual({ "seed-text": 1, openai: 1, hermes: 1, mistral: 1 });
    expect(report.agents.find((a: { agent: string }) => a.agent === "vaultManager").tools).toEqual([
      { name: "vaultManager_listDirectory", count: 3, good: 2, bad: 1 },
    ]);
    expect(report.invalidNames).toEqual([{ name: "vaultManager_makeCoffee", count: 1, lines: [4] }]);
    expect(report.neverCalled).toHaveLength(46);
  });
});
