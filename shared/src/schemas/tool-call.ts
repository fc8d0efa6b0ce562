import { z } from "zod";
import { jsonDepth, MAX_JSON_DEPTH } from "./json-limits";

/** Refuses a JSON value nested deeper than MAX_JSON_DEPTH, naming the field it came in. */
export function boundedDepth(value: unknown, context: z.RefinementCtx): void {
  const depth = jsonDepth(value, MAX_JSON_DEPTH);
  if (depth > MAX_JSON_DEPTH)
    context.addIssue({
      code: "custom",
      message: `nested deeper than ${MAX_JSON_DEPTH} levels (the limit for any JSON value)`,
    });
}

/** A JSON object: the shape every tool's arguments must have, nested at most MAX_JSON_DEPTH levels. */
export const JsonObjectSchema = z.record(z.string(), z.unknown()).superRefine(boundedDepth);
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
