import { statSync } from "node:fs";
import type { Item, MemoryStore } from "../memory-store";
import { fail } from "../tool-error";
import { vaultPath } from "../vault-paths";
import type { NexusCommandContext, NexusCommands } from "./nexus-command";

const PRIORITY_ORDER = ["critical", "high", "medium", "low"];

function project(context: NexusCommandContext, given: unknown): Item {
  const found = typeof given === "string" ? context.memory.get("projects", given) : undefined;
  if (!found || found.workspaceId !== context.workspaceId)
    fail(`Project not found: "${String(given)}". Use task list-projects to see this workspace's projects.`);
  return found;
}

function task(memory: MemoryStore, given: unknown): Item {
  const found = typeof given === "string" ? memory.get("tasks", given) : undefined;
  if (!found) fail(`Task not found: "${String(given)}". Use task list to see a project's tasks.`);
  return found;
}

const dependenciesOf = (item: Item) => (item.dependsOn as string[] | undefined) ?? [];

/** Whether `from` already depends (directly or not) on `to`: adding to -> from would close a cycle. */
function reaches(memory: MemoryStore, from: string, to: string, seen = new Set<string>()): boolean {
  if (from === to) return true;
  if (seen.has(from)) return false;
  seen.add(from);
  const item = memory.get("tasks", from);
  return item ? dependenciesOf(item).some((next) => reaches(memory, next, to, seen)) : false;
}

function addDependencies(memory: MemoryStore, item: Item, added: unknown): void {
  for (const id of Array.isArray(added) ? added.map(String) : []) {
    task(memory, id);
    if (reaches(memory, id, item.id)) fail(`Depending on ${id} would make a cycle: it already waits on ${item.id}`);
    if (!dependenciesOf(item).includes(id)) item.dependsOn = [...dependenciesOf(item), id];
  }
}

/** A note link: a vault path that exists, with its kind (reference, input or output). */
function noteLink(root: string, given: unknown): { notePath: string; linkType: string } {
  const link = typeof given === "object" && given !== null ? (given as Record<string, unknown>) : { notePath: given };
  const path = vaultPath(root, link.notePath, "notePath");
  if (!statSync(path.absolute, { throwIfNoEntry: false })?.isFile()) fail(`Note not found: "${path.relative}"`);
  return { notePath: path.relative, linkType: typeof link.linkType === "string" ? link.linkType : "reference" };
}

function applyMetadata(item: Item, params: Record<string, unknown>): void {
  const current = (item.metadata as Record<string, unknown> | undefined) ?? {};
  if (params.metadataMode === "replace") {
    if (params.metadata === undefined) fail('metadataMode "replace" needs metadata');
    item.metadata = params.metadata;
    return;
  }
  const merged = { ...current, ...((params.metadata as Record<string, unknown> | undefined) ?? {}) };
  for (const key of Array.isArray(params.removeMetadataKeys) ? params.removeMetadataKeys.map(String) : [])
    delete merged[key];
  item.metadata = merged;
}

function page<T>(items: T[], params: Record<string, unknown>) {
  const size = typeof params.pageSize === "number" ? params.pageSize : 20;
  const index = typeof params.page === "number" ? params.page : 0;
  return { items: items.slice(index * size, (index + 1) * size), total: items.length, page: index, pageSize: size };
}

const TASK_FIELDS = ["title", "description", "status", "priority", "dueDate", "assignee", "tags"] as const;

/** task: projects and their tasks (with dependencies and note links), kept in the sandbox store. */
export const taskCommands: NexusCommands = {
  "task create-project"(params, context) {
    const name = String(params.name);
    if (context.memory.all("projects").some((item) => item.workspaceId === context.workspaceId && item.name === name))
      fail(`A project named "${name}" already exists in this workspace`);
    const now = Date.now();
    const created = context.memory.put("projects", {
      id: context.memory.newId("proj"),
      name,
      description: params.description ?? "",
      status: "active",
      workspaceId: context.workspaceId,
      metadata: params.metadata ?? {},
      created: now,
      updated: now,
    });
    return { projectId: created.id };
  },
  "task list-projects"(params, context) {
    const listed = context.memory
      .all("projects")
      .filter((item) => item.workspaceId === context.workspaceId)
      .filter((item) => (params.status === undefined ? item.status !== "archived" : item.status === params.status));
    const { items, ...paging } = page(listed, params);
    return { projects: items, ...paging };
  },
  "task update-project"(params, context) {
    const found = project(context, params.projectId);
    for (const field of ["name", "description", "status"])
      if (params[field] !== undefined) found[field] = params[field];
    applyMetadata(found, params);
    found.updated = Date.now();
    context.memory.put("projects", found);
    return undefined;
  },
  "task archive-project"(params, context) {
    const found = project(context, params.projectId);
    found.status = "archived";
    found.updated = Date.now();
    context.memory.put("projects", found);
    return undefined;
  },
  "task create"(params, context) {
    const inProject = project(context, params.projectId);
    if (params.parentTaskId !== undefined) task(context.memory, params.parentTaskId);
    const now = Date.now();
    const item: Item = {
      id: context.memory.newId("task"),
      projectId: inProject.id,
      title: params.title,
      description: params.description ?? "",
      status: "todo",
      priority: params.priority ?? "medium",
      ...(params.parentTaskId !== undefined ? { parentTaskId: params.parentTaskId } : {}),
      ...(params.dueDate !== undefined ? { dueDate: params.dueDate } : {}),
      ...(params.assignee !== undefined ? { assignee: params.assignee } : {}),
      tags: params.tags ?? [],
      dependsOn: [],
      linkedNotes: (Array.isArray(params.linkedNotes) ? params.linkedNotes : []).map((link) =>
        noteLink(context.root, link),
      ),
      metadata: params.metadata ?? {},
      created: now,
      updated: now,
    };
    addDependencies(context.memory, item, params.dependsOn);
    context.memory.put("tasks", item);
    return { taskId: item.id };
  },
  "task list"(params, context) {
    const inProject = project(context, params.projectId);
    const by = typeof params.sortBy === "string" ? params.sortBy : "updated";
    const direction = params.sortOrder === "asc" ? 1 : -1;
    const rank = (item: Item) =>
      by === "priority"
        ? PRIORITY_ORDER.indexOf(String(item.priority))
        : by === "title"
          ? String(item.title)
          : Number(item[by] ?? 0);
    const listed = context.memory
      .all("tasks")
      .filter((item) => item.projectId === inProject.id)
      .filter((item) =>
        ["status", "priority", "assignee", "parentTaskId"].every(
          (field) => params[field] === undefined || item[field] === params[field],
        ),
      )
      .filter((item) => params.includeSubtasks !== false || item.parentTaskId === undefined)
      .sort((a, b) => {
        const [x, y] = [rank(a), rank(b)];
        return direction * (typeof x === "string" ? x.localeCompare(String(y)) : x - Number(y));
      });
    const { items, ...paging } = page(listed, params);
    return { tasks: items, ...paging };
  },
  "task update"(params, context) {
    const item = task(context.memory, params.taskId);
    for (const field of TASK_FIELDS) if (params[field] !== undefined) item[field] = params[field];
    if (params.status === "done") item.completedAt = Date.now();
    addDependencies(context.memory, item, params.addDependencies);
    const removing = Array.isArray(params.removeDependencies) ? params.removeDependencies.map(String) : [];
    item.dependsOn = dependenciesOf(item).filter((id) => !removing.includes(id));
    const links = [
      ...((item.linkedNotes as { notePath: string }[] | undefined) ?? []),
      ...(Array.isArray(params.addNoteLinks) ? params.addNoteLinks.map((link) => noteLink(context.root, link)) : []),
    ];
    const unlinking = Array.isArray(params.removeNoteLinks) ? params.removeNoteLinks.map(String) : [];
    item.linkedNotes = links.filter((link) => !unlinking.includes(link.notePath));
    if (params.metadata !== undefined || params.metadataMode !== undefined || params.removeMetadataKeys !== undefined)
      applyMetadata(item, params);
    item.updated = Date.now();
    context.memory.put("tasks", item);
    return undefined;
  },
  "task move"(params, context) {
    const item = task(context.memory, params.taskId);
    if (params.projectId !== undefined) item.projectId = project(context, params.projectId).id;
    if (params.parentTaskId === null || params.parentTaskId === "null") delete item.parentTaskId;
    else if (params.parentTaskId !== undefined) item.parentTaskId = task(context.memory, params.parentTaskId).id;
    item.updated = Date.now();
    context.memory.put("tasks", item);
    return undefined;
  },
  "task link-note"(params, context) {
    const item = task(context.memory, params.taskId);
    const link = noteLink(context.root, { notePath: params.notePath, linkType: params.linkType });
    const others = ((item.linkedNotes as { notePath: string }[] | undefined) ?? []).filter(
      (existing) => existing.notePath !== link.notePath,
    );
    item.linkedNotes = params.action === "unlink" ? others : [...others, link];
    item.updated = Date.now();
    context.memory.put("tasks", item);
    return undefined;
  },
  "task query"(params, context) {
    const inProject = project(context, params.projectId);
    const tasks = context.memory.all("tasks").filter((item) => item.projectId === inProject.id);
    const done = (id: string) => context.memory.get("tasks", id)?.status === "done";
    if (params.query === "nextActions")
      return { tasks: tasks.filter((item) => item.status === "todo" && dependenciesOf(item).every(done)) };
    if (params.query === "blockedTasks")
      return {
        tasks: tasks
          .filter((item) => item.status !== "done" && !dependenciesOf(item).every(done))
          .map((item) => ({ ...item, blockedBy: dependenciesOf(item).filter((id) => !done(id)) })),
      };
    if (params.query === "dependencyTree") {
      const tree = (id: string, seen: Set<string>): Record<string, unknown> => {
        const item = task(context.memory, id);
        if (seen.has(id)) return { id, title: item.title };
        const next = new Set(seen).add(id);
        return {
          id,
          title: item.title,
          status: item.status,
          dependsOn: dependenciesOf(item).map((dep) => tree(dep, next)),
        };
      };
      return { tree: tree(String(params.taskId ?? fail("dependencyTree needs --task-id")), new Set()) };
    }
    fail(`query must be nextActions, blockedTasks or dependencyTree, not "${String(params.query)}"`);
  },
};
