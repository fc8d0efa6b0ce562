import { type Dirent, readdirSync } from "node:fs";
import type { Item, MemoryStore } from "../memory-store";
import { fail } from "../tool-error";
import { vaultPath } from "../vault-paths";
import type { NexusCommandContext, NexusCommands } from "./nexus-command";

const text = (value: unknown): string | undefined => (typeof value === "string" && value !== "" ? value : undefined);
const active = (item: Item) => item.isArchived !== true;

/** A workspace by its id or its name (any case), as every Nexus workspace command accepts either. */
export function findWorkspace(memory: MemoryStore, given: string): Item | undefined {
  const lower = given.toLowerCase();
  return (
    memory.get("workspaces", given) ??
    memory.all("workspaces").find((item) => String(item.name).toLowerCase() === lower)
  );
}

export function workspaceNames(memory: MemoryStore): string[] {
  return memory
    .all("workspaces")
    .filter((item) => item.id !== "default" && active(item))
    .map((item) => String(item.name));
}

/** Why a workspace name is refused, naming the ones that exist (a model must never guess a name). */
export function unknownWorkspaceMessage(memory: MemoryStore, given: string): string {
  const names = workspaceNames(memory).map((name) => `"${name}"`);
  return `Invalid workspace "${given}". Use one of these exact values: "default" (global)${names.length > 0 ? `, ${names.join(", ")}` : ""}`;
}

function workspace(memory: MemoryStore, given: unknown): Item {
  const name = text(given) ?? fail("a workspace name or id is required");
  return findWorkspace(memory, name) ?? fail(unknownWorkspaceMessage(memory, name));
}

function state(context: NexusCommandContext, given: unknown): Item {
  const name = text(given) ?? fail("name is required: the state's name or id");
  const inWorkspace = context.memory.all("states").filter((item) => item.workspaceId === context.workspaceId);
  const found = context.memory.get("states", name) ?? inWorkspace.find((item) => item.name === name);
  if (!found)
    fail(
      `State not found: "${name}". States in this workspace: ${inWorkspace.map((item) => `"${String(item.name)}"`).join(", ") || "(none)"}`,
    );
  return found;
}

function summary(item: Item) {
  return {
    id: item.id,
    name: item.name,
    description: item.description ?? "",
    rootFolder: item.rootFolder,
    ...(item.isArchived === true ? { isArchived: true } : {}),
  };
}

/** The workspace's top-level folders (or every folder and note with --recursive), folders ending in `/`. */
function structure(root: string, folder: string, recursive: boolean): string[] {
  const at = vaultPath(root, folder, "rootFolder");
  let entries: Dirent[];
  try {
    entries = readdirSync(at.absolute, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .filter((entry) => !entry.name.startsWith("."))
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const path = at.relative ? `${at.relative}/${entry.name}` : entry.name;
      if (!entry.isDirectory()) return recursive ? [path] : [];
      return [`${path}/`, ...(recursive ? structure(root, path, true) : [])];
    });
}

const WORKSPACE_CONTEXT_FIELDS = ["purpose", "workflows", "keyFiles", "preferences", "dedicatedAgentId"] as const;

/** memory: workspaces and saved states, kept in the sandbox store. */
export const memoryCommands: NexusCommands = {
  "memory create-workspace"(params, { root, memory }) {
    const name = text(params.name) ?? fail("name is required");
    if (name.toLowerCase() === "default" || findWorkspace(memory, name))
      fail(`A workspace named "${name}" already exists`);
    const rootFolder = vaultPath(root, params.rootFolder ?? "", "rootFolder").relative || "/";
    const created = memory.put("workspaces", {
      id: memory.newId("ws"),
      name,
      description: String(params.description ?? ""),
      rootFolder,
      context: Object.fromEntries(
        WORKSPACE_CONTEXT_FIELDS.filter((field) => params[field] !== undefined).map((field) => [field, params[field]]),
      ),
      ...(params.relatedFolders ? { relatedFolders: params.relatedFolders } : {}),
      ...(params.relatedFiles ? { relatedFiles: params.relatedFiles } : {}),
      ...(params.keyFileInstructions ? { keyFileInstructions: params.keyFileInstructions } : {}),
      created: Date.now(),
    });
    return { workspaceId: created.id, workspace: summary(created) };
  },
  "memory list-workspaces"(params, { memory }) {
    const by = params.sortBy === "name" ? "name" : "created";
    const direction = params.order === "asc" ? 1 : -1;
    const listed = memory
      .all("workspaces")
      .filter((item) => params.includeArchived === true || active(item))
      .sort((a, b) =>
        by === "name"
          ? direction * String(a.name).localeCompare(String(b.name))
          : direction * (Number(a.created ?? 0) - Number(b.created ?? 0)),
      );
    const limit = typeof params.limit === "number" ? params.limit : listed.length;
    return { workspaces: listed.slice(0, limit).map(summary) };
  },
  "memory load-workspace"(params, context) {
    const found = workspace(context.memory, params.workspace);
    if (params.workflow !== undefined) {
      const workflows =
        (found.context as { workflows?: { name?: string; id?: string }[] } | undefined)?.workflows ?? [];
      const wanted = String(params.workflow);
      if (!workflows.some((flow) => flow.name === wanted || flow.id === wanted))
        fail(`Workspace "${String(found.name)}" has no workflow "${wanted}"`);
    }
    context.useWorkspace(found.id);
    const limit = typeof params.limit === "number" ? params.limit : 5;
    const states = context.memory.all("states").filter((item) => item.workspaceId === found.id && active(item));
    return {
      workspace: { ...summary(found), context: found.context },
      states: states.slice(-limit).map((item) => ({ id: item.id, name: item.name })),
      files: structure(context.root, String(found.rootFolder ?? ""), params.recursive === true),
    };
  },
  "memory search-workspaces"(params, context) {
    const query = (text(params.query) ?? fail("query is required")).toLowerCase();
    const matches = context.memory
      .all("workspaces")
      .filter((item) => params.includeArchived === true || active(item))
      .filter((item) =>
        [item.id, item.name, item.description, item.rootFolder].some((field) =>
          String(field ?? "")
            .toLowerCase()
            .includes(query),
        ),
      );
    const limit = typeof params.limit === "number" ? params.limit : 10;
    const loaded = params.load === true && matches.length === 1 ? matches[0] : undefined;
    if (loaded) context.useWorkspace(loaded.id);
    return { matches: matches.slice(0, limit).map(summary), ...(loaded ? { loaded: loaded.id } : {}) };
  },
  "memory update-workspace"(params, { root, memory }) {
    const found = workspace(memory, params.id);
    if (found.id === "default") fail('The "default" workspace cannot be changed');
    const name = text(params.name);
    if (name && name !== found.name && findWorkspace(memory, name)) fail(`A workspace named "${name}" already exists`);
    if (name) found.name = name;
    if (params.description !== undefined) found.description = params.description;
    if (params.rootFolder !== undefined)
      found.rootFolder = vaultPath(root, params.rootFolder, "rootFolder").relative || "/";
    const context = { ...((found.context as Record<string, unknown> | undefined) ?? {}) };
    for (const field of WORKSPACE_CONTEXT_FIELDS) if (params[field] !== undefined) context[field] = params[field];
    if (params.dedicatedAgentId === "") delete context.dedicatedAgentId;
    found.context = context;
    memory.put("workspaces", found);
    return { workspace: summary(found) };
  },
  "memory archive-workspace"(params, { memory }) {
    const found = workspace(memory, params.name);
    if (found.id === "default") fail('The "default" workspace cannot be archived');
    if (params.restore === true) delete found.isArchived;
    else found.isArchived = true;
    memory.put("workspaces", found);
    return undefined;
  },
  "memory create-state"(params, context) {
    const name = text(params.name) ?? fail("name is required");
    const created = context.memory.put("states", {
      id: context.memory.newId("state"),
      name,
      workspaceId: context.workspaceId,
      sessionId: context.sessionId,
      conversationContext: params.conversationContext,
      activeTask: params.activeTask,
      activeFiles: params.activeFiles,
      nextSteps: params.nextSteps,
      ...(params.tags ? { tags: params.tags } : {}),
      created: Date.now(),
    });
    return { stateId: created.id, name };
  },
  "memory list-states"(params, context) {
    const tags = Array.isArray(params.tags) ? params.tags.map(String) : [];
    const direction = params.order === "asc" ? 1 : -1;
    const listed = context.memory
      .all("states")
      .filter((item) => item.workspaceId === context.workspaceId)
      .filter((item) => params.includeArchived === true || active(item))
      .filter((item) => tags.every((tag) => ((item.tags as unknown[] | undefined) ?? []).includes(tag)))
      .sort((a, b) => direction * (Number(a.created ?? 0) - Number(b.created ?? 0)));
    const page = typeof params.page === "number" ? params.page : 0;
    const size = typeof params.pageSize === "number" ? params.pageSize : listed.length || 1;
    return {
      states: listed
        .slice(page * size, (page + 1) * size)
        .map((item) => ({ id: item.id, name: item.name, tags: item.tags ?? [] })),
      total: listed.length,
    };
  },
  "memory load-state"(params, context) {
    return { state: state(context, params.name) };
  },
  "memory update-state"(params, context) {
    const found = state(context, params.name);
    if (text(params.newName)) found.name = params.newName;
    if (params.description !== undefined) found.description = params.description;
    if (params.tags !== undefined) found.tags = params.tags;
    context.memory.put("states", found);
    return undefined;
  },
  "memory archive-state"(params, context) {
    const found = state(context, params.name);
    if (params.restore === true) delete found.isArchived;
    else found.isArchived = true;
    context.memory.put("states", found);
    return undefined;
  },
};
