import { isObject, parseToolString, resolveTool, type Catalog } from "@vault-tuner/shared";
import { commandEffect, type ToolEffect, toolEffect } from "./tool-effects";

/**
 * What a case's expectations are matched against: one unit per thing a call asks the vault to do. A
 * Claudesidian 3.x call is one unit named by its flat tool (`contentManager_readContent`); a Nexus
 * `useTools` call is one unit per command in its string (`content read`, with the command's parsed
 * arguments), and `getTools` one unit of its own.
 */
export interface CallUnit {
  /** The index of the call it came from. */
  call: number;
  /** The flat tool or the command; undefined when the call (or that command) names nothing known. */
  name?: string;
  arguments: unknown;
  effect: ToolEffect;
}

export function callUnits(catalog: Catalog, calls: readonly { name: string; arguments: unknown }[]): CallUnit[] {
  const dispatcher = catalog.dispatcher;
  return calls.flatMap((call, index): CallUnit[] => {
    if (dispatcher && call.name === dispatcher.tool && isObject(call.arguments)) {
      const text = call.arguments[dispatcher.argument];
      if (typeof text !== "string") return [{ call: index, arguments: call.arguments, effect: "write" }];
      const values = dispatcher.valuesArgument ? call.arguments[dispatcher.valuesArgument] : undefined;
      const parsed = parseToolString(text, values, catalog.commands ?? []);
      // The plugin runs nothing of a call whose values map it refuses.
      if (parsed.error) return [{ call: index, arguments: {}, effect: "write" }];
      return parsed.segments.map((segment) =>
        segment.ok
          ? {
              call: index,
              name: segment.command.command,
              arguments: segment.params,
              effect: commandEffect(segment.command),
            }
          : { call: index, arguments: {}, effect: "write" },
      );
    }
    const resolved = resolveTool(catalog, call.name, call.arguments);
    if (resolved.kind !== "tool") return [{ call: index, arguments: call.arguments, effect: "write" }];
    return [{ call: index, name: resolved.tool.name, arguments: call.arguments, effect: toolEffect(resolved.tool) }];
  });
}

/** Why a name cannot be expected of a model under this catalog, or undefined when it can. */
export function unknownUnitName(catalog: Catalog, name: string): string | undefined {
  if (catalog.commands?.some((command) => command.command === name)) return undefined;
  const resolved = resolveTool(catalog, name, {});
  return resolved.kind === "unknown" ? resolved.message : undefined;
}
