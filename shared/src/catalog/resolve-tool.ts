import type { Catalog, CatalogTool } from "./catalog-types";
import { isObject } from "./json-schema";

export type ResolvedTool =
  | {
      kind: "tool";
      tool: CatalogTool /** arguments that only select the tool (the wire `mode`) */;
      ignoredArguments: readonly string[];
    }
  | { kind: "unknown"; message: string };

interface ToolIndex {
  byName: Map<string, CatalogTool>;
  byAgent: Map<string, CatalogTool[]>;
  names: string[];
  /** Suggestions already worked out for unknown names (datasets repeat the same wrong names). */
  suggestions: Map<string, string | undefined>;
}

const MAX_CACHED_SUGGESTIONS = 10_000;
const toolIndexes = new WeakMap<Catalog, ToolIndex>();

function toolIndex(catalog: Catalog): ToolIndex {
  let index = toolIndexes.get(catalog);
  if (!index) {
    const byAgent = new Map<string, CatalogTool[]>();
    for (const tool of catalog.tools)
      if (tool.agent) byAgent.set(tool.agent, [...(byAgent.get(tool.agent) ?? []), tool]);
    index = {
      byName: new Map(catalog.tools.map((tool) => [tool.name, tool])),
      byAgent,
      names: catalog.tools.map((t) => t.name),
      suggestions: new Map(),
    };
    toolIndexes.set(catalog, index);
  }
  return index;
}

/** True when the name is a tool of the catalog, flat or (for 3.x) a wire agent name. */
export function catalogHasTool(catalog: Catalog, name: string): boolean {
  const index = toolIndex(catalog);
  return index.byName.has(name) || index.byAgent.has(name);
}

/**
 * Finds the catalog tool a call names: a flat name (`contentManager_createContent`), or the 3.x wire
 * form (`contentManager` with `mode: "createContent"`), which maps onto the same flat tool.
 */
export function resolveTool(catalog: Catalog, name: string, args: unknown): ResolvedTool {
  const index = toolIndex(catalog);
  const direct = index.byName.get(name);
  if (direct) return { kind: "tool", tool: direct, ignoredArguments: [] };
  const modes = index.byAgent.get(name);
  if (modes) {
    const mode = isObject(args) ? args.mode : undefined;
    const tool = typeof mode === "string" ? index.byName.get(`${name}_${mode}`) : undefined;
    if (tool) return { kind: "tool", tool, ignoredArguments: ["mode"] };
    const known = modes.map((t) => t.mode).join(", ");
    return {
      kind: "unknown",
      message:
        typeof mode === "string"
          ? `${name} has no mode "${mode}" (modes: ${known})`
          : `${name} is called without a "mode" (modes: ${known})`,
    };
  }
  if (!index.suggestions.has(name)) {
    if (index.suggestions.size >= MAX_CACHED_SUGGESTIONS) index.suggestions.clear();
    index.suggestions.set(name, closestName(name, index.names));
  }
  const suggestion = index.suggestions.get(name);
  return {
    kind: "unknown",
    message: `unknown tool "${name}" in ${catalog.id}${suggestion ? `; did you mean "${suggestion}"?` : ""}`,
  };
}

/** The closest known name, if it is close enough to be a likely typo or a renamed mode. */
export function closestName(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of known) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(name.length / 4)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current.push(
        Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, (previous[j - 1] as number) + cost),
      );
    }
    previous = current;
  }
  return previous[b.length] as number;
}
