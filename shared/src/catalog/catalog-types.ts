import { z } from "zod";

/** A JSON Schema document (the subset tools use; see json-schema.ts for what is checked). */
export type JsonSchema = { [keyword: string]: unknown };
const JsonSchemaSchema = z.record(z.string(), z.unknown());

/** One tool the model can call. */
export const CatalogToolSchema = z.object({
  name: z.string().min(1),
  /** For Claudesidian 3.x flat tools: the agent and mode the name joins. */
  agent: z.string().optional(),
  mode: z.string().optional(),
  description: z.string().optional(),
  inputSchema: JsonSchemaSchema,
});
export type CatalogTool = z.infer<typeof CatalogToolSchema>;

/** One CLI command behind a dispatcher tool (Nexus 5.x `toolManager_useTools`). */
export const CatalogCommandSchema = z.object({
  /** The words that select it, e.g. `content read`. */
  command: z.string().min(1),
  agent: z.string(),
  tool: z.string(),
  usage: z.string(),
  description: z.string().optional(),
  arguments: z.array(
    z.object({
      name: z.string(),
      flag: z.string(),
      type: z.string(),
      required: z.boolean(),
      positional: z.boolean(),
    }),
  ),
  inputSchema: JsonSchemaSchema,
});
export type CatalogCommand = z.infer<typeof CatalogCommandSchema>;

/**
 * Where a call carries its session context: Claudesidian 3.x in a `context` object that leads the
 * arguments, Nexus 4.x/5.x as top-level `sessionId`/`workspaceId`/`memory`/`goal`, or not at all.
 */
export const ContextStyleSchema = z.enum(["context-object", "top-level", "none"]);
export type ContextStyle = z.infer<typeof ContextStyleSchema>;

/** A versioned toolset: what a model may call and with which arguments. */
export const CatalogSchema = z.object({
  id: z.string().min(1),
  version: z.string(),
  title: z.string(),
  contextStyle: ContextStyleSchema,
  tools: z.array(CatalogToolSchema).min(1),
  /** The tool whose string argument holds CLI commands, when the toolset has one. */
  dispatcher: z.object({ tool: z.string(), argument: z.string(), valuesArgument: z.string().optional() }).optional(),
  commands: z.array(CatalogCommandSchema).optional(),
});
export type Catalog = z.infer<typeof CatalogSchema>;
