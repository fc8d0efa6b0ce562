import { ToolsListResultSchema } from "../schemas/trace";
import type { Catalog, ContextStyle } from "./catalog-types";
import { nexusReleaseFor } from "./nexus-release";
import { schemaProperties } from "./wire-form";

/**
 * Builds a catalog from a recorded `tools/list` result, so a recorded session is validated against what
 * the client really saw. The context style is read off the schemas: a `context` property means the 3.x
 * context object, top-level `sessionId` plus `memory` the 4.x/5.x style. A Nexus toolset also gets the
 * CLI commands of the release it came from (see nexus-release.ts), which tools/list does not list.
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
  const catalog: Catalog = {
    id,
    version: "recorded",
    title: `tools/list recorded as ${id}`,
    contextStyle: detectContextStyle(tools),
    tools,
  };
  const nexus = nexusReleaseFor(tools, claimedNexusVersion(result));
  if (!nexus) return catalog;
  const { version, dispatcher, commands } = nexus.catalog;
  const how = { content: "its content", nexusVersion: "its nexusVersion", nearest: "the nearest shipped release" }[
    nexus.match
  ];
  return { ...catalog, version, title: `${catalog.title}: Nexus ${version} (by ${how})`, dispatcher, commands };
}

/** The `nexusVersion` a tools/list dump carries at its top level or in `_meta`, if any. */
function claimedNexusVersion(result: unknown): string | undefined {
  if (typeof result !== "object" || result === null) return undefined;
  const record = result as { nexusVersion?: unknown; _meta?: { nexusVersion?: unknown } };
  const claimed = record.nexusVersion ?? record._meta?.nexusVersion;
  return typeof claimed === "string" ? claimed : undefined;
}

function detectContextStyle(tools: Array<{ inputSchema: Record<string, unknown> }>): ContextStyle {
  const propertySets = tools.map((tool) => schemaProperties(tool.inputSchema));
  if (propertySets.some((props) => "context" in props)) return "context-object";
  if (propertySets.some((props) => "sessionId" in props && "memory" in props)) return "top-level";
  return "none";
}
