import type { ChatMessage, ToolCall } from "@vault-tuner/shared";

/** What the model said in the labelled turn: the calls it made, or (with none) its text. */
export interface Completion {
  calls: ToolCall[];
  text: string | null;
}

/**
 * One training example before it is written in a given format. `prompt` is the whole conversation up
 * to the labelled turn, in OpenAI message form (tool_calls arguments as JSON strings).
 */
export interface Example {
  /** Where it came from: `file:<path>:<line>`, `trace:<id>`, `correction:<id>`, `mutation:<kind>:<origin>`. */
  source: string;
  /** Grouping key for the train/holdout split: examples of one session never straddle it. */
  session: string;
  label: boolean;
  prompt: ChatMessage[];
  completion: Completion;
  /** Key of the toolset the session saw (see toolset-registry.ts). */
  toolset: string;
  /**
   * When the record goes on past the labelled calls (their results, then the assistant's closing words),
   * that closing turn as an example of its own: a model must also learn to stop calling and answer.
   */
  answerAfterResults?: Example;
}
