import { realpathSync, statSync } from "node:fs";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { CallToolRequestSchema, ListToolsRequestSchema, type CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import {
  builtinCatalog,
  placeIssue,
  resolveTool,
  validateCall,
  wireTools,
  type Catalog,
  type CatalogTool,
  describeError,
} from "@vault-tuner/shared";
import { DAEMON_VERSION } from "../version";
import { agentTools, commandTools } from "./agent-tools";
import { contentTools } from "./content-tools";
import { librarianTools } from "./librarian-tools";
import { MemoryStore } from "./memory-store";
import { memoryTools } from "./memory-tools";
import { ToolError } from "./tool-error";
import type { ToolContext, ToolHandlers } from "./tool-handlers";
import { vaultTools } from "./vault-tools";

const AGENTS: Record<string, ToolHandlers> = {
  contentManager: contentTools,
  vaultManager: vaultTools,
  vaultLibrarian: librarianTools,
  memoryManager: memoryTools,
  agentManager: agentTools,
  commandManager: commandTools,
};

export interface VaultServerOptions {
  /** Serve the flat `<agent>_<mode>` tools (and `get_tools`) instead of the 3.x wire form. */
  flat?: boolean;
}

const success = (data: unknown): CallToolResult => ({
  content: [{ type: "text", text: JSON.stringify({ success: true, data }) }],
});
// Like the real plugin: an error is a normal result whose text starts with "❌ Error:", isError unset.
const failure = (message: string): CallToolResult => ({ content: [{ type: "text", text: `❌ Error: ${message}` }] });

/**
 * The reference vault server: the Claudesidian 3.x tools over a plain folder. It is the sandbox the
 * evaluator runs model calls against and the stand-in for the plugin in tests. Built on the SDK's
 * low-level Server because the tools' JSON Schemas come from the catalog as data, not from zod.
 */
export function createVaultServer(vault: string, options: VaultServerOptions = {}): Server {
  if (!statSync(vault, { throwIfNoEntry: false })?.isDirectory()) throw new Error(`${vault} is not a folder`);
  const root = realpathSync(vault);
  const catalog = builtinCatalog("claudesidian-3") as Catalog;
  const context: ToolContext = { root, memory: new MemoryStore(root) };
  const tools: CatalogTool[] = options.flat ? catalog.tools : wireTools(catalog);
  const server = new Server(
    { name: "claudesidian-mcp-sandbox", version: DAEMON_VERSION },
    { capabilities: { tools: {} } },
  );

  server.setRequestHandler(ListToolsRequestSchema, async () => ({
    tools: tools.map((tool) => ({
      name: tool.name,
      description: tool.description ?? tool.name,
      inputSchema: tool.inputSchema as { type: "object" },
    })),
  }));

  server.setRequestHandler(CallToolRequestSchema, async (request) => {
    const { name } = request.params;
    const args = (request.params.arguments ?? {}) as Record<string, unknown>;
    if (!tools.some((tool) => tool.name === name)) return failure(`Unknown tool: ${name}`);
    if (name === "get_tools") return success(getTools(catalog, args));
    const resolved = resolveTool(catalog, name, args);
    if (resolved.kind === "unknown") return failure(resolved.message);
    const problems = validateCall({ form: "openai", name, arguments: args }, { catalog, profile: "recorded" })
      .map((issue) => placeIssue(issue, 0, undefined, "recorded"))
      .filter((issue) => issue.severity === "error");
    if (problems.length > 0)
      return failure(
        `Invalid parameters for ${resolved.tool.name}: ${problems.map((problem) => problem.message).join("; ")}`,
      );
    const handler = AGENTS[resolved.tool.agent ?? ""]?.[resolved.tool.mode ?? ""];
    if (!handler) return failure(`${resolved.tool.name} is not available in the sandbox`);
    try {
      return success(await handler(args, context));
    } catch (error) {
      if (error instanceof ToolError) return failure(error.message);
      return failure(`${resolved.tool.name} failed: ${describeError(error)}`);
    }
  });
  return server;
}

/** The meta tool of the flat surface: the schemas of the tools of the managers asked for. */
function getTools(catalog: Catalog, args: Record<string, unknown>) {
  const managers = Array.isArray(args.managers) ? args.managers.map(String) : [];
  return {
    tools: catalog.tools
      .filter((tool) => tool.agent && managers.includes(tool.agent))
      .map((tool) => ({ name: tool.name, inputSchema: tool.inputSchema })),
  };
}
