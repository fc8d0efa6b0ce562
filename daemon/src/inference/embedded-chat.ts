import type {
  ChatHistoryItem,
  ChatModelFunctionCall,
  ChatModelFunctions,
  Llama,
  LlamaContext,
  LlamaModel,
} from "node-llama-cpp";
import type { ChatMessage, ChatTool, SamplingOptions, ToolCallAnswer } from "./chat-types";
import { inferenceThreads } from "./embedded-model";
import { toGrammarSchema } from "./grammar-schema";

/** An answer with how many tokens the prompt and the reply took. */
export type MeteredAnswer = ToolCallAnswer & { promptTokens: number; completionTokens: number };

/**
 * Chat with tools on a GGUF inside the daemon. node-llama-cpp renders the conversation with the chat
 * template embedded in the GGUF (its Jinja wrapper finds the template's tool-call syntax) and returns
 * the model's calls without running them. Calls are grammar-constrained to the tools' schemas, so a
 * call made here always parses: scores from this backend are reported as such.
 */
export class EmbeddedChat {
  private constructor(
    private readonly model: LlamaModel,
    private readonly context: LlamaContext,
    readonly modelPath: string,
  ) {}

  static async open(llama: Llama, modelPath: string, contextSize = 4096): Promise<EmbeddedChat> {
    const model = await llama.loadModel({ modelPath });
    const context = await model.createContext({ contextSize, threads: inferenceThreads() });
    return new EmbeddedChat(model, context, modelPath);
  }

  async answer(messages: ChatMessage[], tools: ChatTool[], options: SamplingOptions = {}): Promise<MeteredAnswer> {
    const { LlamaChat, resolveChatWrapper } = await import("node-llama-cpp");
    const sequence = this.context.getSequence();
    try {
      const chat = new LlamaChat({
        contextSequence: sequence,
        chatWrapper: resolveChatWrapper(this.model) ?? undefined,
      });
      const functions = Object.fromEntries(
        tools.map((tool) => [
          tool.function.name,
          {
            description: tool.function.description,
            params: toGrammarSchema(tool.function.parameters ?? { type: "object", properties: {} }),
          },
        ]),
      ) as ChatModelFunctions;
      const result = await chat.generateResponse(toHistory(messages), {
        functions: tools.length > 0 ? functions : undefined,
        maxTokens: options.maxTokens ?? 512,
        temperature: options.temperature ?? 0,
        ...(options.topP !== undefined ? { topP: options.topP } : {}),
        ...(options.seed !== undefined ? { seed: options.seed } : {}),
        signal: options.signal,
      });
      const used = sequence.tokenMeter.getState();
      return {
        content: result.response,
        toolCalls: (result.functionCalls ?? []).map((call) => ({
          name: call.functionName,
          arguments: (call.params ?? {}) as Record<string, unknown>,
        })),
        promptTokens: used.usedInputTokens,
        completionTokens: used.usedOutputTokens,
      };
    } finally {
      sequence.dispose();
    }
  }

  async close(): Promise<void> {
    await this.context.dispose();
    await this.model.dispose();
  }
}

/** OpenAI-shaped messages as node-llama-cpp's history: tool results attach to the calls they answer, in order. */
export function toHistory(messages: ChatMessage[]): ChatHistoryItem[] {
  const history: ChatHistoryItem[] = [];
  const waiting: ChatModelFunctionCall[] = [];
  for (const message of messages) {
    if (message.role === "system") history.push({ type: "system", text: message.content ?? "" });
    else if (message.role === "user") history.push({ type: "user", text: message.content ?? "" });
    else if (message.role === "assistant") {
      const response: (string | ChatModelFunctionCall)[] = message.content ? [message.content] : [];
      for (const call of message.tool_calls ?? []) {
        const params =
          typeof call.function.arguments === "string" ? JSON.parse(call.function.arguments) : call.function.arguments;
        const item: ChatModelFunctionCall = {
          type: "functionCall",
          name: call.function.name,
          params,
          result: undefined,
        };
        response.push(item);
        waiting.push(item);
      }
      history.push({ type: "model", response });
    } else {
      const call = waiting.shift();
      if (call) call.result = message.content ?? "";
    }
  }
  return history;
}
