import type { ChatMessage, ChatTool, SamplingOptions } from "../inference/chat-types";
import { EmbeddedChat, type MeteredAnswer } from "../inference/embedded-chat";
import { llamaRuntime } from "../inference/embedded-model";

export interface EmbeddedDeployment {
  gguf: string;
  /** The deploy job that loaded it. */
  jobId: string;
  loadedAt: string;
}

/**
 * The model the daemon itself serves (the default when no Ollama is configured): one at a time; a new
 * deployment is loaded before the old one is closed, so chat keeps answering during the switch.
 * Requests are answered one after another: one context, one sequence in use.
 */
export class EmbeddedServing {
  private current: { chat: EmbeddedChat; deployment: EmbeddedDeployment } | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  get deployment(): EmbeddedDeployment | undefined {
    return this.current?.deployment;
  }

  async load(gguf: string, jobId: string, now: string): Promise<EmbeddedDeployment> {
    const chat = await EmbeddedChat.open(await llamaRuntime(), gguf);
    const previous = this.current;
    this.current = { chat, deployment: { gguf, jobId, loadedAt: now } };
    if (previous) await this.serially(() => previous.chat.close());
    return this.current.deployment;
  }

  answer(messages: ChatMessage[], tools: ChatTool[], options: SamplingOptions = {}): Promise<MeteredAnswer> {
    const current = this.current;
    if (!current) return Promise.reject(new Error("no model is deployed to the daemon"));
    return this.serially(() => current.chat.answer(messages, tools, options));
  }

  async close(): Promise<void> {
    const current = this.current;
    this.current = undefined;
    if (current) await this.serially(() => current.chat.close());
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }
}
