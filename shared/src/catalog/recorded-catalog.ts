import { ToolsListResultSchema } from "../schemas/trace";
import type { Catalog, ContextStyle } from "./catalog-types";
import { schemaProperties } from "./wire-form";

/**
 * Builds a catalog from a recorded `tools/list` result, so a recorded session is validated against what
 * the client really saw. The context style is read off the schemas: a `context` property means the 3.x
 * context object, top-level `sessionId` plus `memory` the 4.x/5.x style.
 */
export function catalogFromToolsList(result: unknown, id = "recorded"): Catalog {
  const parsed = ToolsListResultSchema.safeParse(result);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new Error(
      `not a tools/list result: ${first ? `${first.path.join(".") || "(root)"}: ${first.message}` : "invalid"}`,
    );
  }
  const tools = parsed.data.tools.map((tool) => ({
    name: tool.name,
    description: tool.description,
    inputSchema: tool.inputSchema,
  }));
  return {
    id,
    version: "recorded",
    title: `tools/list recorded as ${id}`,
    contextStyle: detectContextStyle(tools),
    tools,
  };
}

function detectContextStyle(tools: Array<{ inputSchema: Record<string, unknown> }>): ContextStyle {
  const propertySets = tools.map((tool) => schemaProperties(tool.inputSchema));
  if (propertySets.some((props) => "context" in props)) return "context-object";
  if (propertySets.some((props) => "sessionId" in props && "memory" in props)) return "top-level";
  return "none";
}
