import type { Catalog, CatalogTool, JsonSchema } from "./catalog-types";

/**
 * The Claudesidian 3.x wire form of a flat catalog: one tool per agent whose `mode` enum lists the agent's
 * modes and whose properties are the union of every mode's properties, as `tools/list` returned it.
 * `required` keeps only `mode` and what every mode requires.
 */
export function wireTools(catalog: Catalog): CatalogTool[] {
  const byAgent = new Map<string, CatalogTool[]>();
  for (const tool of catalog.tools) {
    if (!tool.agent || !tool.mode) continue;
    const list = byAgent.get(tool.agent) ?? [];
    list.push(tool);
    byAgent.set(tool.agent, list);
  }
  return [...byAgent].map(([agent, modes]) => {
    const properties: Record<string, JsonSchema> = {};
    const hidden: string[] = [];
    for (const tool of modes) {
      const { [MODE_SELECTOR]: own, ...rest } = schemaProperties(tool.inputSchema);
      // A mode's own parameter named like the selector (openNote's tab/split/window) cannot share the one
      // `mode` property: the selector wins, or every other mode's call would fail its enum.
      if (own)
        hidden.push(
          `${tool.mode}'s own \`mode\` parameter${Array.isArray(own.enum) ? ` (${own.enum.join(", ")})` : ""}`,
        );
      Object.assign(properties, rest);
    }
    const requiredByAll = modes
      .map((tool) => schemaRequired(tool.inputSchema))
      .reduce((common, next) => common.filter((name) => next.includes(name)))
      .filter((name) => name !== MODE_SELECTOR);
    const note = hidden.length > 0 ? ` Not available in this form: ${hidden.join("; ")}.` : "";
    return {
      name: agent,
      agent,
      description: `${agent}: ${modes.length} modes, chosen with \`mode\`.${note}`,
      inputSchema: {
        type: "object",
        properties: { [MODE_SELECTOR]: { type: "string", enum: modes.map((tool) => tool.mode) }, ...properties },
        required: [MODE_SELECTOR, ...requiredByAll],
      },
    };
  });
}

/** The wire form's property that picks the mode. */
const MODE_SELECTOR = "mode";

export function schemaProperties(schema: JsonSchema): Record<string, JsonSchema> {
  const properties = schema.properties;
  return properties && typeof properties === "object" ? (properties as Record<string, JsonSchema>) : {};
}

export function schemaRequired(schema: JsonSchema): string[] {
  return Array.isArray(schema.required) ? schema.required.filter((x): x is string => typeof x === "string") : [];
}
