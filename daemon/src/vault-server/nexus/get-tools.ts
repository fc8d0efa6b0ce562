import {
  commandsOfAgent,
  findCommand,
  schemaProperties,
  splitSegments,
  type CatalogCommand,
} from "@vault-tuner/shared";
import { fail } from "../tool-error";

/** Workspace names a discovery answer lists at most (the rest are found with `memory search-workspaces`). */
const LISTED_WORKSPACES = 40;

/** How `--help` and an agent selector list a command: enough to pick one and ask for its details. */
function compact(command: CatalogCommand) {
  return { agent: command.agent, tool: command.tool, description: command.description, command: command.command };
}

/** An example invocation: each positional and required flag with a value of its type. */
function example(command: CatalogCommand): string {
  const sample = (type: string, name: string) =>
    type === "number" || type === "integer"
      ? "1"
      : type.startsWith("array")
        ? '"first,second"'
        : type === "object"
          ? `'{"key":"value"}'`
          : `"${name}-value"`;
  const parts = [command.command];
  for (const argument of command.arguments) {
    if (!argument.required) continue;
    if (argument.type === "boolean") parts.push(argument.flag);
    else if (argument.positional) parts.push(sample(argument.type, argument.name));
    else parts.push(argument.flag, sample(argument.type, argument.name));
  }
  return parts.join(" ");
}

/** A command's full signature: usage, every argument with its description, an example. */
function full(command: CatalogCommand) {
  const properties = schemaProperties(command.inputSchema);
  return {
    ...compact(command),
    usage: command.usage,
    arguments: command.arguments.map((argument) => ({
      ...argument,
      description:
        typeof properties[argument.name]?.description === "string" ? properties[argument.name]?.description : undefined,
    })),
    examples: [example(command)],
  };
}

/**
 * `toolManager_getTools`: selectors (`--help`, `storage`, `storage move`, several joined by commas) answered
 * with command metadata from the release's catalog, and the workspaces that exist (besides "default"), so
 * the model passes a real one instead of guessing.
 */
export function getTools(args: Record<string, unknown>, commands: readonly CatalogCommand[], workspaceNames: string[]) {
  const selector = typeof args.tool === "string" ? args.tool.trim() : "";
  if (selector === "")
    fail('tool is required: "--help", an agent ("storage"), a command ("storage move"), or several joined by commas');
  const tools: ReturnType<typeof compact>[] = [];
  const notFound: string[] = [];
  let listedCompact = false;
  for (const segment of selector === "--help"
    ? [...new Set(commands.map((command) => command.command.split(" ")[0] as string))]
    : splitSegments(selector)) {
    const words = segment.trim().split(/\s+/);
    if (words.length > 2) fail(`Invalid selector "${segment}". Use "--help", "agent", or "agent tool".`);
    const [agent = "", tool] = words;
    if (tool === undefined) {
      const ofAgent = commandsOfAgent(agent, commands);
      if (ofAgent.length === 0) notFound.push(`Agent "${agent}" not found`);
      tools.push(...ofAgent.map(compact));
      listedCompact = true;
      continue;
    }
    const found = findCommand(agent, tool, commands);
    if ("rule" in found) notFound.push(found.message);
    else tools.push(full(found));
  }
  const names = workspaceNames;
  return {
    success: true,
    ...(notFound.length > 0 ? { error: `Some items not found: ${notFound.join(", ")}` } : {}),
    data: {
      tools,
      workspaces: ["default", ...names.slice(0, LISTED_WORKSPACES)],
      workspacesNote: `These are the only workspaces that exist${names.length > LISTED_WORKSPACES ? ` (the first ${LISTED_WORKSPACES} of ${names.length}; memory search-workspaces finds the rest)` : ""}. Pass one of these exact names; never make one up from the user's words.`,
      ...(listedCompact
        ? {
            note: 'A short list (command and description). Ask getTools for one command ("storage move") to see its arguments before using it.',
          }
        : {}),
    },
  };
}
