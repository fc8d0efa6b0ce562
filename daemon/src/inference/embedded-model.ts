import { availableParallelism } from "node:os";
import type { Llama, LlamaContext, LlamaModel, Token } from "node-llama-cpp";

/**
 * A GGUF model run inside the daemon by node-llama-cpp (the "embedded" backend, for people without
 * Ollama). Only the prebuilt binaries are used (`build: "never"`): a missing one fails at once
 * instead of compiling llama.cpp for minutes.
 */
export interface EmbeddedModel {
  tokenize(text: string): number[];
  detokenize(tokens: number[]): string;
  /** Greedy decoding from the given prompt tokens, up to `maxTokens` or the first end-of-generation token (kept). */
  greedy(promptTokens: number[], maxTokens: number): Promise<number[]>;
  /** The GGUF's embedded chat template, as the runtime reads it. */
  readonly chatTemplate: string | undefined;
  close(): Promise<void>;
}

let loadedRuntime: Promise<Llama> | undefined;

/**
 * Threads for evaluation: all cores but one (for the daemon itself), or VAULT_TUNER_THREADS. node-llama-cpp's
 * own default oversubscribes small machines badly: on 2 cores a 2M-parameter model took 250 ms a token
 * with it and 0.8 ms with one thread; a 90M one 1.3 s a token against 15 ms.
 */
export function inferenceThreads(env: NodeJS.ProcessEnv = process.env): number {
  const given = Number(env.VAULT_TUNER_THREADS);
  if (Number.isInteger(given) && given > 0) return given;
  return Math.max(1, availableParallelism() - 1);
}

/** One llama.cpp runtime per process: loading it twice wastes memory and start-up time. */
export function llamaRuntime(gpu = false): Promise<Llama> {
  loadedRuntime ??= import("node-llama-cpp").then(({ getLlama, LlamaLogLevel }) =>
    getLlama({ gpu: gpu ? "auto" : false, build: "never", logLevel: LlamaLogLevel.error }),
  );
  return loadedRuntime;
}

export async function openEmbeddedModel(
  modelPath: string,
  options: { gpu?: boolean; contextSize?: number } = {},
): Promise<EmbeddedModel> {
  const llama = await llamaRuntime(options.gpu ?? false);
  const model: LlamaModel = await llama.loadModel({ modelPath });
  const context: LlamaContext = await model.createContext({
    contextSize: options.contextSize ?? 2048,
    threads: inferenceThreads(),
  });
  const metadata = model.fileInfo.metadata as { tokenizer?: { chat_template?: string } };
  return {
    chatTemplate: metadata.tokenizer?.chat_template,
    tokenize: (text) => [...model.tokenize(text, true)],
    detokenize: (tokens) => model.detokenize(tokens as Token[]),
    async greedy(promptTokens, maxTokens) {
      const sequence = context.getSequence();
      try {
        const produced: number[] = [];
        for await (const token of sequence.evaluate(promptTokens as Token[], { temperature: 0 })) {
          produced.push(token);
          if (produced.length >= maxTokens || model.isEogToken(token)) break;
        }
        return produced;
      } finally {
        sequence.dispose();
      }
    },
    async close() {
      await context.dispose();
      await model.dispose();
    },
  };
}
