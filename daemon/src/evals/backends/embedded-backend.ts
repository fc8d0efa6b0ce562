import { existsSync } from "node:fs";
import { resolve } from "node:path";
import type { EmbeddedServing } from "../../deploy/embedded-serving";
import type { ChatMessage, ChatTool, RawChatAnswer } from "../../inference/chat-types";
import { EmbeddedChat, type MeteredAnswer } from "../../inference/embedded-chat";
import { llamaRuntime } from "../../inference/embedded-model";
import { backendInfo, RequestError, samplingOptions, type BackendSpec, type EvalBackend } from "./eval-backend";

/**
 * A GGUF run in this process by node-llama-cpp. When the daemon already serves that very file, its
 * loaded model is used (no second copy in memory); otherwise the file is loaded for the run and closed
 * after. Calls are grammar-constrained once the model starts one, which the report states.
 */
export async function embeddedBackend(spec: BackendSpec, serving?: EmbeddedServing): Promise<EvalBackend> {
  const gguf = resolve(spec.model);
  if (!existsSync(gguf)) throw new Error(`the embedded backend needs a GGUF file: ${spec.model} does not exist`);
  const sampling = samplingOptions(spec);
  let answer: (messages: ChatMessage[], tools: ChatTool[], signal?: AbortSignal) => Promise<MeteredAnswer>;
  let close = async () => undefined as void;
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
        throw new RequestError(`the embedded model failed: ${(error as Error).message}`);
      }
      return {
        content: reply.content,
        toolCalls: reply.toolCalls.map((call) => ({ type: "function", function: { name: call.name, arguments: call.arguments } })),
        promptTokens: reply.promptTokens,
        completionTokens: reply.completionTokens,
      };
    },
    close,
  };
}
