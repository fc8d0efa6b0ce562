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
    const properties: Record<string, JsonSchema> = {
      mode: { type: "string", enum: modes.map((tool) => tool.mode) },
    };
    for (const tool of modes) Object.assign(properties, schemaProperties(tool.inputSchema));
    const requiredByAll = modes
      .map((tool) => schemaRequired(tool.inputSchema))
      .reduce((common, next) => common.filter((name) => next.includes(name)));
    return {
      name: agent,
      agent,
      description: `${agent}: ${modes.length} modes, chosen with \`mode\`.`,
      inputSchema: { type: "object", properties, required: ["mode", ...requiredByAll] },
    };
  });
}

export function schemaProperties(schema: JsonSchema): Record<string, JsonSchema> {
  const properties = schema.properties;
  return properties && typeof properties === "object" ? (properties as Record<string, JsonSchema>) : {};
}

export function schemaRequired(schema: JsonSchema): string[] {
  return Array.isArray(schema.required) ? schema.required.filter((x): x is string => typeof x === "string") : [];
}
