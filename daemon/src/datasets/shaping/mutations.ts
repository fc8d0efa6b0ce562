import {
  CONTEXT_FIELDS,
  isObject,
  resolveTool,
  type Catalog,
  type CatalogTool,
  type MutationKind,
  type ToolCall,
} from "@vault-tuner/shared";
import type { Example } from "../example";
import { mutateCommandCall } from "./command-mutations";
import type { SeededRandom } from "./seeded-random";

const TOP_LEVEL_CONTEXT = ["sessionId", "workspaceId", "memory", "goal"] as const;
/** Arguments that carry context or pick the mode: never the "required parameter" a mutation removes. */
const NOT_PARAMETERS = new Set(["context", "sessionId", "workspaceId", "memory", "goal", "constraints", "mode"]);
const INVENTED_VERBS = [
  "editNote",
  "updateNote",
  "writeFile",
  "renameFile",
  "searchNotes",
  "readNote",
  "findFiles",
  "summarizeNote",
];
const INVENTED_AGENTS = ["noteManager", "fileManager", "searchManager", "vaultEditor", "memoryKeeper"];

/**
 * Derives an undesirable example from a desirable one by giving its first call a known defect, the
 * kind local models make with these tools. undefined when the call offers nothing to break that way
 * (no context object, no required parameter...).
 */
export function mutateExample(
  example: Example,
  kind: MutationKind,
  catalog: Catalog,
  random: SeededRandom,
): Example | undefined {
  const [first, ...rest] = example.completion.calls;
  if (!first) return undefined;
  const source = `mutation:${kind}:${example.source}`;
  if (kind === "discovery-skipped") {
    const prompt = withoutDiscovery(example, catalog);
    return prompt ? { ...example, source, label: false, prompt } : undefined;
  }
  const byCommand = catalog.dispatcher?.tool === first.name && COMMAND_KINDS.has(kind);
  const mutated = byCommand
    ? mutateCommandCall(structuredClone(first), kind, catalog, random)
    : mutateCall(structuredClone(first), kind, catalog, random);
  if (!mutated) return undefined;
  return { ...example, source, label: false, completion: { calls: [mutated, ...rest], text: null } };
}

/** The defects a Nexus call carries in its command string rather than in its arguments. */
const COMMAND_KINDS = new Set<MutationKind>([
  "wrong-tool",
  "missing-required-parameter",
  "wrong-type",
  "invented-tool",
  "write-for-read",
]);

/**
 * The conversation without the discovery turn that came just before the call: the same command used
 * without first looking it up, which Nexus asks a model never to do. undefined when no lookup precedes it.
 */
function withoutDiscovery(example: Example, catalog: Catalog): Example["prompt"] | undefined {
  const dispatcher = catalog.dispatcher?.tool;
  if (!dispatcher || example.completion.calls[0]?.name !== dispatcher) return undefined;
  const lookup = example.prompt.map((message) => message.role).lastIndexOf("assistant");
  const calls = example.prompt[lookup]?.tool_calls ?? [];
  const discovery =
    calls.length > 0 &&
    calls.every(
      (call) => call.function.name !== dispatcher && catalog.tools.some((tool) => tool.name === call.function.name),
    ) &&
    example.prompt.slice(lookup + 1).every((message) => message.role === "tool");
  return discovery ? example.prompt.slice(0, lookup) : undefined;
}

function mutateCall(call: ToolCall, kind: MutationKind, catalog: Catalog, random: SeededRandom): ToolCall | undefined {
  const args = call.arguments;
  const context = isObject(args.context) ? args.context : undefined;
  switch (kind) {
    case "missing-context-field": {
      if (context)
        return removeOne(
          call,
          context,
          CONTEXT_FIELDS.filter((field) => field in context),
          random,
        );
      return removeOne(
        call,
        args,
        TOP_LEVEL_CONTEXT.filter((field) => field in args),
        random,
      );
    }
    case "empty-session-memory": {
      const holder = context ?? args;
      const field = context ? "sessionMemory" : "memory";
      if (typeof holder[field] !== "string" || holder[field] === "") return undefined;
      holder[field] = "";
      return call;
    }
    case "wrong-tool":
      return swapTool(call, catalog, random);
    case "missing-required-parameter": {
      const tool = toolOf(call, catalog);
      const required = ((tool?.inputSchema.required ?? []) as string[]).filter(
        (name) => !NOT_PARAMETERS.has(name) && name in args,
      );
      return removeOne(call, args, required, random);
    }
    case "wrong-type": {
      const properties = (toolOf(call, catalog)?.inputSchema.properties ?? {}) as Record<string, { type?: unknown }>;
      const typed = Object.keys(args).filter(
        (name) => !NOT_PARAMETERS.has(name) && typeof properties[name]?.type === "string",
      );
      const name = random.pick(typed);
      if (name === undefined) return undefined;
      args[name] = wrongValue(properties[name]?.type as string);
      return call;
    }
    case "write-for-read":
    case "discovery-skipped":
      // Only Nexus command strings and conversations carry these.
      return undefined;
    case "invented-tool": {
      const wire = !call.name.includes("_") && typeof args.mode === "string";
      const prefix = call.name.split("_")[0];
      const candidates = wire ? INVENTED_AGENTS : INVENTED_VERBS.map((verb) => `${prefix}_${verb}`);
      const unknown = candidates.filter(
        (name) => !catalog.tools.some((tool) => tool.name === name || tool.agent === name),
      );
      const name = random.pick(unknown);
      return name === undefined ? undefined : { name, arguments: args };
    }
  }
}

function toolOf(call: ToolCall, catalog: Catalog): CatalogTool | undefined {
  const resolved = resolveTool(catalog, call.name, call.arguments);
  return resolved.kind === "tool" ? resolved.tool : undefined;
}

function removeOne(
  call: ToolCall,
  from: Record<string, unknown>,
  names: readonly string[],
  random: SeededRandom,
): ToolCall | undefined {
  const name = random.pick(names);
  if (name === undefined) return undefined;
  delete from[name];
  return call;
}

/** Another tool of the same agent (another `mode` on the 3.x wire): a real tool, the wrong one. */
function swapTool(call: ToolCall, catalog: Catalog, random: SeededRandom): ToolCall | undefined {
  const tool = toolOf(call, catalog);
  if (!tool) return undefined;
  const siblings = catalog.tools.filter(
    (other) => other.name !== tool.name && (tool.agent === undefined || other.agent === tool.agent),
  );
  const other = random.pick(siblings);
  if (!other) return undefined;
  if (call.name === tool.agent && typeof call.arguments.mode === "string" && other.mode)
    return { name: call.name, arguments: { ...call.arguments, mode: other.mode } };
  return { name: other.name, arguments: call.arguments };
}

function wrongValue(type: string): unknown {
  switch (type) {
    case "string":
      return 42;
    case "number":
    case "integer":
      return "ten";
    case "boolean":
      return "yes";
    case "array":
      return "one, two";
    default:
      return "not an object";
  }
}
