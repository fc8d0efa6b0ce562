import type { Item } from "./memory-store";
import type { ToolContext, ToolHandlers } from "./tool-handlers";
import { fail } from "./tool-error";
import { vaultPath } from "./vault-paths";

const str = (value: unknown): string | undefined => (typeof value === "string" && value !== "" ? value : undefined);
const contextOf = (args: Record<string, unknown>) =>
  typeof args.context === "object" && args.context !== null ? (args.context as Record<string, unknown>) : {};

function sorted(items: Item[], by: string, order: unknown, limit: unknown): Item[] {
  const direction = order === "asc" ? 1 : -1;
  const list = [...items].sort((a, b) => direction * (Number(a[by] ?? 0) - Number(b[by] ?? 0)));
  return typeof limit === "number" ? list.slice(0, limit) : list;
}

function required(
  context: ToolContext,
  collection: "sessions" | "states" | "workspaces",
  id: string | undefined,
  what: string,
): Item {
  const item = id ? context.memory.get(collection, id) : undefined;
  if (!item) fail(`${what} not found: ${id ?? "(no id given)"}`);
  return item;
}

/** Sets `a.b.c` in an object, creating the objects on the way. */
function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split(".");
  let node = target;
  for (const key of keys.slice(0, -1)) {
    if (typeof node[key] !== "object" || node[key] === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1] as string] = value;
}

/** memoryManager: sessions, states and workspaces. */
export const memoryTools: ToolHandlers = {
  createSession(args, { memory }) {
    const id = str(args.newSessionId) ?? memory.newId("session");
    if (memory.get("sessions", id)) fail(`Session already exists: ${id}`);
    return memory.put("sessions", {
      id,
      name: str(args.name) ?? "Untitled session",
      description: str(args.description) ?? "",
      sessionGoal: str(args.sessionGoal) ?? "",
      previousSessionId: str(args.previousSessionId),
      workspaceId: str(contextOf(args).workspaceId) ?? "default",
      startTime: Date.now(),
    });
  },
  listSessions(args, { memory }) {
    return { sessions: sorted(memory.all("sessions"), "startTime", args.order, args.limit) };
  },
  loadSession(args, context) {
    const id = str(args.targetSessionId) ?? str(args.sessionId);
    const byName = str(args.sessionName)
      ? context.memory.all("sessions").find((session) => session.name === args.sessionName)
      : undefined;
    const session =
      (id ? context.memory.get("sessions", id) : undefined) ?? byName ?? required(context, "sessions", id, "Session");
    return { session, states: context.memory.all("states").filter((state) => state.sessionId === session.id) };
  },
  updateSession(args, context) {
    const session = required(
      context,
      "sessions",
      str(args.targetSessionId) ?? str(args.sessionId) ?? str(contextOf(args).sessionId),
      "Session",
    );
    for (const field of ["name", "description", "sessionGoal"]) if (str(args[field])) session[field] = args[field];
    return context.memory.put("sessions", session);
  },
  createState(args, { memory }) {
    if (!str(args.name)) fail("name is required");
    const fields = [
      "name",
      "description",
      "conversationContext",
      "activeTask",
      "activeFiles",
      "nextSteps",
      "reasoning",
      "reason",
      "tags",
    ];
    const state: Item = {
      id: memory.newId("state"),
      sessionId: str(args.targetSessionId) ?? str(contextOf(args).sessionId),
      workspaceId: str(contextOf(args).workspaceId) ?? "default",
      created: Date.now(),
    };
    for (const field of fields) if (args[field] !== undefined) state[field] = args[field];
    return memory.put("states", state);
  },
  listStates(args, { memory }) {
    const tags = Array.isArray(args.tags) ? args.tags : [];
    const states = memory
      .all("states")
      .filter(
        (state) =>
          (!str(args.targetSessionId) || state.sessionId === args.targetSessionId) &&
          tags.every((tag) => (state.tags as unknown[] | undefined)?.includes(tag)),
      );
    return { states: sorted(states, "created", args.order, args.limit) };
  },
  loadState(args, context) {
    return { state: required(context, "states", str(args.stateId), "State") };
  },
  updateState(args, context) {
    const state = required(context, "states", str(args.stateId), "State");
    for (const field of ["name", "description"]) if (str(args[field])) state[field] = args[field];
    const tags = new Set((state.tags as string[] | undefined) ?? []);
    for (const tag of Array.isArray(args.addTags) ? args.addTags : []) tags.add(String(tag));
    for (const tag of Array.isArray(args.removeTags) ? args.removeTags : []) tags.delete(String(tag));
    state.tags = [...tags];
    return context.memory.put("states", state);
  },
  createWorkspace(args, { root, memory }) {
    if (!str(args.name)) fail("name is required");
    const rootFolder = vaultPath(root, args.rootFolder ?? "", "rootFolder").relative || "/";
    return memory.put("workspaces", {
      id: memory.newId("ws"),
      name: args.name,
      description: str(args.description) ?? "",
      rootFolder,
      context: {
        purpose: args.purpose,
        currentGoal: args.currentGoal,
        workflows: args.workflows ?? [],
        keyFiles: args.keyFiles ?? [],
        preferences: args.preferences ?? "",
        dedicatedAgentId: args.dedicatedAgentId,
      },
      created: Date.now(),
      sessions: {},
    });
  },
  listWorkspaces(args, { memory }) {
    return { workspaces: sorted(memory.all("workspaces"), "created", args.order, args.limit) };
  },
  loadWorkspace(args, context) {
    const workspace = required(context, "workspaces", str(args.id), "Workspace");
    const sessions = context.memory.all("sessions").filter((session) => session.workspaceId === workspace.id);
    return { workspace, sessions: typeof args.limit === "number" ? sessions.slice(0, args.limit) : sessions };
  },
  updateWorkspace(args, context) {
    const workspace = required(context, "workspaces", str(args.workspaceId), "Workspace");
    const path = str(args.fieldPath);
    if (!path || path === "id" || path.startsWith("id.")) fail("fieldPath must name a field other than id");
    setPath(workspace, path, args.newValue);
    return context.memory.put("workspaces", workspace);
  },
};
