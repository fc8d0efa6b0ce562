import type { LlamaContext, LlamaContextSequence, LlamaModel, Token } from "node-llama-cpp";
import { ChatTemplate } from "./chat-template";
import type { ChatMessage, ChatTool, RawChatAnswer, ReplyStop, SamplingOptions } from "./chat-types";
import { inferenceThreads, llamaRuntime } from "./embedded-model";

/** Room kept per turn for the tool results that come back, when the context is sized for a conversation. */
const TOOL_RESULT_ALLOWANCE = 512;
/** A reply's budget when the caller gives none, and the context used before `size` is called. */
const DEFAULT_MAX_TOKENS = 512;
const DEFAULT_CONTEXT = 8192;

/**
 * A GGUF answering as it would in Ollama or llama.cpp's server: the conversation rendered with the model's
 * own chat template, tokenized (BOS added where the model asks for it) and decoded freely, with no grammar;
 * its calls are whatever it wrote, for the evaluator's codecs to read.
 *
 * Prompts of one evaluation share a long start (system prompt, tools) and each turn extends the last, so
 * one context sequence is kept and only the tokens after the common prefix are evaluated. A request that
 * fails drops the sequence and the next one starts on a fresh sequence, so one failure never poisons the
 * rest of a run.
 */
export class FreeRunningChat {
  private context: LlamaContext | undefined;
  private sequence: LlamaContextSequence | undefined;
  private readonly template: ChatTemplate;

  /** Loads the GGUF for this chat alone: `close` disposes the model too. */
  static async open(modelPath: string): Promise<FreeRunningChat> {
    const model = await (await llamaRuntime()).loadModel({ modelPath });
    try {
      return new FreeRunningChat(model, modelPath, true);
    } catch (error) {
      await model.dispose();
      throw error;
    }
  }

  constructor(
    private readonly model: LlamaModel,
    readonly modelPath: string,
    private readonly ownsModel = false,
  ) {
    const metadata = model.fileInfo.metadata as { tokenizer?: { chat_template?: string } };
    const source = metadata.tokenizer?.chat_template;
    if (!source)
      throw new Error(`${modelPath} embeds no chat template, so its prompts cannot be rendered as it was trained`);
    this.template = new ChatTemplate(source, {
      bos_token: model.tokens.bosString ?? "",
      eos_token: model.tokens.eosString ?? "",
    });
  }

  /** The prompt's tokens as the model sees them: the template's text with control tokens parsed, BOS first. */
  promptTokens(messages: ChatMessage[], tools: ChatTool[]): Token[] {
    const tokens = this.model.tokenize(this.template.render(messages, tools), true);
    const bos = this.model.tokens.bos;
    return this.model.tokens.shouldPrependBosToken && bos !== null && tokens[0] !== bos ? [bos, ...tokens] : tokens;
  }

  /**
   * The context for conversations whose first prompt is at most `longestPrompt` tokens: room for
   * `turns` replies of `maxTokens` and their tool results, within what the model was trained on.
   */
  contextSizeFor(longestPrompt: number, turns: number, maxTokens: number): number {
    const wanted = longestPrompt + turns * (maxTokens + TOOL_RESULT_ALLOWANCE);
    return Math.min(this.model.trainContextSize, Math.ceil(wanted / 256) * 256);
  }

  /** Sizes the context for conversations that open with these prompts and run `turns` replies of `maxTokens`. */
  async sizeFor(
    openings: { messages: ChatMessage[]; tools: ChatTool[] }[],
    turns: number,
    maxTokens: number,
  ): Promise<void> {
    const longest = Math.max(
      1,
      ...openings.map((opening) => this.promptTokens(opening.messages, opening.tools).length),
    );
    await this.size(this.contextSizeFor(longest, turns, maxTokens));
  }

  /** Creates (or re-creates, when the size changes) the one context the chat runs in. */
  async size(contextSize: number): Promise<void> {
    if (this.context?.contextSize === contextSize) return;
    await this.dropSequence();
    await this.context?.dispose();
    this.context = await this.model.createContext({ contextSize, threads: inferenceThreads() });
  }

  get contextSize(): number | undefined {
    return this.context?.contextSize;
  }

  /** The tokens the kept sequence holds (empty without one): the last prompt and the reply evaluated so far. */
  get heldTokens(): readonly number[] {
    return this.sequence ? [...this.sequence.contextTokens] : [];
  }

  async answer(
    messages: ChatMessage[],
    tools: ChatTool[],
    options: SamplingOptions = {},
  ): Promise<RawChatAnswer & { reusedTokens: number }> {
    if (!this.context) await this.size(Math.min(this.model.trainContextSize, DEFAULT_CONTEXT));
    const context = this.context as LlamaContext;
    const prompt = this.promptTokens(messages, tools);
    const room = context.contextSize - prompt.length;
    if (room <= 1)
      return {
        content: "",
        toolCalls: [],
        promptTokens: prompt.length,
        completionTokens: 0,
        stop: "context-full",
        reusedTokens: 0,
      };
    const budget = options.maxTokens ?? DEFAULT_MAX_TOKENS;
    const maxTokens = Math.min(budget, room - 1);
    try {
      this.sequence ??= context.getSequence();
      const sequence = this.sequence;
      // Keep what the sequence already holds of this prompt; at least one token is evaluated for its logits.
      const kept = Math.min(commonPrefixLength(sequence.contextTokens, prompt), prompt.length - 1);
      if (kept < sequence.nextTokenIndex)
        await sequence.eraseContextTokenRanges([{ start: kept, end: sequence.nextTokenIndex }]);
      const produced: Token[] = [];
      let ended = false;
      const generator = sequence.evaluate(prompt.slice(kept), {
        temperature: options.temperature ?? 0,
        ...(options.topP !== undefined ? { topP: options.topP } : {}),
        ...(options.seed !== undefined ? { seed: options.seed } : {}),
      });
      for await (const token of generator) {
        if (options.signal?.aborted) throw options.signal.reason;
        if (this.model.isEogToken(token)) {
          ended = true;
          break;
        }
        produced.push(token);
        if (produced.length >= maxTokens) break;
      }
      // The generator also ends by itself at an end-of-generation token; only a full budget means cut off.
      const cut = !ended && produced.length >= maxTokens;
      const stop: ReplyStop = !cut ? "end" : maxTokens < budget ? "context-full" : "max-tokens";
      return {
        content: this.model.detokenize(produced),
        toolCalls: [],
        promptTokens: prompt.length,
        completionTokens: produced.length,
        stop,
        reusedTokens: kept,
      };
    } catch (error) {
      await this.dropSequence();
      throw error;
    }
  }

  private async dropSequence(): Promise<void> {
    const sequence = this.sequence;
    this.sequence = undefined;
    if (sequence && !sequence.disposed) sequence.dispose();
  }

  async close(): Promise<void> {
    await this.dropSequence();
    await this.context?.dispose();
    if (this.ownsModel) await this.model.dispose();
  }
}

export function commonPrefixLength(a: readonly number[], b: readonly number[]): number {
  const limit = Math.min(a.length, b.length);
  let index = 0;
  while (index < limit && a[index] === b[index]) index++;
  return index;
}
