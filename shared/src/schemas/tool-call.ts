import { z } from "zod";

/** A JSON object: the shape every tool's arguments must have. */
export const JsonObjectSchema = z.record(z.string(), z.unknown());
export type JsonObject = z.infer<typeof JsonObjectSchema>;

/** One tool call, independent of the text form it was written in. */
export const ToolCallSchema = z.object({
  /** Tool name as the model wrote it (flat `<agent>_<mode>`, a wire agent name, or a Nexus tool). */
  name: z.string().min(1),
  /** The call's arguments. */
  arguments: JsonObjectSchema,
});
export type ToolCall = z.infer<typeof ToolCallSchema>;

/** The text forms a tool call can be written in. */
export const CALL_FORMS = ["seed-text", "openai", "hermes", "mistral"] as const;
export const CallFormSchema = z.enum(CALL_FORMS);
export type CallForm = z.infer<typeof CallFormSchema>;
