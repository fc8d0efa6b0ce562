import { z } from "zod";

/** POST /v1/chat: one turn with tools, answered by the model the daemon serves (the embedded backend). */
export const ChatRequestSchema = z.object({
  messages: z
    .array(
      z.object({
        role: z.enum(["system", "user", "assistant", "tool"]),
        content: z.string().nullable().optional(),
        tool_calls: z
          .array(
            z.object({
              function: z.object({
                name: z.string(),
                arguments: z.union([z.record(z.string(), z.unknown()), z.string()]),
              }),
            }),
          )
          .optional(),
      }),
    )
    .min(1),
  tools: z
    .array(
      z.object({
        type: z.literal("function"),
        function: z.object({
          name: z.string().min(1),
          description: z.string().optional(),
          parameters: z.record(z.string(), z.unknown()).optional(),
        }),
      }),
    )
    .default([]),
  maxTokens: z.number().int().min(1).max(8192).default(512),
});

export const ChatAnswerSchema = z.object({
  content: z.string(),
  toolCalls: z.array(z.object({ name: z.string(), arguments: z.record(z.string(), z.unknown()) })),
  /** Which model answered and how: calls from the embedded backend are grammar-constrained. */
  backend: z.literal("embedded"),
  gguf: z.string(),
});
