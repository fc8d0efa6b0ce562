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

/** One llama.cpp runtime per process: loading it twice wastes memory and start-up time. */
export function llamaRuntime(gpu = false): Promise<Llama> {
  loadedRuntime ??= import("node-llama-cpp").then(({ getLlama, LlamaLogLevel }) => getLlama({ gpu: gpu ? "auto" : false, build: "never", logLevel: LlamaLogLevel.error }));
  return loadedRuntime;
}

export async function openEmbeddedModel(modelPath: string, options: { gpu?: boolean; contextSize?: number } = {}): Promise<EmbeddedModel> {
  const llama = await llamaRuntime(options.gpu ?? false);
  const model: LlamaModel = await llama.loadModel({ modelPath });
  const context: LlamaContext = await model.createContext({ contextSize: options.contextSize ?? 2048 });
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
