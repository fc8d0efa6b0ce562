import {
  findCommand,
  parseToolString,
  renderCommand,
  splitSegments,
  type Catalog,
  type CatalogCommand,
  type MutationKind,
  type ToolCall,
} from "@vault-tuner/shared";
import type { SeededRandom } from "./seeded-random";

/** Verbs a model invents for a Nexus agent: none of them is a command. */
const INVENTED_COMMAND_VERBS = ["edit", "update-note", "rename", "append", "delete", "find", "open-note", "summarize"];

/**
 * The destructive command a model wrongly reaches for when the user only asked to look: a read turned
 * into an overwrite, a listing into a new folder, a load into an archive.
 */
const READ_TO_WRITE: Record<string, (params: Record<string, unknown>) => [string, Record<string, unknown>]> = {
  "content read": (p) => ["content write", { path: p.path, content: "", overwrite: true }],
  "storage list": (p) => ["storage create-folder", { path: p.path ?? "New folder" }],
  "canvas read": (p) => ["canvas write", { path: p.path }],
  "base read": (p) => ["base write", { path: p.path }],
  "memory load-workspace": (p) => ["memory archive-workspace", { name: p.workspace }],
  "memory load-state": (p) => ["memory archive-state", { name: p.name }],
  "task list": (p) => ["task archive-project", { projectId: p.projectId }],
};

/**
 * A Nexus `useTools` call given a defect in its first command (the rest of the string kept as written):
 * a command of the same agent instead, a required argument left out, a number given as a word, an
 * invented command, or a destructive command where only a read was asked. undefined when the command
 * offers nothing to break that way; the context defects are the call's, handled with the 3.x ones.
 */
export function mutateCommandCall(
  call: ToolCall,
  kind: MutationKind,
  catalog: Catalog,
  random: SeededRandom,
): ToolCall | undefined {
  const dispatcher = catalog.dispatcher;
  const commands = catalog.commands ?? [];
  const text = dispatcher ? call.arguments[dispatcher.argument] : undefined;
  if (!dispatcher || typeof text !== "string" || call.arguments[dispatcher.valuesArgument ?? ""] !== undefined)
    return undefined;
  const [first, ...rest] = splitSegments(text);
  const parsed = first ? parseToolString(first, undefined, commands).segments[0] : undefined;
  if (!parsed?.ok) return undefined;
  const { command, params } = parsed;
  const withFirst = (replacement: string): ToolCall => ({
    name: call.name,
    arguments: { ...call.arguments, [dispatcher.argument]: [replacement, ...rest].join(", ") },
  });
  switch (kind) {
    case "wrong-tool": {
      const siblings = commands.filter((other) => other.agent === command.agent && other.command !== command.command);
      // A sibling the call's arguments fully serve makes the subtler negative: a valid call, the wrong one.
      const served = siblings.filter((other) =>
        other.arguments.every((argument) => !argument.required || argument.name in params),
      );
      const other = random.pick(served.length > 0 ? served : siblings);
      return other ? withFirst(renderCommand(other, fitting(other, params))) : undefined;
    }
    case "missing-required-parameter": {
      const name = random.pick(
        command.arguments
          .filter((argument) => argument.required && argument.name in params)
          .map((argument) => argument.name),
      );
      if (name === undefined) return undefined;
      const { [name]: _dropped, ...kept } = params;
      return withFirst(renderCommand(command, kept));
    }
    case "wrong-type": {
      const name = random.pick(
        command.arguments
          .filter((argument) => (argument.type === "number" || argument.type === "integer") && argument.name in params)
          .map((argument) => argument.name),
      );
      return name === undefined ? undefined : withFirst(renderCommand(command, { ...params, [name]: "ten" }));
    }
    case "invented-tool": {
      const agent = command.command.split(" ")[0] as string;
      const verb = random.pick(
        INVENTED_COMMAND_VERBS.filter((candidate) => "rule" in findCommand(agent, candidate, commands)),
      );
      return verb === undefined
        ? undefined
        : withFirst(`${agent} ${verb} ${first?.split(/\s+/).slice(2).join(" ")}`.trim());
    }
    case "write-for-read": {
      const swap = READ_TO_WRITE[command.command];
      if (!swap) return undefined;
      const [name, swapped] = swap(params);
      const target = commands.find((candidate) => candidate.command === name) as CatalogCommand;
      return withFirst(renderCommand(target, swapped));
    }
    default:
      return undefined;
  }
}

/** The arguments another command also takes, of the same name. */
function fitting(command: CatalogCommand, params: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(params).filter(([name]) => command.arguments.some((argument) => argument.name === name)),
  );
}
