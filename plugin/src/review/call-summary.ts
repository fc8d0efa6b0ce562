import { isObject, splitSegments, type StoredTrace } from "@vault-tuner/shared";

/** Arguments people look for first, in this order; the rest follow as given. */
const LEADING = [
  "filePath",
  "path",
  "newPath",
  "sourcePath",
  "targetPath",
  "query",
  "name",
  "id",
  "stateId",
  "commandId",
  "tool",
];
const LONGEST_VALUE = 60;

export interface CallSummary {
  /** `contentManager · readContent` for the 3.x wire form, `useTools · content read` for Nexus, the flat name otherwise. */
  title: string;
  /** `filePath: Notes/a.md · limit: 20`, without the context object (it is shown apart). */
  args: string;
  /** The goal the model wrote into the context, the nearest thing to the user's request. */
  goal?: string;
}

/** A call as one line a person can scan: what tool, on what, and why. */
export function summarizeCall(call: StoredTrace["call"]): CallSummary {
  const args = call.arguments;
  const mode = typeof args.mode === "string" ? args.mode : undefined;
  const context = isObject(args.context) ? args.context : undefined;
  const goal =
    typeof context?.primaryGoal === "string"
      ? context.primaryGoal
      : typeof args.goal === "string"
        ? args.goal
        : undefined;
  const keys = Object.keys(args).filter((key) => !["context", "mode", "sessionId", "workspaceContext"].includes(key));
  keys.sort((a, b) => rank(a) - rank(b));
  return {
    title: mode ? `${call.name} · ${mode}` : (commandsTitle(call.name, args.tool) ?? call.name),
    args: keys.map((key) => `${key}: ${shortValue(args[key])}`).join(" · "),
    ...(goal ? { goal } : {}),
  };
}

/**
 * A Nexus `useTools` call named by the commands in its string (`useTools · content read, storage list`),
 * which is what the call does; undefined for any other call.
 */
function commandsTitle(name: string, tool: unknown): string | undefined {
  if (!name.endsWith("_useTools") || typeof tool !== "string") return undefined;
  const commands = splitSegments(tool).map((segment) => segment.trim().split(/\s+/).slice(0, 2).join(" "));
  return commands.length > 0 ? `useTools · ${commands.join(", ")}` : undefined;
}

function rank(key: string): number {
  const at = LEADING.indexOf(key);
  return at === -1 ? LEADING.length : at;
}

export function shortValue(value: unknown): string {
  const text = typeof value === "string" ? value.replace(/\s+/g, " ") : JSON.stringify(value);
  return text.length > LONGEST_VALUE ? `${text.slice(0, LONGEST_VALUE - 1)}…` : text;
}

/** The result's text as the model saw it (tool errors included), for the collapsed result panel. */
export function resultText(trace: StoredTrace): string {
  if (trace.error) return `Error ${trace.error.code}: ${trace.error.message}`;
  return (trace.result?.content ?? [])
    .map((item) => (isObject(item) && typeof item.text === "string" ? item.text : JSON.stringify(item)))
    .join("\n");
}
