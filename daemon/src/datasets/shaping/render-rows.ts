import { renderSeedTextCall, type ChatMessage, type DatasetFormat } from "@vault-tuner/shared";
import { ConversationBuilder } from "../conversation";
import type { Example } from "../example";

/**
 * One JSONL row of a built dataset, or undefined when the format has no place for the example (SFT
 * learns only from desirable calls).
 * - `kto`: TRL's conversational KTO row: `prompt` messages, `completion` [assistant message],
 *   `label`; `toolset` names the file under toolsets/ the trainer passes to the chat template as tools.
 * - `sft`: `messages` (prompt + the call) and `toolset`.
 * - `chatml-text`: the seed's `conversations` with calls written as `tool_call:` text, and `label`.
 */
export function renderRow(example: Example, format: DatasetFormat): Record<string, unknown> | undefined {
  const completion = completionMessage(example);
  switch (format) {
    case "kto":
      return {
        prompt: example.prompt,
        completion: [completion],
        label: example.label,
        toolset: example.toolset,
        source: example.source,
      };
    case "sft":
      return example.label
        ? { messages: [...example.prompt, completion], toolset: example.toolset, source: example.source }
        : undefined;
    case "chatml-text":
      return { conversations: toSeedText([...example.prompt, completion]), label: example.label };
  }
}

/** The labelled turn, with call ids that continue the prompt's numbering. */
function completionMessage(example: Example): ChatMessage {
  const builder = new ConversationBuilder();
  const earlierCalls = example.prompt.reduce((count, message) => count + (message.tool_calls?.length ?? 0), 0);
  builder.skipCallIds(earlierCalls);
  return builder.completionMessage(example.completion);
}

/**
 * OpenAI messages to the seed text form: an assistant's calls become `tool_call:`/`arguments:` blocks,
 * each followed by its tool result as `Result:`, and the assistant's closing text joins the same turn.
 */
function toSeedText(messages: ChatMessage[]): ChatMessage[] {
  const out: ChatMessage[] = [];
  for (let i = 0; i < messages.length; i++) {
    const message = messages[i] as ChatMessage;
    if (message.role === "tool") continue;
    if (message.role !== "assistant") {
      out.push({ role: message.role, content: message.content });
      continue;
    }
    const parts: string[] = [];
    if (message.content) parts.push(message.content);
    for (const call of message.tool_calls ?? []) {
      const result =
        messages.slice(i + 1).find((next) => next.role === "tool" && next.tool_call_id === call.id)?.content ??
        undefined;
      const args =
        typeof call.function.arguments === "string"
          ? (JSON.parse(call.function.arguments) as unknown)
          : call.function.arguments;
      parts.push(renderSeedTextCall({ name: call.function.name, arguments: args }, result));
    }
    const previous = out[out.length - 1];
    const text = parts.join("\n\n");
    if (previous?.role === "assistant" && !message.tool_calls?.length)
      previous.content = `${previous.content}\n\n${text}`;
    else out.push({ role: "assistant", content: text });
  }
  return out;
}
