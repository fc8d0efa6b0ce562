import { AGENTS, COMMANDS, FOLDERS, NOTES, QUERIES, SNIPPETS, STATES } from "./vault-pools";
import type { SeededRandom } from "../shaping/seeded-random";

/** What a user asks, and the parameters of the one call that answers it (besides the context). */
export interface ToolRequest {
  request: string;
  /** What the model writes as the context's toolContext and subgoal. */
  purpose: string;
  args: Record<string, unknown>;
}

type RequestMaker = (pick: Pick) => ToolRequest;

/** Draws from the vault pools with a seeded generator. */
export class Pick {
  constructor(readonly random: SeededRandom) {}
  note() {
    return this.random.pick(NOTES) as (typeof NOTES)[number];
  }
  folder(): string {
    return this.random.pick(FOLDERS) as string;
  }
  query(): string {
    return this.random.pick(QUERIES) as string;
  }
  snippet(): string {
    return this.random.pick(SNIPPETS) as string;
  }
  agent() {
    return this.random.pick(AGENTS) as (typeof AGENTS)[number];
  }
  state(): string {
    return this.random.pick(STATES) as string;
  }
  number(from: number, to: number): number {
    return from + this.random.int(to - from + 1);
  }
}

const base = (path: string) => path.split("/").pop()?.replace(/\.md$/, "") ?? path;

/** One request maker per tool of the claudesidian-3 catalog. */
export const TOOL_REQUESTS: Record<string, RequestMaker> = {
  contentManager_readContent: (p) => {
    const note = p.note();
    return {
      request: `What does ${note.topic} say? Read ${note.path} for me.`,
      purpose: "Read the note the user asked about",
      args: { filePath: note.path },
    };
  },
  contentManager_createContent: (p) => {
    const folder = p.folder();
    const snippet = p.snippet();
    return {
      request: `Create a note "${folder}/Scratch.md" containing:\n${snippet}`,
      purpose: "Create the note with the given text",
      args: { filePath: `${folder}/Scratch.md`, content: snippet },
    };
  },
  contentManager_appendContent: (p) => {
    const note = p.note();
    const snippet = p.snippet();
    return {
      request: `Add this to the end of ${note.path}:\n${snippet}`,
      purpose: "Append the text to the note",
      args: { filePath: note.path, content: `\n${snippet}` },
    };
  },
  contentManager_prependContent: (p) => {
    const note = p.note();
    return {
      request: `Put a "Status: draft" line at the top of ${note.path}.`,
      purpose: "Prepend a status line",
      args: { filePath: note.path, content: "Status: draft\n\n" },
    };
  },
  contentManager_replaceContent: (p) => {
    const note = p.note();
    return {
      request: `In ${note.path}, change "TODO" to "DONE".`,
      purpose: "Replace the marker text",
      args: { filePath: note.path, oldContent: "TODO", newContent: "DONE" },
    };
  },
  contentManager_replaceByLine: (p) => {
    const note = p.note();
    const line = p.number(2, 12);
    return {
      request: `Replace line ${line} of ${note.path} with "- [x] Reviewed".`,
      purpose: "Rewrite one line of the note",
      args: { filePath: note.path, startLine: line, endLine: line, newContent: "- [x] Reviewed" },
    };
  },
  contentManager_deleteContent: (p) => {
    const note = p.note();
    return {
      request: `Remove the line "Status: draft" from ${note.path}.`,
      purpose: "Delete the status line",
      args: { filePath: note.path, content: "Status: draft" },
    };
  },
  contentManager_findReplaceContent: (p) => {
    const note = p.note();
    return {
      request: `Everywhere in ${note.path}, rename "Q1" to "Q2".`,
      purpose: "Find and replace every occurrence",
      args: { filePath: note.path, findText: "Q1", replaceText: "Q2", replaceAll: true },
    };
  },
  contentManager_batchContent: (p) => {
    const a = p.note();
    const b = p.note();
    return {
      request: `Read both ${a.path} and ${b.path} in one go.`,
      purpose: "Read two notes in one batch",
      args: {
        operations: [
          { type: "read", filePath: a.path },
          { type: "read", filePath: b.path },
        ],
      },
    };
  },
  vaultManager_listDirectory: (p) => {
    const folder = p.folder();
    return {
      request: `What's in the ${folder} folder?`,
      purpose: "List the folder's contents",
      args: { path: folder },
    };
  },
  vaultManager_createFolder: (p) => {
    const folder = p.folder();
    return {
      request: `Make a folder ${folder}/Drafts.`,
      purpose: "Create the folder",
      args: { path: `${folder}/Drafts` },
    };
  },
  vaultManager_editFolder: (p) => {
    const folder = p.folder();
    return {
      request: `Rename the folder ${folder}/Drafts to ${folder}/Working.`,
      purpose: "Rename the folder",
      args: { path: `${folder}/Drafts`, newPath: `${folder}/Working` },
    };
  },
  vaultManager_deleteFolder: (p) => {
    const folder = p.folder();
    return {
      request: `Delete the empty folder ${folder}/Drafts.`,
      purpose: "Delete the empty folder",
      args: { path: `${folder}/Drafts` },
    };
  },
  vaultManager_deleteNote: (p) => {
    const note = p.note();
    return {
      request: `Delete ${note.path}, I don't need it anymore.`,
      purpose: "Delete the note",
      args: { path: note.path },
    };
  },
  vaultManager_moveNote: (p) => {
    const note = p.note();
    return {
      request: `Move ${note.path} into Archive/2025.`,
      purpose: "Move the note to the archive",
      args: { path: note.path, newPath: `Archive/2025/${base(note.path)}.md` },
    };
  },
  vaultManager_moveFolder: (p) => {
    const folder = p.folder();
    return {
      request: `Move the whole ${folder} folder under Archive/.`,
      purpose: "Move the folder to the archive",
      args: { path: folder, newPath: `Archive/${folder.split("/").pop()}` },
    };
  },
  vaultManager_duplicateNote: (p) => {
    const note = p.note();
    return {
      request: `Make a copy of ${note.path} called "${base(note.path)} copy".`,
      purpose: "Duplicate the note",
      args: { sourcePath: note.path, targetPath: note.path.replace(/\.md$/, " copy.md") },
    };
  },
  vaultManager_openNote: (p) => {
    const note = p.note();
    return {
      request: `Open ${note.topic} in a new tab.`,
      purpose: "Open the note for the user",
      args: { path: note.path, mode: "tab", focus: true },
    };
  },
  vaultLibrarian_searchContent: (p) => {
    const query = p.query();
    return { request: `Which notes mention ${query}?`, purpose: "Search note contents", args: { query, limit: 10 } };
  },
  vaultLibrarian_searchDirectory: (p) => {
    const folder = p.folder();
    const query = p.query();
    return {
      request: `Look for files about ${query} inside ${folder}.`,
      purpose: "Search files in the folder",
      args: { query, paths: [folder] },
    };
  },
  vaultLibrarian_searchMemory: (p) => {
    const query = p.query();
    return {
      request: `Did we talk about ${query} in an earlier session?`,
      purpose: "Search session memory",
      args: { query, workspaceId: "default" },
    };
  },
  vaultLibrarian_batch: (p) => {
    const a = p.query();
    const b = p.query();
    return {
      request: `Search for "${a}" and for "${b}" at the same time.`,
      purpose: "Run two searches at once",
      args: {
        searches: [
          { type: "content", query: a },
          { type: "content", query: b },
        ],
      },
    };
  },
  memoryManager_createSession: () => ({
    request: "Start a fresh session for planning next week.",
    purpose: "Create a planning session",
    args: {
      name: "Weekly planning",
      description: "Plan next week's priorities",
      sessionGoal: "A prioritised plan for next week",
    },
  }),
  memoryManager_listSessions: (p) => ({
    request: "Show me my recent sessions.",
    purpose: "List recent sessions",
    args: { limit: p.number(5, 20), order: "desc" },
  }),
  memoryManager_loadSession: () => ({
    request: "Pick up the session where we worked on the Atlas roadmap (session_1740900000000_atlas0rdm).",
    purpose: "Load the earlier session",
    args: { sessionId: "session_1740900000000_atlas0rdm", sessionName: "Atlas roadmap" },
  }),
  memoryManager_updateSession: () => ({
    request: 'Rename this session to "Budget review".',
    purpose: "Rename the session",
    args: { name: "Budget review" },
  }),
  memoryManager_createState: (p) => {
    const note = p.note();
    return {
      request: `Save where we are so I can resume later; we were editing ${note.path}.`,
      purpose: "Save a resumable state",
      args: {
        name: `Editing ${base(note.path)}`,
        activeTask: `Editing ${note.path}`,
        activeFiles: [note.path],
        nextSteps: ["Finish the open section"],
      },
    };
  },
  memoryManager_listStates: () => ({
    request: "Which saved states do I have?",
    purpose: "List saved states",
    args: { limit: 10 },
  }),
  memoryManager_loadState: (p) => ({
    request: "Restore the state I saved yesterday.",
    purpose: "Load the saved state",
    args: { stateId: p.state() },
  }),
  memoryManager_updateState: (p) => ({
    request: 'Tag that saved state as "finance".',
    purpose: "Tag the saved state",
    args: { stateId: p.state(), addTags: ["finance"] },
  }),
  memoryManager_createWorkspace: (p) => {
    const folder = p.folder();
    return {
      request: `Set up a workspace for ${folder} to track the project.`,
      purpose: "Create a workspace for the folder",
      args: {
        name: folder.split("/").pop(),
        rootFolder: folder,
        purpose: `Track work in ${folder}`,
        currentGoal: "Keep the notes current",
        workflows: [{ name: "Weekly review", when: "Fridays", steps: ["Read new notes", "Update the roadmap"] }],
      },
    };
  },
  memoryManager_listWorkspaces: () => ({
    request: "List my workspaces.",
    purpose: "List workspaces",
    args: { sortBy: "lastAccessed", order: "desc" },
  }),
  memoryManager_loadWorkspace: () => ({
    request: "Load the default workspace.",
    purpose: "Load the workspace",
    args: { id: "default" },
  }),
  memoryManager_updateWorkspace: () => ({
    request: 'Change the workspace goal to "Ship Atlas".',
    purpose: "Update the workspace goal",
    args: { workspaceId: "default", fieldPath: "context.currentGoal", newValue: "Ship Atlas" },
  }),
  agentManager_listAgents: () => ({
    request: "Which custom agents do I have?",
    purpose: "List custom agents",
    args: { enabledOnly: false },
  }),
  agentManager_getAgent: (p) => {
    const agent = p.agent();
    return { request: `Show me the "${agent.name}" agent.`, purpose: "Look up the agent", args: { name: agent.name } };
  },
  agentManager_createAgent: (p) => {
    const agent = p.agent();
    return {
      request: `Create an agent "${agent.name}" that will ${agent.prompt.toLowerCase()}`,
      purpose: "Create the custom agent",
      args: { name: agent.name, description: agent.prompt, prompt: agent.prompt },
    };
  },
  agentManager_updateAgent: (p) => {
    const agent = p.agent();
    return {
      request: `Tell the ${agent.name} to answer in bullet points from now on.`,
      purpose: "Update the agent's prompt",
      args: { id: agent.id, prompt: `${agent.prompt} Answer in bullet points.` },
    };
  },
  agentManager_deleteAgent: (p) => {
    const agent = p.agent();
    return { request: `Delete the ${agent.name} agent.`, purpose: "Delete the agent", args: { id: agent.id } };
  },
  agentManager_toggleAgent: (p) => {
    const agent = p.agent();
    return { request: `Turn off the ${agent.name} for now.`, purpose: "Disable the agent", args: { id: agent.id } };
  },
  agentManager_listModels: () => ({
    request: "Which models can agents use?",
    purpose: "List available models",
    args: {},
  }),
  agentManager_executePrompt: (p) => {
    const note = p.note();
    return {
      request: `Summarise ${note.path} in three bullet points.`,
      purpose: "Run a prompt over the note",
      args: { prompt: "Summarise this note in three bullet points.", filepaths: [note.path] },
    };
  },
  agentManager_batchExecutePrompt: (p) => {
    const a = p.note();
    const b = p.note();
    return {
      request: `Summarise ${a.path} and ${b.path}, one summary each.`,
      purpose: "Run two prompts at once",
      args: {
        prompts: [
          { prompt: "Summarise this note.", filepaths: [a.path] },
          { prompt: "Summarise this note.", filepaths: [b.path] },
        ],
      },
    };
  },
  agentManager_generateImage: (p) => {
    const folder = p.folder();
    return {
      request: `Make a header image of a calm lake for ${folder}.`,
      purpose: "Generate the image",
      args: { prompt: "A calm lake at dawn, soft colours", provider: "google", savePath: `${folder}/header.png` },
    };
  },
  commandManager_listCommands: () => ({
    request: "What commands can you run in Obsidian?",
    purpose: "List Obsidian commands",
    args: {},
  }),
  commandManager_executeCommand: (p) => {
    const command = p.random.pick(COMMANDS) as (typeof COMMANDS)[number];
    return {
      request: `Please ${command.label}.`,
      purpose: "Run the Obsidian command",
      args: { commandId: command.id },
    };
  },
  get_tools: () => ({
    request: "Which content tools do you have?",
    purpose: "Look up the content tools",
    args: { managers: ["contentManager"] },
  }),
};
