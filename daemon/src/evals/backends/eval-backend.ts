import { EVAL_BACKENDS } from "@vault-tuner/shared";
import type { BackendInfo, EvalCase } from "@vault-tuner/shared";
import { EVAL_SAMPLING } from "@vault-tuner/shared/eval-defaults";
import type { ChatMessage, ChatTool, RawChatAnswer } from "../../inference/chat-types";

export const BACKEND_KINDS = EVAL_BACKENDS;
export type BackendKind = (typeof BACKEND_KINDS)[number];

/** What to evaluate and how to sample it. Defaults follow the seed's evaluator where it had one. */
export interface BackendSpec {
  kind: BackendKind;
  /** embedded: a GGUF file; ollama: a model name; openai: the server's model id. */
  model: string;
  /** ollama: the host (default http://127.0.0.1:11434); openai: the base URL ending in /v1. */
  url?: string;
  apiKey?: string;
  temperature: number;
  topP: number;
  maxTokens: number;
  seed?: number;
  /** Per request, for the backends reached over HTTP. */
  timeoutMs: number;
  /** Further tries of a request that failed (not of a wrong answer). */
  retries: number;
  /**
   * embedded: constrain calls with a grammar built from the tool schemas (node-llama-cpp's function calling).
   * Off by default: the model decodes freely, as it would in Ollama, so its scores mean what they would there.
   */
  grammar?: boolean;
}

export const DEFAULT_SAMPLING = { ...EVAL_SAMPLING, timeoutMs: 60_000, retries: 2 } as const;

/** A chat backend as the evaluator drives it: one turn with the tools, the answer as given. */
export interface EvalBackend {
  readonly info: BackendInfo;
  /** How many requests it can usefully take at once (the embedded model answers one at a time). */
  readonly maxConcurrency: number;
  /** `evalCase` is the case being run: only the reference backend reads it (a model sees the messages alone). */
  chat(messages: ChatMessage[], tools: ChatTool[], signal?: AbortSignal, evalCase?: EvalCase): Promise<RawChatAnswer>;
  /** Called once before a run with every case's opening prompt and the longest turn limit (to size a context). */
  prepare?(openings: { messages: ChatMessage[]; tools: ChatTool[] }[], turnLimit: number): Promise<void>;
  close(): Promise<void>;
}

/** A request that still failed after its retries: counted as a request error, never as a wrong answer. */
export class RequestError extends Error {}

/** The request options a spec's sampling becomes, the same for every backend. */
export function samplingOptions(spec: BackendSpec): {
  temperature: number;
  topP: number;
  maxTokens: number;
  seed?: number;
} {
  return {
    temperature: spec.temperature,
    topP: spec.topP,
    maxTokens: spec.maxTokens,
    ...(spec.seed !== undefined ? { seed: spec.seed } : {}),
  };
}

export function backendInfo(spec: BackendSpec, grammarConstrained: boolean): BackendInfo {
  return {
    kind: spec.kind,
    model: spec.model,
    ...(spec.url ? { url: spec.url } : {}),
    grammar_constrained: grammarConstrained,
    temperature: spec.temperature,
    top_p: spec.topP,
    max_tokens: spec.maxTokens,
    ...(spec.seed !== undefined ? { seed: spec.seed } : {}),
  };
}

/**
 * Runs a request with a timeout and retries it when it fails (not reachable, 5xx, timed out), waiting a
 * little longer each time. Cancelling the run stops at once without retrying.
 */
export async function withRetries<T>(
  spec: BackendSpec,
  signal: AbortSignal | undefined,
  request: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  let lastError: unknown;
  for (let attempt = 0; attempt <= spec.retries; attempt++) {
    if (signal?.aborted) throw signal.reason;
    const timeout = AbortSignal.timeout(spec.timeoutMs);
    try {
      return await request(signal ? AbortSignal.any([signal, timeout]) : timeout);
    } catch (error) {
      if (signal?.aborted) throw error;
      lastError = timeout.aborted ? new Error(`no answer within ${Math.round(spec.timeoutMs / 1000)} s`) : error;
      if (attempt < spec.retries) await new Promise((resolve) => setTimeout(resolve, 250 * 2 ** attempt));
    }
  }
  throw new RequestError(`${(lastError as Error).message} (after ${spec.retries + 1} tries)`);
}
