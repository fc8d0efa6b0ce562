import { realpathSync, statSync } from "node:fs";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { CallToolRequestSchema, ListToolsRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { describeError, remembersWorkspace, type Catalog } from "@vault-tuner/shared";
import { DAEMON_VERSION } from "../../version";
import { MemoryStore } from "../memory-store";
import { ToolError } from "../tool-error";
import { getTools } from "./get-tools";
import { workspaceNames } from "./memory-commands";
import { NEXUS_COMMANDS } from "./nexus-commands";
import { reply } from "./nexus-reply";
import { UseTools } from "./use-tools";

const GET_TOOLS = "toolManager_getTools";
const USE_TOOLS = "toolManager_useTools";

/**
 * The reference vault server in Nexus form: the two tools of a Nexus release (`toolManager_getTools`,
 * `toolManager_useTools`) over a plain folder, with that release's command catalog (a catalog with a dispatcher). 5.20 remembers the
 * workspace per session and honours `operationId`; 5.17 takes "default" when a call names none.
 */
export function createNexusServer(vault: string, catalog: Catalog): Server {
  if (!statSync(vault, { throwIfNoEntry: false })?.isDirectory()) throw new Error(`${vault} is not a folder`);
  const root = realpathSync(vault);
  const commands = catalog.commands ?? [];
  const memory = new MemoryStore(root);
  const useTools = new UseTools(
    root,
    memory,
    commands,
    NEXUS_COMMANDS,
    remembersWorkspace(catalog.version ?? "") ? "per-session" : "per-call",
  );
  const server = new Server({ name: "nexus-sandbox", version: DAEMON_VERSION }, { capabilities: { tools: {} } });

  server.setRequestHandler(ListToolsRequestSchema, async () => ({
    tools: catalog.tools.map((tool) => ({
      name: tool.name,
      description: tool.description ?? tool.name,
      inputSchema: tool.inputSchema as { type: "object" },
    })),
  }));

  server.setRequestHandler(CallToolRequestSchema, async (request) => {
    const args = (request.params.arguments ?? {}) as Record<string, unknown>;
    try {
      if (request.params.name === GET_TOOLS) return reply(getTools(args, commands, workspaceNames(memory)));
      if (request.params.name === USE_TOOLS) return reply(await useTools.call(args));
      return reply({
        success: false,
        error: `Unknown tool: ${request.params.name}. This server has ${GET_TOOLS} and ${USE_TOOLS}.`,
      });
    } catch (error) {
      if (error instanceof ToolError) return reply({ success: false, error: error.message });
      return reply({ success: false, error: `${request.params.name} failed: ${describeError(error)}` });
    }
  });
  return server;
}
