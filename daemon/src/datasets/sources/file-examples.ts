import { createHash } from "node:crypto";
import type { ChatMessage } from "@vault-tuner/shared";
import { callContext } from "./call-context";
import { ConversationBuilder, readAssistantTurn, UnreadableRecord } from "../conversation";
import type { Example } from "../example";
import { systemPrompt } from "./system-prompt";

/**
 * Turns one dataset record (seed ChatML in any call form, OpenAI messages, or a conversational KTO
 * row) into an example. The labelled turn is the last assistant message; everything before it is the
 * prompt, with a system prompt carrying the session context added when the record has none.
 *
 * Records are grouped for the split by their first user message: the seed files pair a good and a bad
 * answer to the same request under different session ids, and both must land on the same side.
 */
export function exampleFromRecord(record: Record<string, unknown>, source: string, toolset: string): Example {
  const label = record.label;
  if (typeof label !== "boolean")
    throw new UnreadableRecord("label-missing", 'the record has no "label": true or false, so it cannot train KTO');
  const messages = recordMessages(record);
  const lastAssistant = messages.map((message) => message.role).lastIndexOf("assistant");
  if (lastAssistant < 0)
    throw new UnreadableRecord("assistant-empty", "the record has no assistant message to learn from");
  const turn = readAssistantTurn(messages[lastAssistant] as ChatMessage);
  const completion =
    turn.calls.length > 0
      ? { calls: turn.calls.map((entry) => entry.call), text: null }
      : { calls: [], text: turn.lead };

  const conversation = new ConversationBuilder();
  if (messages[0]?.role !== "system")
    conversation.push("system", systemPrompt(callContext(completion.calls[0]?.arguments)));
  for (const message of messages.slice(0, lastAssistant)) {
    if (message.role === "assistant") conversation.assistant(readAssistantTurn(message));
    else if (message.role === "tool")
      conversation.messages.push({
        role: "tool",
        content: message.content ?? "",
        tool_call_id: message.tool_call_id,
        name: message.name,
      });
    else conversation.push(message.role, message.content ?? "");
  }
  const firstUser = messages.find((message) => message.role === "user")?.content ?? source;
  const session = `request:${createHash("sha256").update(firstUser.trim()).digest("hex").slice(0, 16)}`;
  const example: Example = { source, session, label, prompt: [...conversation.messages], completion, toolset };
  // The seed's text form keeps each call's result and what the assistant said after it: that answer is
  // the turn that ends the task. Only a desirable record's answer is one to learn.
  if (label && turn.calls.length > 0 && turn.trailing && turn.calls.every((entry) => entry.result !== undefined)) {
    const after = new ConversationBuilder().skipCallIds(conversation.callIds);
    after.messages.push(...conversation.messages);
    after.assistant({ lead: turn.lead, calls: turn.calls, trailing: null });
    example.answerAfterResults = {
      source: `answer:${source}`,
      session,
      label,
      prompt: after.messages,
      completion: { calls: [], text: turn.trailing },
      toolset,
    };
  }
  return example;
}

function recordMessages(record: Record<string, unknown>): ChatMessage[] {
  const list = record.conversations ?? record.messages;
  if (Array.isArray(list)) return list as ChatMessage[];
  if (Array.isArray(record.prompt) && Array.isArray(record.completion))
    return [...record.prompt, ...record.completion] as ChatMessage[];
  if (typeof record.prompt === "string")
    throw new UnreadableRecord(
      "record-format-unknown",
      "a plain-text KTO row is already rendered with some chat template; give the conversation instead",
    );
  throw new UnreadableRecord(
    "record-format-unknown",
    'no "conversations", "messages" or conversational "prompt"/"completion"',
  );
}
