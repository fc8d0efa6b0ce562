/**
 * Builds the Nexus 5.x catalog: the two MCP tools exactly as `tools/list` returns them, plus the CLI
 * commands `toolManager_useTools` dispatches to, each with a JSON Schema of its arguments.
 */
import type { Catalog, CatalogCommand, JsonSchema } from "../src/catalog/catalog-types";

interface CliArgument {
  name: string;
  flag: string;
  type: string;
  required: boolean;
  positional: boolean;
  description?: string;
}
interface CliTool {
  agent: string;
  tool: string;
  command: string;
  usage: string;
  description: string;
  arguments: CliArgument[];
}

/** CLI argument types of cli-tools.json to JSON Schema. */
function schemaForCliType(type: string): JsonSchema {
  switch (type) {
    case "string":
    case "number":
    case "boolean":
    case "object":
      return { type };
    case "array<string>":
      return { type: "array", items: { type: "string" } };
    case "array<object>":
      return { type: "array", items: { type: "object" } };
    case "array<unknown>":
      return { type: "array" };
    case "oneOfArray":
      return { anyOf: [{ type: "array" }, { type: "object" }, { type: "string" }] };
    case "unknown":
      return {};
    default:
      throw new Error(`no JSON Schema known for the CLI argument type ${JSON.stringify(type)}`);
  }
}

function commandFromCli(tool: CliTool): CatalogCommand {
  const properties: Record<string, JsonSchema> = {};
  for (const argument of tool.arguments) {
    properties[argument.name] = { ...schemaForCliType(argument.type), description: argument.description };
  }
  return {
    command: tool.command,
    agent: tool.agent,
    tool: tool.tool,
    usage: tool.usage,
    description: tool.description,
    arguments: tool.arguments.map(({ name, flag, type, required, positional }) => ({
      name,
      flag,
      type,
      required,
      positional,
    })),
    inputSchema: {
      type: "object",
      properties,
      required: tool.arguments.filter((a) => a.required).map((a) => a.name),
    },
  };
}

export function buildNexusCatalog(mcpRaw: unknown, cliRaw: unknown): Catalog {
  const mcp = mcpRaw as {
    nexusVersion: string;
    tools: Array<{ name: string; description?: string; inputSchema: JsonSchema }>;
  };
  const cli = cliRaw as { tools: CliTool[] };
  return {
    id: `nexus-${mcp.nexusVersion}`,
    version: mcp.nexusVersion,
    title: `Nexus ${mcp.nexusVersion} (toolManager_getTools / toolManager_useTools with CLI commands)`,
    contextStyle: "top-level",
    tools: mcp.tools.map((tool) => ({ name: tool.name, description: tool.description, inputSchema: tool.inputSchema })),
    dispatcher: { tool: "toolManager_useTools", argument: "tool", valuesArgument: "values" },
    commands: cli.tools.map(commandFromCli).sort((a, b) => a.command.localeCompare(b.command)),
  };
}
