/**
 * Turns the seed's flat Claudesidian 3.x tool description (TypeScript type strings) into a catalog with
 * real JSON Schemas. Named types the description only mentions (ContentOperation, UniversalSearchParams...)
 * get the shapes the 3.x plugin and its training data use.
 */
import { CONTEXT_FIELDS } from "../src/schemas/context";
import type { Catalog, CatalogTool, JsonSchema } from "../src/catalog/catalog-types";

interface SeedParameter {
  name: string;
  optional: boolean;
  type: string;
  description?: string;
}
interface SeedTool {
  tool_name: string;
  agent: string;
  mode: string;
  parameters: SeedParameter[];
  required_params: string[];
  notes?: string;
}

export const CONTEXT_JSON_SCHEMA: JsonSchema = {
  type: "object",
  description: "Session context; must be the first argument of every call.",
  properties: Object.fromEntries(CONTEXT_FIELDS.map((field) => [field, { type: "string" }])),
  required: [...CONTEXT_FIELDS],
};

const WORKSPACE_CONTEXT_OBJECT: JsonSchema = {
  type: "object",
  properties: {
    workspaceId: { type: "string" },
    workspacePath: { type: "array", items: { type: "string" } },
    contextDepth: { type: "string", enum: ["minimal", "standard", "comprehensive"] },
  },
  required: ["workspaceId"],
};

/** Parameters every 3.x mode accepts besides its own. */
const COMMON_PARAMETERS: Record<string, JsonSchema> = {
  context: CONTEXT_JSON_SCHEMA,
  workspaceContext: {
    description: "Workspace to work in, as an object or its JSON string.",
    anyOf: [WORKSPACE_CONTEXT_OBJECT, { type: "string" }],
  },
  sessionId: { type: "string", description: "Session id (top-level copy of context.sessionId)." },
};

const CONTENT_OPERATION_TYPES = [
  "read",
  "create",
  "append",
  "prepend",
  "replace",
  "replaceByLine",
  "delete",
  "findReplace",
];
const SEARCH_TYPES = ["content", "directory", "memory"];

/** Shapes of the named TypeScript types the seed description refers to. */
const NAMED_TYPES: Record<string, JsonSchema> = {
  any: {},
  object: { type: "object" },
  array: { type: "array" },
  AspectRatio: { type: "string", enum: ["1:1", "3:4", "4:3", "9:16", "16:9"] },
  DateRange: { type: "object", properties: { start: { type: "string" }, end: { type: "string" } } },
  SessionFilterOptions: { type: "object" },
  TemporalFilterOptions: { type: "object" },
  MemoryType: { type: "string", enum: ["traces", "toolCalls", "sessions", "states", "workspaces"] },
  ContentOperation: {
    type: "object",
    description: "One operation: its type plus that mode's parameters (filePath, content...).",
    properties: { type: { type: "string", enum: CONTENT_OPERATION_TYPES }, filePath: { type: "string" } },
    required: ["type"],
  },
  UniversalSearchParams: {
    type: "object",
    description: "One search: its type plus that search mode's parameters.",
    properties: { type: { type: "string", enum: SEARCH_TYPES }, query: { type: "string" } },
    required: ["query"],
  },
  WorkspaceContext: WORKSPACE_CONTEXT_OBJECT,
};

/** Converts one TypeScript type string (`string[]`, `'a' | 'b'`, `Foo | string`) to a JSON Schema. */
export function schemaForTypeString(type: string): JsonSchema {
  const text = type.trim();
  const alternatives = splitUnion(text);
  if (alternatives.length > 1) {
    const literals = alternatives.map((alt) => /^'([^']*)'$/.exec(alt)?.[1]);
    if (literals.every((lit): lit is string => lit !== undefined)) return { type: "string", enum: literals };
    return { anyOf: alternatives.map(schemaForTypeString) };
  }
  const literal = /^'([^']*)'$/.exec(text);
  if (literal) return { type: "string", enum: [literal[1]] };
  if (text.endsWith("[]")) return { type: "array", items: schemaForTypeString(text.slice(0, -2)) };
  if (text === "string" || text === "number" || text === "boolean") return { type: text };
  const named = NAMED_TYPES[text];
  if (!named) throw new Error(`no JSON Schema known for the TypeScript type ${JSON.stringify(type)}`);
  return named;
}

function splitUnion(text: string): string[] {
  return text
    .split("|")
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
}

function toolFromSeed(seed: SeedTool): CatalogTool {
  const properties: Record<string, JsonSchema> = {};
  for (const parameter of seed.parameters) {
    const schema = parameter.name === "context" ? CONTEXT_JSON_SCHEMA : schemaForTypeString(parameter.type);
    properties[parameter.name] = parameter.description ? { ...schema, description: parameter.description } : schema;
  }
  // Common parameters go first so that `context` leads, as the plugin asks of the model.
  const ordered: Record<string, JsonSchema> = { ...COMMON_PARAMETERS, ...properties };
  const required = ["context", ...seed.required_params.filter((name) => name !== "context")];
  const isMeta = seed.agent === "meta";
  return {
    name: seed.tool_name,
    agent: isMeta ? undefined : seed.agent,
    mode: isMeta ? undefined : seed.mode,
    description: seed.notes,
    inputSchema: { type: "object", properties: ordered, required },
  };
}

export function buildClaudesidianCatalog(raw: unknown): Catalog {
  const seeds = Object.values(raw as Record<string, SeedTool>);
  const tools = seeds.map(toolFromSeed).sort((a, b) => a.name.localeCompare(b.name));
  return {
    id: "claudesidian-3",
    version: "3.1.3",
    title: "Claudesidian-MCP 3.x (flat <agent>_<mode> tools, as in training data and the plugin's chat)",
    contextStyle: "context-object",
    tools,
  };
}
