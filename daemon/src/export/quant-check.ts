import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { canonicalJson, extractCalls } from "@vault-tuner/shared";
import { toolsetFileName } from "../datasets/output/write-dataset";
import type { ChatMessage, ChatTool } from "../inference/chat-types";
import { FreeRunningChat } from "../inference/free-running-chat";

/** A quantized file whose greedy answers, and the calls in them, agree with the 16-bit model's at least this much keeps the training. */
export const KEPT_AGREEMENT = 0.9;
/** Below this (and with the calls no longer the same), the quantization erased the fine-tune. */
export const ERASED_AGREEMENT = 0.5;

export interface QuantVerdict {
  kind: string;
  file: string;
  bytes: number;
  /** Mean share of the 16-bit answer's characters the quantized answer repeats from the start. */
  agreement: number;
  /** Share of rows where both files write the same calls (names and arguments), or both none. */
  same_calls: number;
  verdict: "kept" | "drifted" | "erased";
}

export interface QuantCheck {
  reference: string;
  rows: number;
  max_tokens: number;
  files: QuantVerdict[];
  /** The smallest file that kept the training; the 16-bit file when none did. */
  recommended: string;
}

export interface CheckPrompt {
  messages: ChatMessage[];
  tools: ChatTool[];
}

/**
 * Held-out prompts for the check: the desirable rows of a built dataset's holdout (else its train split),
 * as the conversation before the labelled turn and the tools its toolset offered.
 */
export function heldOutPrompts(datasetDir: string, limit: number): CheckPrompt[] {
  const file = [join(datasetDir, "holdout.jsonl"), join(datasetDir, "train.jsonl")].find(
    (path) => existsSync(path) && readFileSync(path, "utf8").trim() !== "",
  );
  if (!file)
    throw new Error(`${datasetDir} holds no dataset rows (holdout.jsonl or train.jsonl) to check quantizations with`);
  const toolsets = new Map<string, ChatTool[]>();
  const prompts: CheckPrompt[] = [];
  for (const line of readFileSync(file, "utf8").split("\n")) {
    if (prompts.length >= limit) break;
    if (!line.trim()) continue;
    const row = JSON.parse(line) as {
      prompt?: ChatMessage[];
      messages?: ChatMessage[];
      label?: boolean;
      toolset?: string;
    };
    if (row.label === false) continue;
    const messages = row.prompt ?? row.messages?.slice(0, -1);
    if (!messages) continue;
    const key = row.toolset ?? "";
    if (key && !toolsets.has(key)) {
      const path = join(datasetDir, toolsetFileName(key));
      toolsets.set(key, existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as ChatTool[]) : []);
    }
    prompts.push({ messages, tools: toolsets.get(key) ?? [] });
  }
  return prompts;
}

/** Where a check is: which file it answers with, of how many. */
export interface CheckProgress {
  file: string;
  index: number;
  total: number;
}

/**
 * Greedy answers of each quantized file against the 16-bit file's, on the same prompts, rendered with the
 * GGUFs' own template. A quantization that changes what the model writes (its calls above all) lost
 * the fine-tune, whatever its size; the recommendation is the smallest file that did not, else the reference.
 */
export async function checkQuantizations(
  reference: { kind: string; file: string },
  quantized: { kind: string; file: string; bytes: number }[],
  prompts: CheckPrompt[],
  options: { maxTokens?: number; onProgress?: (progress: CheckProgress) => void; signal?: AbortSignal } = {},
): Promise<QuantCheck> {
  const maxTokens = options.maxTokens ?? 256;
  const total = quantized.length + 1;
  const answersOf = (file: string, index: number) => {
    options.onProgress?.({ file, index, total });
    return greedyAnswers(file, prompts, maxTokens, options.signal);
  };
  const expected = await answersOf(reference.file, 1);
  const files: QuantVerdict[] = [];
  for (const [position, candidate] of quantized.entries()) {
    const answers = await answersOf(candidate.file, position + 2);
    files.push({
      kind: candidate.kind,
      file: candidate.file,
      bytes: candidate.bytes,
      ...judgeAnswers(expected, answers),
    });
  }
  const kept = files.filter((file) => file.verdict === "kept").sort((a, b) => a.bytes - b.bytes);
  return {
    reference: reference.file,
    rows: prompts.length,
    max_tokens: maxTokens,
    files,
    recommended: kept[0]?.kind ?? reference.kind,
  };
}

/** How far a quantized file's answers follow the 16-bit file's, prompt by prompt, and what that means. */
export function judgeAnswers(
  expected: string[],
  answers: string[],
): Pick<QuantVerdict, "agreement" | "same_calls" | "verdict"> {
  const agreement = mean(answers.map((answer, index) => prefixShare(expected[index] ?? "", answer)));
  const sameCalls = mean(answers.map((answer, index) => (callsOf(answer) === callsOf(expected[index] ?? "") ? 1 : 0)));
  const verdict =
    agreement >= KEPT_AGREEMENT && sameCalls >= KEPT_AGREEMENT
      ? "kept"
      : agreement < ERASED_AGREEMENT && sameCalls < ERASED_AGREEMENT
        ? "erased"
        : "drifted";
  return { agreement: round(agreement), same_calls: round(sameCalls), verdict };
}

async function greedyAnswers(
  file: string,
  prompts: CheckPrompt[],
  maxTokens: number,
  signal: AbortSignal | undefined,
): Promise<string[]> {
  signal?.throwIfAborted();
  const chat = await FreeRunningChat.open(file);
  try {
    await chat.sizeFor(prompts, 1, maxTokens);
    const answers: string[] = [];
    for (const prompt of prompts) {
      signal?.throwIfAborted();
      answers.push((await chat.answer(prompt.messages, prompt.tools, { temperature: 0, maxTokens })).content);
    }
    return answers;
  } finally {
    await chat.close();
  }
}

function callsOf(text: string): string {
  return canonicalJson(extractCalls({ content: text }).calls.map((call) => [call.name, call.arguments]));
}

function prefixShare(expected: string, actual: string): number {
  const longest = Math.max(expected.length, actual.length);
  if (longest === 0) return 1;
  let index = 0;
  while (index < expected.length && expected[index] === actual[index]) index++;
  return index / longest;
}

function mean(values: number[]): number {
  return values.length === 0 ? 1 : values.reduce((sum, value) => sum + value, 0) / values.length;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
