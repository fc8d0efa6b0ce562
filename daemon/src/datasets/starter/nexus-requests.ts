import type { Pick } from "./tool-requests";

/** What a user asks, and the one command that answers it (its arguments, before they are written out). */
export interface CommandRequest {
  request: string;
  /** What the model writes as the call's goal. */
  purpose: string;
  params: Record<string, unknown>;
}

type CommandRequestMaker = (pick: Pick) => CommandRequest;

/** The starter vault's Nexus-only things: workspaces, saved states, task projects and tasks, canvases, bases. */
export const WORKSPACES = ["Atlas", "Garden", "Reading"] as const;
const SAVED_STATES = ["Atlas launch prep", "Budget review", "Reading log"] as const;
const PROJECTS = [
  { id: "proj_1741100000000_atlaslnch", name: "Atlas launch" },
  { id: "proj_1741100000001_gardenbed", name: "Garden beds" },
] as const;
const TASKS = [
  { id: "task_1741100000010_qamigrat1", title: "Finish the QA migration tests" },
  { id: "task_1741100000011_pressnote", title: "Write the press note" },
  { id: "task_1741100000012_seedtray1", title: "Sow the tomato seed trays" },
] as const;
const CANVASES = ["Boards/Atlas Plan.canvas", "Boards/Garden Layout.canvas"] as const;
const BASES = ["Dashboards/Reading List.base", "Dashboards/Open Tasks.base"] as const;
const PROPERTIES = [
  ["status", "done"],
  ["status", "in progress"],
  ["priority", "high"],
  ["tags", "review"],
] as const;

const base = (path: string) =>
  path
    .split("/")
    .pop()
    ?.replace(/\.(md|canvas|base)$/, "") ?? path;
const card = (text: string) => [{ type: "text", text, x: 0, y: 0, width: 240, height: 60 }];

/** One request maker per command the sandbox runs: the Nexus starter asks for each in several ways. */
export const COMMAND_REQUESTS: Record<string, CommandRequestMaker> = {
  "content read": (p) => {
    const note = p.note();
    return {
      request: `What does ${note.topic} say? It's ${note.path}.`,
      purpose: `Read ${note.path}`,
      params: { path: note.path, startLine: 1 },
    };
  },
  "content write": (p) => {
    const folder = p.folder();
    const snippet = p.snippet();
    return {
      request: `Create a note "${folder}/Scratch.md" containing:\n${snippet}`,
      purpose: "Create the note with the given text",
      params: { path: `${folder}/Scratch.md`, content: snippet },
    };
  },
  "content insert": (p) => {
    const note = p.note();
    const top = p.number(0, 1) === 1;
    return {
      request: top
        ? `Put "Reviewed 2026-03-05" as the first line of ${note.path}.`
        : `Add "- follow up next week" at the end of ${note.path}.`,
      purpose: top ? "Add a line at the top of the note" : "Append a line to the note",
      params: {
        path: note.path,
        content: top ? "Reviewed 2026-03-05" : "- follow up next week",
        startLine: top ? 1 : -1,
      },
    };
  },
  "content replace": (p) => {
    const note = p.note();
    return {
      request: `In ${note.path}, change the line "## Notes" to "## Summary".`,
      purpose: "Rename the heading the user named",
      params: { path: note.path, start: "## Notes", end: "## Notes", content: "## Summary" },
    };
  },
  "content set-property": (p) => {
    const note = p.note();
    const [property, value] = p.random.pick(PROPERTIES) as (typeof PROPERTIES)[number];
    return {
      request: `Set the ${property} property of ${note.path} to ${value}.`,
      purpose: `Set ${property} on the note`,
      params: { path: note.path, property, value },
    };
  },
  "content remove-property": (p) => {
    const note = p.note();
    const whole = p.number(0, 1) === 1;
    return {
      request: whole ? `Remove the status property from ${note.path}.` : `Take the review tag off ${note.path}.`,
      purpose: whole ? "Remove the property" : "Drop one tag from the note",
      params: whole ? { path: note.path, property: "status" } : { path: note.path, property: "tags", value: "review" },
    };
  },
  "storage list": (p) => {
    const folder = p.folder();
    return { request: `What's in my ${folder} folder?`, purpose: `List ${folder}`, params: { path: folder } };
  },
  "storage create-folder": (p) => {
    const folder = `${p.folder()}/${p.random.pick(["Drafts", "2026", "Old"])}`;
    return { request: `Make a folder ${folder}.`, purpose: "Create the folder", params: { path: folder } };
  },
  "storage move": (p) => {
    const note = p.note();
    const target = `Archive/2025/${base(note.path)}.md`;
    return {
      request: `Move ${note.path} to ${target}.`,
      purpose: "Move the note",
      params: { path: note.path, newPath: target },
    };
  },
  "storage copy": (p) => {
    const note = p.note();
    const target = note.path.replace(/\.md$/, " (copy).md");
    return {
      request: `Make a copy of ${note.path} next to it called "${base(target)}".`,
      purpose: "Copy the note",
      params: { path: note.path, newPath: target },
    };
  },
  "storage archive": (p) => {
    const note = p.note();
    return {
      request: `Archive ${note.path}, I'm done with it.`,
      purpose: "Archive the note",
      params: { path: note.path },
    };
  },
  "search content": (p) => {
    const query = p.query();
    return { request: `Which notes mention ${query}?`, purpose: `Find notes about ${query}`, params: { query } };
  },
  "search directory": (p) => {
    const word = p.random.pick(["meetings", "papers", "recipes", "budget"]) as string;
    return {
      request: `Where's my ${word} folder?`,
      purpose: `Find the ${word} folder`,
      params: { query: word, paths: ["/"] },
    };
  },
  "search memory": (p) => {
    const query = p.query();
    return {
      request: `Did we talk about ${query} in an earlier session?`,
      purpose: "Search the workspace memory",
      params: { query },
    };
  },
  "memory list-workspaces": () => ({
    request: "Which workspaces do I have?",
    purpose: "List the workspaces",
    params: {},
  }),
  "memory load-workspace": (p) => {
    const workspace = p.random.pick(WORKSPACES) as string;
    return { request: `Load my ${workspace} workspace.`, purpose: `Load ${workspace}`, params: { workspace } };
  },
  "memory create-workspace": (p) => {
    const folder = p.folder();
    const name = base(folder);
    return {
      request: `Create a workspace called ${name} for the notes in ${folder}, to keep that work together.`,
      purpose: "Create the workspace",
      params: {
        name,
        description: `Notes in ${folder}`,
        rootFolder: folder,
        purpose: `Keep the ${name} work together`,
      },
    };
  },
  "memory update-workspace": (p) => {
    const workspace = p.random.pick(WORKSPACES) as string;
    return {
      request: `Change the purpose of the ${workspace} workspace to "Wrap up ${workspace} by June".`,
      purpose: "Update the workspace's purpose",
      params: { id: workspace, purpose: `Wrap up ${workspace} by June` },
    };
  },
  "memory archive-workspace": (p) => {
    const workspace = p.random.pick(WORKSPACES) as string;
    return {
      request: `Archive the ${workspace} workspace.`,
      purpose: "Archive the workspace",
      params: { name: workspace },
    };
  },
  "memory search-workspaces": (p) => {
    const word = p.random.pick(["launch", "garden", "books"]) as string;
    return { request: `Do I have a workspace about ${word}?`, purpose: "Find the workspace", params: { query: word } };
  },
  "memory create-state": (p) => {
    const note = p.note();
    return {
      request: `Save a checkpoint called "Paused on ${base(note.path)}": I'm editing ${note.path} and next I'll send it round.`,
      purpose: "Save where the work stands",
      params: {
        name: `Paused on ${base(note.path)}`,
        conversationContext: `Editing ${note.path}.`,
        activeTask: `Edit ${note.path}`,
        activeFiles: [note.path],
        nextSteps: ["Send it round"],
      },
    };
  },
  "memory list-states": () => ({
    request: "What saved states do I have?",
    purpose: "List the saved states",
    params: {},
  }),
  "memory load-state": (p) => {
    const name = p.random.pick(SAVED_STATES) as string;
    return { request: `Load the saved state "${name}".`, purpose: "Restore the saved state", params: { name } };
  },
  "memory update-state": (p) => {
    const name = p.random.pick(SAVED_STATES) as string;
    return {
      request: `Tag the saved state "${name}" with later.`,
      purpose: "Tag the state",
      params: { name, tags: ["later"] },
    };
  },
  "memory archive-state": (p) => {
    const name = p.random.pick(SAVED_STATES) as string;
    return { request: `Archive the saved state "${name}".`, purpose: "Archive the state", params: { name } };
  },
  "task create-project": (p) => {
    const name = p.random.pick(["Spring cleaning", "Tax return", "Conference talk"]) as string;
    return { request: `Start a task project called ${name}.`, purpose: "Create the project", params: { name } };
  },
  "task list-projects": () => ({ request: "What task projects do I have?", purpose: "List the projects", params: {} }),
  "task update-project": (p) => {
    const project = p.random.pick(PROJECTS) as (typeof PROJECTS)[number];
    return {
      request: `Mark the ${project.name} project (${project.id}) as completed.`,
      purpose: "Complete the project",
      params: { projectId: project.id, status: "completed" },
    };
  },
  "task archive-project": (p) => {
    const project = p.random.pick(PROJECTS) as (typeof PROJECTS)[number];
    return {
      request: `Archive the ${project.name} project (${project.id}).`,
      purpose: "Archive the project",
      params: { projectId: project.id },
    };
  },
  "task create": (p) => {
    const project = p.random.pick(PROJECTS) as (typeof PROJECTS)[number];
    const title = p.random.pick(["Book the venue", "Order seeds", "Draft the summary"]) as string;
    return {
      request: `Add a high-priority task "${title}" to the ${project.name} project (${project.id}).`,
      purpose: "Create the task",
      params: { projectId: project.id, title, priority: "high" },
    };
  },
  "task list": (p) => {
    const project = p.random.pick(PROJECTS) as (typeof PROJECTS)[number];
    return {
      request: `What tasks are in ${project.name} (${project.id})?`,
      purpose: "List the project's tasks",
      params: { projectId: project.id },
    };
  },
  "task update": (p) => {
    const task = p.random.pick(TASKS) as (typeof TASKS)[number];
    return {
      request: `Mark "${task.title}" (${task.id}) as done.`,
      purpose: "Complete the task",
      params: { taskId: task.id, status: "done" },
    };
  },
  "task move": (p) => {
    const task = p.random.pick(TASKS) as (typeof TASKS)[number];
    const project = p.random.pick(PROJECTS) as (typeof PROJECTS)[number];
    return {
      request: `Move the task "${task.title}" (${task.id}) to the ${project.name} project (${project.id}).`,
      purpose: "Move the task",
      params: { taskId: task.id, projectId: project.id },
    };
  },
  "task link-note": (p) => {
    const task = p.random.pick(TASKS) as (typeof TASKS)[number];
    const note = p.note();
    return {
      request: `Link ${note.path} to the task "${task.title}" (${task.id}).`,
      purpose: "Link the note to the task",
      params: { taskId: task.id, notePath: note.path },
    };
  },
  "task query": (p) => {
    const project = p.random.pick(PROJECTS) as (typeof PROJECTS)[number];
    return {
      request: `Which tasks in ${project.name} (${project.id}) can I start right now?`,
      purpose: "Find the tasks that are ready",
      params: { projectId: project.id, query: "nextActions" },
    };
  },
  "canvas read": (p) => {
    const canvas = p.random.pick(CANVASES) as string;
    return { request: `What's on ${canvas}?`, purpose: "Read the canvas", params: { path: canvas } };
  },
  "canvas write": (p) => {
    const text = p.random.pick(["Ideas", "Next steps", "Open questions"]) as string;
    return {
      request: `Create a canvas Boards/${text}.canvas with one card saying "${text}".`,
      purpose: "Create the canvas",
      params: { path: `Boards/${text}.canvas`, nodes: card(text) },
    };
  },
  "canvas update": (p) => {
    const canvas = p.random.pick(CANVASES) as string;
    return {
      request: `Replace the cards on ${canvas} with a single card "Start here".`,
      purpose: "Update the canvas",
      params: { path: canvas, nodes: card("Start here") },
    };
  },
  "canvas list": () => ({ request: "Which canvases do I have?", purpose: "List the canvases", params: {} }),
  "base read": (p) => {
    const file = p.random.pick(BASES) as string;
    return { request: `How is ${file} set up?`, purpose: "Read the base", params: { path: file } };
  },
  "base write": (p) => {
    const status = p.random.pick(["open", "waiting", "reading"]) as string;
    return {
      request: `Create a base Dashboards/${status}.base that lists notes whose status is ${status}, as a table.`,
      purpose: "Create the base",
      params: {
        path: `Dashboards/${status}.base`,
        config: `filters: status == "${status}"\nviews:\n  - type: table\n    name: ${status}`,
      },
    };
  },
  "base update": (p) => {
    const file = p.random.pick(BASES) as string;
    return {
      request: `Change the filter of ${file} to notes whose status is done.`,
      purpose: "Update the base's filter",
      params: { path: file, config: 'filters: status == "done"' },
    };
  },
  "base list": () => ({ request: "Which bases do I have?", purpose: "List the bases", params: {} }),
};
