import { canvasAndBaseCommands } from "./canvas-base-commands";
import { contentCommands } from "./content-commands";
import { memoryCommands } from "./memory-commands";
import type { NexusCommands } from "./nexus-command";
import { searchCommands } from "./search-commands";
import { storageCommands } from "./storage-commands";
import { taskCommands } from "./task-commands";

/** Every command the sandbox runs on a plain folder; the rest of a release's commands need Obsidian or a service. */
export const NEXUS_COMMANDS: NexusCommands = {
  ...contentCommands,
  ...storageCommands,
  ...searchCommands,
  ...memoryCommands,
  ...canvasAndBaseCommands,
  ...taskCommands,
};

/** Why a command the release has does not run here, by its agent. */
export function notInSandbox(command: string): string {
  const agent = command.split(" ")[0] ?? "";
  const why: Record<string, string> = {
    prompt: "it calls an AI provider",
    elevenlabs: "it calls ElevenLabs",
    web: "it opens web pages",
    ingest: "it runs the plugin's document ingestion",
    composer: "it needs Obsidian's renderer",
    data: "it runs the plugin's Python runtime",
    skills: "it needs the plugin's skill library",
    storage: "it needs Obsidian's editor",
    task: "it needs the plugin's task board",
    search: "it needs the plugin's notes index",
    base: "it needs Obsidian to evaluate the base",
    memory: "it needs the plugin's workflow runner",
  };
  return `"${command}" is not available in the sandbox: ${why[agent] ?? "it needs Obsidian"}`;
}
