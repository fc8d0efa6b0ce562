import { z } from "zod";

/** Roles a chat message may have in a dataset record. */
export const MESSAGE_ROLES = ["system", "user", "assistant", "tool"] as const;
export const MessageRoleSchema = z.enum(MESSAGE_ROLES);

/** An OpenAI-style tool call attached to an assistant message. */
export const OpenAiToolCallSchema = z.object({
  /** Call id, referenced by the `tool` message that answers it. */
  id: z.string().optional(),
  type: z.literal("function").optional(),
  function: z.object({
    name: z.string().min(1),
    /** A JSON string per the OpenAI wire format; some datasets store the object itself. */
    arguments: z.union([z.string(), z.record(z.string(), z.unknown())]),
  }),
});
export type OpenAiToolCall = z.infer<typeof OpenAiToolCallSchema>;

/** One chat message. `content` is null only on an assistant message that carries `tool_calls`. */
export const ChatMessageSchema = z.object({
  role: MessageRoleSchema,
  content: z.string().nullable(),
  tool_calls: z.array(OpenAiToolCallSchema).optional(),
  /** On a `tool` message: the id of the call it answers. */
  tool_call_id: z.string().optional(),
  name: z.string().optional(),
});
export type ChatMessage = z.infer<typeof ChatMessageSchema>;

/**
 * The seed's ChatML record: `conversations` with the call written as text inside the assistant content
 * (`tool_call:` / `arguments:` / `Result:`), or, in later files, a system message and OpenAI `tool_calls`.
 */
export const SeedChatRecordSchema = z.object({
  conversations: z.array(ChatMessageSchema).min(1),
  /** true = desirable, false = undesirable; absent in SFT data. */
  label: z.boolean().optional(),
});
export type SeedChatRecord = z.infer<typeof SeedChatRecordSchema>;

/** The OpenAI chat record: `messages` with `tool_calls`, optionally the `tools` the model was shown. */
export const OpenAiChatRecordSchema = z.object({
  messages: z.array(ChatMessageSchema).min(1),
  tools: z.array(z.record(z.string(), z.unknown())).optional(),
  label: z.boolean().optional(),
});
export type OpenAiChatRecord = z.infer<typeof OpenAiChatRecordSchema>;

/**
 * A TRL KTO row. `prompt` and `completion` are either plain text (already templated) or conversational
 * message lists, as TRL accepts both.
 */
export const KtoRecordSchema = z.object({
  prompt: z.union([z.string(), z.array(ChatMessageSchema)]),
  completion: z.union([z.string(), z.array(ChatMessageSchema)]),
  label: z.boolean(),
});
export type KtoRecord = z.infer<typeof KtoRecordSchema>;
