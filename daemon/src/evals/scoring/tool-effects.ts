import { kebabName, type CatalogCommand, type CatalogTool } from "@vault-tuner/shared";

/**
 * What a call can do to the vault. `read` tools may be called freely; `write` tools only when the case
 * expects or allows them; `destructive` ones (deletes, overwrites, moves) are reported on their own.
 * Claudesidian 3.x modes and Nexus commands are named by what they do, so the verb decides; unknown verbs
 * count as writes (a checker that guesses "harmless" is how the seed passed `deleteFolder("/")`).
 */
export type ToolEffect = "read" | "write" | "destructive";

const READ_VERBS = /^(read|list|search|get|load|open)/;
const DESTRUCTIVE_VERBS = /^(delete|replace|findReplace|move|edit)/;
/** Nexus command verbs, in kebab case (`list-workspaces`, `remove-property`). */
const COMMAND_READ_VERBS = /^(read|list|search|get|load|open|analyze|query|capabilities|check)/;
const COMMAND_DESTRUCTIVE_VERBS = /^(delete|replace|remove|move|archive|update)/;

export function toolEffect(tool: CatalogTool): ToolEffect {
  const mode = tool.mode ?? tool.name;
  // Discovery answers with schemas: 3.x's get_tools, Nexus's toolManager_getTools.
  if (tool.name === "get_tools" || tool.name.endsWith("_getTools")) return "read";
  // vaultLibrarian_batch runs searches; contentManager_batchContent writes.
  if (tool.agent === "vaultLibrarian") return "read";
  if (DESTRUCTIVE_VERBS.test(mode)) return "destructive";
  if (READ_VERBS.test(mode)) return "read";
  return "write";
}

export function commandEffect(command: CatalogCommand): ToolEffect {
  // Every search command only reads (search memory, search query-notes included).
  if (command.command.startsWith("search ")) return "read";
  const verb = kebabName(command.tool);
  if (COMMAND_DESTRUCTIVE_VERBS.test(verb)) return "destructive";
  if (COMMAND_READ_VERBS.test(verb)) return "read";
  return "write";
}
