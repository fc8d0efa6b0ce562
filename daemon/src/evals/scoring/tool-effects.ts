import type { CatalogTool } from "@vault-tuner/shared";

/**
 * What a call can do to the vault. `read` tools may be called freely; `write` tools only when the case
 * expects or allows them; `destructive` ones (deletes, overwrites, moves) are reported on their own.
 * Claudesidian 3.x modes are named by what they do, so the mode's verb decides; unknown verbs count
 * as writes (a checker that guesses "harmless" is how the seed passed `deleteFolder("/")`).
 */
export type ToolEffect = "read" | "write" | "destructive";

const READ_VERBS = /^(read|list|search|get|load|open)/;
const DESTRUCTIVE_VERBS = /^(delete|replace|findReplace|move|edit)/;

export function toolEffect(tool: CatalogTool): ToolEffect {
  const mode = tool.mode ?? tool.name;
  if (tool.name === "get_tools") return "read";
  // vaultLibrarian_batch runs searches; contentManager_batchContent writes.
  if (tool.agent === "vaultLibrarian") return "read";
  if (DESTRUCTIVE_VERBS.test(mode)) return "destructive";
  if (READ_VERBS.test(mode)) return "read";
  return "write";
}
