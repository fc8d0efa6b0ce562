import type { ToolHandlers } from "./tool-handlers";
import { fail } from "./tool-error";

const NOT_IN_SANDBOX = "is not available in the sandbox: it would call an AI provider";

/** agentManager: custom agents as data; anything that would call a model is refused clearly. */
export const agentTools: ToolHandlers = {
  listAgents(args, { memory }) {
    return { agents: memory.all("agents").filter((agent) => args.enabledOnly !== true || agent.isEnabled === true) };
  },
  getAgent(args, { memory }) {
    const agent =
      typeof args.id === "string"
        ? memory.get("agents", args.id)
        : memory.all("agents").find((candidate) => candidate.name === args.name);
    if (!agent) fail(`Agent not found: ${String(args.id ?? args.name ?? "(no id or name given)")}`);
    return agent;
  },
  createAgent(args, { memory }) {
    for (const field of ["name", "description", "prompt"])
      if (typeof args[field] !== "string" || args[field] === "") fail(`${field} is required`);
    if (memory.all("agents").some((agent) => agent.name === args.name))
      fail(`An agent named "${String(args.name)}" already exists`);
    return memory.put("agents", {
      id: memory.newId("agent"),
      name: args.name,
      description: args.description,
      prompt: args.prompt,
      isEnabled: args.isEnabled !== false,
      created: Date.now(),
    });
  },
  updateAgent(args, { memory }) {
    const agent = typeof args.id === "string" ? memory.get("agents", args.id) : undefined;
    if (!agent) fail(`Agent not found: ${String(args.id)}`);
    for (const field of ["name", "description", "prompt", "isEnabled"])
      if (args[field] !== undefined) agent[field] = args[field];
    return memory.put("agents", agent);
  },
  deleteAgent(args, { memory }) {
    if (typeof args.id !== "string" || !memory.remove("agents", args.id)) fail(`Agent not found: ${String(args.id)}`);
    return { id: args.id, deleted: true };
  },
  toggleAgent(args, { memory }) {
    const agent = typeof args.id === "string" ? memory.get("agents", args.id) : undefined;
    if (!agent) fail(`Agent not found: ${String(args.id)}`);
    agent.isEnabled = agent.isEnabled !== true;
    return memory.put("agents", agent);
  },
  listModels() {
    return { models: [], note: "no AI providers are configured in the sandbox" };
  },
  executePrompt() {
    fail(`executePrompt ${NOT_IN_SANDBOX}`);
  },
  batchExecutePrompt() {
    fail(`batchExecutePrompt ${NOT_IN_SANDBOX}`);
  },
  generateImage() {
    fail(`generateImage ${NOT_IN_SANDBOX}`);
  },
};

/** The Obsidian commands the sandbox pretends to have. */
const COMMANDS = [
  { id: "daily-notes", name: "Daily notes: Open today's daily note" },
  { id: "editor:toggle-fold", name: "Toggle fold on the current line" },
  { id: "graph:open", name: "Graph view: Open graph view" },
  { id: "app:open-settings", name: "Open settings" },
];

/** commandManager: a fixed list of commands; running one changes nothing in the sandbox. */
export const commandTools: ToolHandlers = {
  listCommands(args) {
    const filter = typeof args.filter === "string" ? args.filter.toLowerCase() : "";
    return { commands: COMMANDS.filter((command) => `${command.id} ${command.name}`.toLowerCase().includes(filter)) };
  },
  executeCommand(args) {
    const command = COMMANDS.find((candidate) => candidate.id === args.commandId);
    if (!command) fail(`Command not found: ${String(args.commandId)}`);
    return { commandId: command.id, executed: true };
  },
};
