import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { extractCalls } from "@vault-tuner/shared";
import type { LlamaModel } from "node-llama-cpp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toolsetFileName } from "../../src/datasets/output/write-dataset";
import { ensureLlamaCppTools } from "../../src/export/llama-cpp-tools";
import { ChatTemplate } from "../../src/inference/chat-template";
import type { ChatMessage, ChatTool } from "../../src/inference/chat-types";
import { llamaRuntime } from "../../src/inference/embedded-model";
import { commonPrefixLength, FreeRunningChat } from "../../src/inference/free-running-chat";
import { ensurePythonEnv, PYTHON_DIR } from "../../src/train/python-env";
import { STARTER } from "../jobs/job-fixtures";
import { runCli } from "../run-cli";

/**
 * A base like the Gemma 3 GGUF: a tiny Llama with Gemma's turn tokens, a tokenizer that adds BOS and no chat
 * template, converted to GGUF, imported with `base-import` (which gives it the tool template), trained one
 * SFT step and exported. What the trainer rendered and tokenized is compared with what the embedded runtime
 * renders and tokenizes from the exported GGUF alone.
 */
const TEMPLATE = readFileSync(join(PYTHON_DIR, "vault_tuner_train", "templates", "gemma-turns-tools.jinja"), "utf8");
let work: string;
let gguf: string;
let base: string;
let model: LlamaModel;
let training: { prompt: string; completion: string; prompt_ids: number[]; line: number }[];
let rows: { prompt: ChatMessage[]; completion: ChatMessage[]; toolset: string }[];
let tools: ChatTool[];

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "vt-free-running-"));
  const { python } = await ensurePythonEnv();
  const llamaCpp = await ensureLlamaCppTools();
  await execa(python, [
    join(PYTHON_DIR, "tests", "tiny_model.py"),
    "--dataset",
    STARTER,
    "--out",
    join(work, "hf"),
    "--gemma-turns",
  ]);
  await execa(
    python,
    [
      "-c",
      `from pathlib import Path; from vault_tuner_train.gguf_files import convert_model; convert_model(Path(${JSON.stringify(llamaCpp.sources)}), Path(${JSON.stringify(join(work, "hf"))}), Path(${JSON.stringify(join(work, "source.gguf"))}), "f32")`,
    ],
    { cwd: PYTHON_DIR },
  );
  const imported = await runCli([
    "base",
    "import",
    "--gguf",
    join(work, "source.gguf"),
    "--name",
    "tiny-gemma",
    "--data-dir",
    join(work, "data"),
  ]);
  if (imported.code !== 0) throw new Error(imported.stderr);
  base = join(work, "data", "bases", "tiny-gemma");
  await execa(
    python,
    [
      "-m",
      "vault_tuner_train",
      "sft",
      "--config",
      "tiny",
      "--dataset",
      STARTER,
      "--model",
      base,
      "--output",
      join(work, "run"),
      "--max-steps",
      "1",
      "--device",
      "cpu",
    ],
    { cwd: PYTHON_DIR },
  );
  const exported = await runCli([
    "export",
    "--run",
    join(work, "run"),
    "--output",
    join(work, "gguf"),
    "--dtype",
    "float32",
    "--quant",
    "q8_0",
    "--no-adapter",
    "--check-rows",
    "0",
  ]);
  if (exported.code !== 0) throw new Error(exported.stderr);
  gguf = join(work, "gguf", "model-f32.gguf");
  const printed = await execa(python, [
    join(PYTHON_DIR, "tests", "rendered_prompts.py"),
    "--model",
    base,
    "--dataset",
    STARTER,
    "--rows",
    "6",
  ]);
  training = printed.stdout
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line));
  rows = readFileSync(join(STARTER, "train.jsonl"), "utf8")
    .trim()
    .split("\n")
    .slice(0, 6)
    .map((line) => JSON.parse(line));
  tools = JSON.parse(readFileSync(join(STARTER, toolsetFileName(rows[0]?.toolset as string)), "utf8"));
  model = await (await llamaRuntime()).loadModel({ modelPath: gguf });
}, 600_000);

afterAll(async () => {
  await model?.dispose();
  rmSync(work, { recursive: true, force: true });
});

describe("the tool template, from training to the exported GGUF", () => {
  it("base import lists the imported base with the template it was given", async () => {
    const listed = await runCli(["base", "list", "--data-dir", join(work, "data")]);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/tiny-gemma\s+gemma3\s+\d+M\s+template gemma-turns-tools/);
    const again = await runCli([
      "base",
      "import",
      "--gguf",
      join(work, "source.gguf"),
      "--name",
      "tiny-gemma",
      "--data-dir",
      join(work, "data"),
    ]);
    expect(again).toMatchObject({ code: 0, stdout: expect.stringContaining("imported already") });
  });

  it("is embedded in the exported GGUF exactly as training rendered with it", () => {
    const metadata = model.fileInfo.metadata as { tokenizer?: { chat_template?: string } };
    expect(metadata.tokenizer?.chat_template).toBe(TEMPLATE);
  });

  it("renders each conversation, tools included, to the very text training saw", () => {
    const template = new ChatTemplate(TEMPLATE);
    expect(training.length).toBe(6);
    training.forEach((trained, index) => {
      const row = rows[index] as (typeof rows)[number];
      expect(template.render(row.prompt, tools), `row ${trained.line}`).toBe(trained.prompt);
      // The whole conversation ends with the completion training learned, up to its <end_of_turn>.
      const whole = template.render([...row.prompt, ...row.completion], tools, false);
      expect(whole.startsWith(trained.prompt + trained.completion), `row ${trained.line}`).toBe(true);
    });
    expect(training[0]?.prompt).toContain("Tools: agentManager_batchExecutePrompt, ");
  });

  it("tokenizes a rendered prompt to the ids training used, with the one BOS the tokenizer adds", () => {
    const chat = new FreeRunningChat(model, gguf);
    expect(model.tokens.shouldPrependBosToken).toBe(true);
    training.forEach((trained, index) => {
      const row = rows[index] as (typeof rows)[number];
      const ids = chat.promptTokens(row.prompt, tools);
      const differs = commonPrefixLength(ids, trained.prompt_ids);
      const around = (list: readonly number[]) =>
        JSON.stringify(model.detokenize(list.slice(Math.max(0, differs - 3), differs + 3) as never, true));
      expect(
        [...ids],
        `row ${trained.line}: from token ${differs} runtime ${around(ids)} vs training ${around(trained.prompt_ids)}`,
      ).toEqual(trained.prompt_ids);
      expect(ids.filter((id) => id === model.tokens.bos).length).toBe(1);
    });
  });

  it("writes calls that come back through the codecs unchanged (what Ollama and node-llama-cpp read)", () => {
    const template = new ChatTemplate(TEMPLATE);
    const call = {
      name: "contentManager_readContent",
      arguments: { context: { sessionId: "session_1", workspaceId: "default" }, filePath: "Inbox/a.md" },
    };
    const prompt: ChatMessage[] = [{ role: "user", content: "Read Inbox/a.md" }];
    const before = template.render(prompt, tools);
    const after = template.render(
      [...prompt, { role: "assistant", content: null, tool_calls: [{ id: "c1", function: call }] }],
      tools,
      false,
    );
    const reply = after.slice(before.length).replace(/<end_of_turn>\n$/, "");
    const extracted = extractCalls({ content: reply });
    expect(extracted.errors).toEqual([]);
    expect(extracted.calls.map(({ name, arguments: args, form }) => ({ name, arguments: args, form }))).toEqual([
      { ...call, form: "hermes" },
    ]);
    expect(before).toContain("contentManager_readContent");
  });
});

describe("free-running answers with the prompt prefix kept between requests", () => {
  const opening = (text: string): ChatMessage[] => [
    ...(rows[0]?.prompt.slice(0, 1) ?? []),
    { role: "user", content: text },
  ];

  it("reuses the shared prefix (system prompt and tools) and keeps the sequence aligned with the new prompt", async () => {
    const warm = new FreeRunningChat(model, gguf);
    await warm.size(1024);
    const first = await warm.answer(opening("Open the vendor review."), tools, { maxTokens: 24 });
    const second = await warm.answer(opening("List the agents."), tools, { maxTokens: 24 });
    const shared = commonPrefixLength(
      warm.promptTokens(opening("Open the vendor review."), tools),
      warm.promptTokens(opening("List the agents."), tools),
    );
    expect(first.reusedTokens).toBe(0);
    expect(shared).toBeGreaterThan(100);
    expect(second.reusedTokens).toBe(shared);
    // What the sequence holds is this prompt, then the reply: nothing of the first request is left behind.
    const prompt = warm.promptTokens(opening("List the agents."), tools);
    expect(warm.heldTokens.slice(0, prompt.length)).toEqual([...prompt]);
    expect(warm.heldTokens.length).toBe(
      prompt.length + (second.completionTokens ?? 0) - (second.stop === "end" ? 0 : 1),
    );
    // The next turn of the same conversation keeps the whole earlier prompt.
    const turn = [
      ...opening("List the agents."),
      { role: "assistant" as const, content: second.content },
      { role: "user" as const, content: "Thanks." },
    ];
    const third = await warm.answer(turn, tools, { maxTokens: 8 });
    expect(third.reusedTokens).toBeGreaterThanOrEqual(warm.promptTokens(opening("List the agents."), tools).length);
    await warm.close();
  });

  it("after a failed request the next one runs on a clean sequence", async () => {
    const chat = new FreeRunningChat(model, gguf);
    await chat.size(1024);
    const expected = (await chat.answer(opening("Open the vendor review."), tools, { maxTokens: 16 })).content;
    const abort = new AbortController();
    abort.abort(new Error("stopped"));
    await expect(
      chat.answer(opening("List the agents."), tools, { maxTokens: 16, signal: abort.signal }),
    ).rejects.toThrow("stopped");
    const again = await chat.answer(opening("Open the vendor review."), tools, { maxTokens: 16 });
    expect(again.content).toBe(expected);
    expect(again.reusedTokens).toBe(0);
    await chat.close();
  });

  it("sizes the context from the prompt and the turn budget, and says when a conversation outgrows it", async () => {
    const chat = new FreeRunningChat(model, gguf);
    expect(chat.contextSizeFor(300, 2, 64)).toBe(Math.min(model.trainContextSize, 1536));
    expect(chat.contextSizeFor(100, 1, 28)).toBe(768);
    await chat.size(256);
    const long = await chat.answer(opening("Open the vendor review."), tools, { maxTokens: 16 });
    expect(long).toMatchObject({ stop: "context-full", completionTokens: 0 });
    await chat.close();
  });
});
