import type { MemoryStore } from "./memory-store";

export interface ToolContext {
  /** The vault folder, resolved. */
  root: string;
  memory: MemoryStore;
}

/** One handler per mode: returns the `data` of a success, throws ToolError for a failure. */
export type ToolHandlers = Record<string, (args: Record<string, unknown>, context: ToolContext) => unknown>;
