import { describe, expect, it } from "vitest";
import type { EvalCase } from "@vault-tuner/shared";
import type { RawChatAnswer } from "../../src/inference/chat-types";
import { RequestError, type EvalBackend } from "../../src/evals/backends/eval-backend";
import { loadPromptSet } from "../../src/evals/prompt-sets";
import { runAttempt } from "../../src/evals/run-attempt";
import { offeredTools, sandboxCatalog } from "../../src/evals/run-eval";

/** A model that runs away is a wrong answer (`finished` fails), never a request error. */
const set = loadPromptSet("irrelevance");
const catalog = sandboxCatalog(set.catalog);
const evalCase = set.cases[0] as EvalCase;

function backend(replies: (RawChatAnswer | Error)[]): EvalBackend {
  return {
    info: {
      kind: "embedded",
      model: "scripted.gguf",
      grammar_constrained: false,
      temperature: 0,
      top_p: 1,
      max_tokens: 8,
    },
    maxConcurrency: 1,
    async chat() {
      const reply = replies.shift();
      if (!reply) throw new Error("no more scripted replies");
      if (reply instanceof Error) throw reply;
      return reply;
    },
    async close() {},
  };
}
const reply = (content: string, stop?: RawChatAnswer["stop"]): RawChatAnswer => ({
  content,
  toolCalls: [],
  promptTokens: 10,
  completionTokens: 8,
  ...(stop ? { stop } : {}),
});
const attempt = (replies: (RawChatAnswer | Error)[]) =>
  runAttempt(evalCase, 1, catalog, offeredTools(evalCase, catalog), backend(replies));

describe("runaway replies fail `finished`", () => {
  it("a reply that ends on its own passes (an irrelevant request answered in words)", async () => {
    const record = await attempt([reply("Paris is the capital of France.", "end")]);
    expect(record.status).toBe("passed");
    expect(record.checks.finished?.status).toBe("pass");
  });

  it("a reply cut off at the token limit without a call fails finished", async () => {
    const record = await attempt([reply("Paris is the capital of France and the capital of", "max-tokens")]);
    expect(record.status).toBe("failed");
    expect(record.failure_reasons).toEqual([
      "finished: the reply was cut off at the token limit without a call or an end of turn",
    ]);
  });

  it("a conversation that outgrows the context fails finished", async () => {
    const record = await attempt([reply("", "context-full")]);
    expect(record.status).toBe("failed");
    expect(record.failure_reasons).toEqual(["finished: the conversation outgrew the model's context"]);
  });

  it("a transport failure stays a request error", async () => {
    const record = await attempt([new RequestError("the embedded model failed: out of memory")]);
    expect(record).toMatchObject({ status: "request-error", error: "the embedded model failed: out of memory" });
  });
});
