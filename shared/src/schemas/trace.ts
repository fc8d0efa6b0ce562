import { z } from "zod";
import { boundedDepth, JsonObjectSchema } from "./tool-call";

/** Where a trace was recorded. */
export const TraceSourceSchema = z.object({
  /**
   * `stdio-tap`: the relay between the MCP client and the connector; `socket-relay`: the relay in front of
   * the plugin's local socket, which the `nexus` shell command (Claude Code, Cursor, Codex) talks to
   * without MCP config; `in-process`: the hook inside Obsidian; `import`: a file.
   */
  transport: z.enum(["stdio-tap", "socket-relay", "in-process", "import"]),
  /** MCP client name from `initialize` (e.g. `claude-ai`). */
  client: z.string().optional(),
  /** MCP server name from the `initialize` result (e.g. `nexus-my-vault`). */
  server: z.string(),
  serverVersion: z.string().optional(),
});
export type TraceSource = z.infer<typeof TraceSourceSchema>;

/** An MCP `tools/call` result as the server returned it. */
export const ToolResultSchema = z.object({
  content: z.array(z.unknown()).superRefine(boundedDepth),
  isError: z.boolean(),
});
export type ToolResult = z.infer<typeof ToolResultSchema>;

/** A JSON-RPC error returned instead of a result. */
export const RpcErrorSchema = z.object({
  code: z.number().int(),
  message: z.string(),
});

/** Text that is valid Unicode: a lone surrogate cannot be stored as UTF-8, so it could never be fetched back. */
function wellFormed(text: string): boolean {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(index + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return false;
      index++;
    } else if (code >= 0xdc00 && code <= 0xdfff) return false;
  }
  return true;
}

/** An id a client chooses: stored as given and used in URLs, so it must come back exactly. */
export const ClientIdSchema = z.string().min(1).max(200).refine(wellFormed, "not valid Unicode (a lone surrogate)");

/** One recorded tool call. */
export const TraceSchema = z.object({
  /** Client-chosen id; a retry with the same id is stored once. */
  id: ClientIdSchema.optional(),
  recordedAt: z.iso.datetime({ offset: true }),
  source: TraceSourceSchema,
  /** Session key the recorder grouped the call under. */
  session: z.string().min(1).refine(wellFormed, "not valid Unicode (a lone surrogate)"),
  /** Content hash of the `tools/list` result the client saw. */
  toolsetHash: z.string().optional(),
  call: z.object({ name: z.string().min(1), arguments: JsonObjectSchema }),
  result: ToolResultSchema.optional(),
  error: RpcErrorSchema.optional(),
  latencyMs: z.number().nonnegative().optional(),
  /** Set by a recorder that cut large or deep values to deliver the call; markers in the values say where. */
  truncated: z.literal(true).optional(),
});
export type Trace = z.infer<typeof TraceSchema>;

/** The user's verdict on a trace. */
export const LABELS = ["desirable", "undesirable", "unlabeled"] as const;
export const LabelValueSchema = z.enum(LABELS);
export type LabelValue = z.infer<typeof LabelValueSchema>;

/** A label put on a trace; a correction of an undesirable call yields a paired desirable example. */
/**
 * A label change names only what it changes: a note or correction left out keeps the one the daemon
 * holds, `null` (or an empty note) clears it. A correction only goes with "undesirable": another label
 * drops it.
 */
export const LabelSchema = z.object({
  label: LabelValueSchema,
  note: z.string().max(10_000).nullable().optional(),
  correction: z
    .object({
      /** The right tool, when the model picked the wrong one. */
      name: z.string().min(1).optional(),
      arguments: JsonObjectSchema,
    })
    .nullable()
    .optional(),
});
export type Label = z.infer<typeof LabelSchema>;

/** An MCP tool as `tools/list` describes it. */
export const McpToolSchema = z.object({
  name: z.string().min(1),
  title: z.string().optional(),
  description: z.string().optional(),
  inputSchema: JsonObjectSchema,
});
export type McpTool = z.infer<typeof McpToolSchema>;

/** A `tools/list` result as recorded. */
export const ToolsListResultSchema = z.object({
  tools: z.array(McpToolSchema),
  nextCursor: z.string().optional(),
});
export type ToolsListResult = z.infer<typeof ToolsListResultSchema>;
