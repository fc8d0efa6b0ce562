import type { MemoryStore } from "../memory-store";

/** What a Nexus command runs with: the vault, the sandbox store and the call's resolved context. */
export interface NexusCommandContext {
  /** The vault folder, resolved. */
  root: string;
  memory: MemoryStore;
  /** The workspace the session works in (an id, or "default"). */
  workspaceId: string;
  /** The session's name as the model gave it (or one the server made for a call without it). */
  sessionId: string;
  /** Chooses the workspace for the rest of the session (`memory load-workspace` does this). */
  useWorkspace(workspaceId: string): void;
}

/**
 * One command (`content read`). It returns the fields the plugin puts beside `success` in its reply (or
 * nothing, for the write commands that answer `{success: true}` alone), and throws ToolError for a
 * failure the plugin would report.
 */
export type NexusCommand = (
  params: Record<string, unknown>,
  context: NexusCommandContext,
) => Record<string, unknown> | undefined | Promise<Record<string, unknown> | undefined>;

/** Commands by their kebab-case name, as the catalog spells them (`content set-property`). */
export type NexusCommands = Record<string, NexusCommand>;
