import {
  isObject,
  parseToolString,
  type Catalog,
  type EvalMessage,
  type VaultExpectation,
  type VaultFixture,
} from "@vault-tuner/shared";
import type { VaultSnapshot } from "./scoring/final-state";

type MemoryItem = Record<string, unknown> & { id: string };

/**
 * What a recorded Nexus conversation shows of the vault it ran against: the notes it read whole (their
 * text, from `content read` answers), the files and folders it listed (names only, so empty), the
 * workspaces getTools named, and the workspace its session was working in. Enough for the approved call
 * to be replayed in a sandbox, so its effect becomes the case's expected final state.
 */
export function vaultFromConversation(messages: EvalMessage[], catalog: Catalog): VaultFixture {
  const files: Record<string, string> = {};
  const folders = new Set<string>();
  const workspaces = new Map<string, MemoryItem>();
  const sessions = new Map<string, string>();
  const results = new Map<string, string>();
  for (const message of messages)
    if (message.role === "tool" && message.tool_call_id) results.set(message.tool_call_id, message.content);
  for (const message of messages) {
    if (message.role !== "assistant") continue;
    for (const call of message.tool_calls ?? []) {
      const args =
        typeof call.function.arguments === "string" ? safeJson(call.function.arguments) : call.function.arguments;
      if (!isObject(args)) continue;
      if (typeof args.sessionId === "string" && typeof args.workspaceId === "string" && args.workspaceId !== "")
        sessions.set(args.sessionId, args.workspaceId);
      const reply = safeJson(results.get(call.id ?? "") ?? "");
      if (!isObject(reply)) continue;
      if (call.function.name.endsWith("_getTools") && isObject(reply.data) && Array.isArray(reply.data.workspaces))
        for (const name of reply.data.workspaces)
          if (typeof name === "string" && name !== "default" && !workspaces.has(name))
            workspaces.set(name, { id: name, name, description: "", rootFolder: "/", context: {}, created: 0 });
      if (call.function.name !== catalog.dispatcher?.tool || typeof args.tool !== "string") continue;
      const parsed = parseToolString(args.tool, args.values, catalog.commands ?? []);
      const answers = isObject(reply.data) && Array.isArray(reply.data.results) ? reply.data.results : [reply];
      parsed.segments.forEach((segment, index) => {
        const answer = answers[index];
        if (!segment.ok || !isObject(answer) || answer.success !== true) return;
        learnFrom(segment.command.command, segment.params, answer, files, folders);
      });
    }
  }
  return {
    files,
    folders: [...folders].filter((folder) => !Object.keys(files).some((file) => file.startsWith(`${folder}/`))),
    memory: {
      workspaces: [...workspaces.values()],
      // The session keeps the workspace it named, as the plugin remembers it across calls.
      sessions: [...sessions].map(([id, workspaceId]) => ({
        id,
        name: id,
        workspaceId: workspaces.get(workspaceId)?.id ?? workspaceId,
      })),
      states: [],
      agents: [],
    },
  };
}

function learnFrom(
  command: string,
  params: Record<string, unknown>,
  answer: Record<string, unknown>,
  files: Record<string, string>,
  folders: Set<string>,
): void {
  if (command === "content read" && typeof params.path === "string" && typeof answer.content === "string") {
    // Only a read of the whole note gives its text: from line 1, with no end line.
    if (Number(params.startLine) !== 1 || params.endLine !== undefined) return;
    files[params.path.replace(/^\/+/, "")] = answer.content
      .split("\n")
      .map((line) => line.replace(/^\d+: ?/, ""))
      .join("\n");
  }
  if (command === "storage list") {
    for (const file of Array.isArray(answer.files) ? answer.files : [])
      if (isObject(file) && typeof file.path === "string" && !(file.path in files)) files[file.path] = "";
    for (const folder of Array.isArray(answer.folders) ? answer.folders : [])
      if (isObject(folder) && typeof folder.path === "string") folders.add(folder.path);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Fields of a memory item that move on every write, and say nothing about what the call did. */
const CLOCK_FIELDS = new Set(["id", "created", "updated", "completedAt", "startTime"]);

/** Fields of a memory item a replayed call must set exactly: what names, places or classifies the item. */
const IDENTIFYING_FIELDS = new Set([
  "name",
  "title",
  "workspaceId",
  "sessionId",
  "projectId",
  "parentTaskId",
  "status",
  "priority",
  "rootFolder",
  "isArchived",
  "dependsOn",
  "tags",
]);

/** The lines an edit left alone before and after the part it changed. */
function untouchedAround(before: string, after: string): VaultExpectation["files"][string] {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let end = 0;
  while (
    end < before.length - start &&
    end < after.length - start &&
    before[before.length - 1 - end] === after[after.length - 1 - end]
  )
    end++;
  const prefix = after.slice(0, after.lastIndexOf("\n", start - 1) + 1);
  const suffixFrom = after.indexOf("\n", after.length - end);
  const suffix = suffixFrom < 0 ? "" : after.slice(suffixFrom);
  return { ...(prefix ? { startsWith: prefix } : {}), ...(suffix ? { endsWith: suffix } : {}) };
}

/** The final state an approved call left when replayed: what a model's call must leave too. */
export function expectationFromReplay(before: VaultSnapshot, after: VaultSnapshot): VaultExpectation {
  const files: VaultExpectation["files"] = {};
  const earlierTexts = new Set(Object.values(before.files));
  for (const [path, text] of Object.entries(after.files)) {
    const earlier = before.files[path];
    if (earlier === text) continue;
    // A note moved or copied must arrive whole; new or edited text is the model's own words, so only what
    // the edit left untouched around it must match.
    if (earlier === undefined) files[path] = earlierTexts.has(text) ? { equals: text } : {};
    else files[path] = untouchedAround(earlier, text);
  }
  const memoryCreated: VaultExpectation["memoryCreated"] = [];
  const memoryChanged: VaultExpectation["memoryChanged"] = [];
  const memoryDeleted: VaultExpectation["memoryDeleted"] = [];
  for (const collection of Object.keys(after.memory) as (keyof VaultSnapshot["memory"])[]) {
    const old = new Map(before.memory[collection].map((item) => [item.id, item]));
    const now = new Map(after.memory[collection].map((item) => [item.id, item]));
    for (const [id, item] of now) {
      const earlier = old.get(id);
      const changed = Object.entries(item).filter(
        ([key, value]) => !CLOCK_FIELDS.has(key) && JSON.stringify(earlier?.[key]) !== JSON.stringify(value),
      );
      // Names, ids, statuses and flags must be the same; free text only given.
      const match = Object.fromEntries(
        changed.map(([key, value]) => [key, IDENTIFYING_FIELDS.has(key) ? { exact: value } : { any: true as const }]),
      );
      if (!earlier) memoryCreated.push({ collection, match });
      else if (changed.length > 0) memoryChanged.push({ collection, id, match });
    }
    for (const id of old.keys()) if (!now.has(id)) memoryDeleted.push({ collection, id });
  }
  return {
    files,
    deleted: Object.keys(before.files).filter((path) => !(path in after.files)),
    foldersCreated: after.folders.filter((folder) => !before.folders.includes(folder)),
    foldersDeleted: before.folders.filter((folder) => !after.folders.includes(folder)),
    memoryCreated,
    memoryChanged,
    memoryDeleted,
  };
}
