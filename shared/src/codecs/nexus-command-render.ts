import type { CatalogCommand } from "../catalog/catalog-types";

/** A value as one double-quoted token: the parser undoes exactly these escapes. */
function quoted(text: string): string {
  return `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n").replace(/\r/g, "\\r").replace(/\t/g, "\\t")}"`;
}

function token(value: unknown): string {
  if (typeof value === "number") return String(value);
  if (typeof value === "string") return quoted(value);
  return quoted(JSON.stringify(value));
}

/**
 * A command and its arguments as the string `toolManager_useTools` takes, in the declared order: the
 * positionals first (quoted), then flags. `parseToolString` reads it back to the same arguments; the
 * starter data and the mutation negatives write their calls with it.
 */
export function renderCommand(command: CatalogCommand, params: Record<string, unknown>): string {
  const parts = [command.command];
  const given = command.arguments.filter((argument) => params[argument.name] !== undefined);
  for (const argument of given.filter((candidate) => candidate.positional)) parts.push(token(params[argument.name]));
  for (const argument of given.filter((candidate) => !candidate.positional)) {
    const value = params[argument.name];
    if (argument.type === "boolean" && typeof value === "boolean")
      parts.push(value ? argument.flag : `--no-${argument.flag.slice(2)}`);
    else parts.push(argument.flag, token(value));
  }
  return parts.join(" ");
}
