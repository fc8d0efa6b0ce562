import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startFakeOllama, type FakeOllama } from "../deploy/fake-ollama";
import { runCli } from "../run-cli";

/**
 * The Ollama backend through the evaluator, against the local server that speaks Ollama's documented
 * /api/chat (it always calls the first tool offered): tools sent, calls read, results sent back in
 * Ollama's shape, turn after turn.
 */
let ollama: FakeOllama;
beforeAll(async () => {
  ollama = await startFakeOllama();
  ollama.models.set("vault-tools:test", { digest: "sha256:0", capabilities: ["completion", "tools"] });
});
afterAll(() => ollama.close());

it("runs a case over /api/chat with the tools, feeding each result back as a tool message", async () => {
  const out = join(mkdtempSync(join(tmpdir(), "vt-ollama-eval-")), "report.json");
  const run = await runCli([
    "eval",
    "run",
    "--set",
    "full-coverage",
    "--cases",
    "vaultManager_openNote",
    "--backend",
    "ollama",
    "--url",
    ollama.host,
    "--model",
    "vault-tools:test",
    "--turn-limit",
    "2",
    "--out",
    out,
    "--quiet",
  ]);
  expect(run.code).toBe(2);
  const chats = ollama.requests.filter((request) => request.path === "/api/chat");
  expect(chats).toHaveLength(2);
  expect(chats[0]?.body.tools).toHaveLength(47);
  expect(chats[0]?.body.options).toMatchObject({ temperature: 0.2, top_p: 0.9, num_predict: 1024 });
  const firstTool = chats[0]?.body.tools[0].function.name;
  const second = chats[1]?.body.messages;
  expect(second.at(-2)).toMatchObject({
    role: "assistant",
    tool_calls: [{ function: { name: firstTool, arguments: { path: "Notes/a.md" } } }],
  });
  expect(second.at(-1)).toMatchObject({
    role: "tool",
    tool_name: firstTool,
    content: expect.stringContaining("❌ Error:"),
  });
  const report = JSON.parse(readFileSync(out, "utf8"));
  expect(report.metadata.backend).toMatchObject({
    kind: "ollama",
    model: "vault-tools:test",
    url: ollama.host,
    grammar_constrained: false,
  });
  expect(report.records[0]).toMatchObject({
    status: "failed",
    turns: 2,
    calls: [{ tool: firstTool }, { tool: firstTool }],
  });
  expect(report.records[0].checks).toMatchObject({
    context: { status: "fail" },
    selection: { status: "fail" },
    finished: { status: "fail" },
  });
});
