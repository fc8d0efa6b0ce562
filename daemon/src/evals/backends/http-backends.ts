import { chatWithTools } from "../../inference/ollama-chat";
import { chatWithToolsOpenAi } from "../../inference/openai-chat";
import { backendInfo, samplingOptions, withRetries, type BackendSpec, type EvalBackend } from "./eval-backend";

export const DEFAULT_OLLAMA_HOST = "http://127.0.0.1:11434";

/** Requests an HTTP backend gets at once at most; servers queue beyond their own slots anyway. */
const HTTP_CONCURRENCY = 16;

/** A model served by Ollama, asked through /api/chat with the tools. */
export function ollamaBackend(spec: BackendSpec): EvalBackend {
  const host = spec.url ?? DEFAULT_OLLAMA_HOST;
  return {
    info: backendInfo({ ...spec, url: host }, false),
    maxConcurrency: HTTP_CONCURRENCY,
    chat: (messages, tools, signal) =>
      withRetries(spec, signal, (requestSignal) =>
        chatWithTools(host, spec.model, messages, tools, { ...samplingOptions(spec), signal: requestSignal }),
      ),
    close: async () => undefined,
  };
}

/** Any OpenAI-compatible server by URL (LM Studio, llama-server, vLLM, a hosted API with a key). */
export function openAiBackend(spec: BackendSpec): EvalBackend {
  if (!spec.url) throw new Error("the openai backend needs --url, the server's base URL ending in /v1");
  const url = spec.url;
  return {
    info: backendInfo(spec, false),
    maxConcurrency: HTTP_CONCURRENCY,
    chat: (messages, tools, signal) =>
      withRetries(spec, signal, (requestSignal) =>
        chatWithToolsOpenAi(url, spec.model, messages, tools, {
          ...samplingOptions(spec),
          apiKey: spec.apiKey,
          signal: requestSignal,
        }),
      ),
    close: async () => undefined,
  };
}
