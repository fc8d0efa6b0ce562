import { describeError } from "@vault-tuner/shared";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import type { EmbeddedServing } from "../../deploy/embedded-serving";
import type { ChatMessage, ChatTool, RawChatAnswer } from "../../inference/chat-types";
import { EmbeddedChat, type MeteredAnswer } from "../../inference/embedded-chat";
import { llamaRuntime } from "../../inference/embedded-model";
import { FreeRunningChat } from "../../inference/free-running-chat";
import { backendInfo, RequestError, samplingOptions, type BackendSpec, type EvalBackend } from "./eval-backend";

/**
 * A GGUF run in this process by node-llama-cpp. By default it decodes freely from the prompt its own chat
 * template renders (as in Ollama), reusing the shared prompt prefix across cases and turns; with
 * `grammar`, calls are grammar-constrained by node-llama-cpp's function calling, which the report states.
 */
export async function embeddedBackend(spec: BackendSpec, serving?: EmbeddedServing): Promise<EvalBackend> {
  const gguf = resolve(spec.model);
  if (!existsSync(gguf)) throw new Error(`the embedded backend needs a GGUF file: ${spec.model} does not exist`);
  return spec.grammar ? grammarBackend(spec, gguf, serving) : freeRunningBackend(spec, gguf);
}

async function freeRunningBackend(spec: BackendSpec, gguf: string): Promise<EvalBackend> {
  const sampling = samplingOptions(spec);
  const chat = await FreeRunningChat.open(gguf);
  return {
    info: backendInfo({ ...spec, model: gguf }, false),
    maxConcurrency: 1,
    prepare: (openings, turnLimit) => chat.sizeFor(openings, turnLimit, sampling.maxTokens),
    async chat(messages, tools, signal): Promise<RawChatAnswer> {
      try {
        return await chat.answer(messages, tools, { ...sampling, signal });
      } catch (error) {
        if (signal?.aborted) throw error;
        throw new RequestError(`the embedded model failed: ${describeError(error)}`);
      }
    },
    close: () => chat.close(),
  };
}

/** node-llama-cpp's function calling; reuses the daemon's loaded model when it serves that very file. */
async function grammarBackend(spec: BackendSpec, gguf: string, serving?: EmbeddedServing): Promise<EvalBackend> {
  const sampling = samplingOptions(spec);
  let answer: (messages: ChatMessage[], tools: ChatTool[], signal?: AbortSignal) => Promise<MeteredAnswer>;
  let close = async (): Promise<void> => undefined;
  if (serving?.deployment && resolve(serving.deployment.gguf) === gguf) {
    answer = (messages, tools, signal) => serving.answer(messages, tools, { ...sampling, signal });
  } else {
    const chat = await EmbeddedChat.open(await llamaRuntime(), gguf);
    answer = (messages, tools, signal) => chat.answer(messages, tools, { ...sampling, signal });
    close = () => chat.close();
  }
  return {
    info: backendInfo({ ...spec, model: gguf }, true),
    maxConcurrency: 1,
    async chat(messages, tools, signal): Promise<RawChatAnswer> {
      let reply: MeteredAnswer;
      try {
        reply = await answer(messages, tools, signal);
      } catch (error) {
        if (signal?.aborted) throw error;
        throw new RequestError(`the embedded model failed: ${describeError(error)}`);
      }
      return {
        content: reply.content,
        toolCalls: reply.toolCalls.map((call) => ({
          type: "function",
          function: { name: call.name, arguments: call.arguments },
        })),
        promptTokens: reply.promptTokens,
        completionTokens: reply.completionTokens,
      };
    },
    close,
  };
}
