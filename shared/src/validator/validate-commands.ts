import type { Catalog, CatalogCommand } from "../catalog/catalog-types";
import { checkAgainstSchema, isObject } from "../catalog/json-schema";
import { closestName } from "../catalog/resolve-tool";
import { splitCliCommands, type CliToken } from "../codecs/cli-command";
import type { RawIssue } from "./issue";
import { SCHEMA_FINDING_RULES } from "./rules";

/** Checks each CLI command of a dispatcher call (Nexus `toolManager_useTools`) against the catalog's commands. */
export function validateDispatchedCommands(args: Record<string, unknown>, catalog: Catalog): RawIssue[] {
  const dispatcher = catalog.dispatcher;
  const commands = catalog.commands ?? [];
  if (!dispatcher || commands.length === 0) return [];
  const text = args[dispatcher.argument];
  if (typeof text !== "string") return []; // the schema check reports the wrong type
  const split = splitCliCommands(text);
  if (!split.ok) return [{ rule: "command-unparsable", message: `${dispatcher.argument}: ${split.error}` }];
  const values =
    dispatcher.valuesArgument && isObject(args[dispatcher.valuesArgument])
      ? (args[dispatcher.valuesArgument] as Record<string, unknown>)
      : {};
  const issues: RawIssue[] = [];
  for (const tokens of split.commands) issues.push(...validateOneCommand(tokens, commands, values));
  return issues;
}

function validateOneCommand(
  tokens: CliToken[],
  commands: CatalogCommand[],
  values: Record<string, unknown>,
): RawIssue[] {
  const words = tokens
    .slice(0, 2)
    .map((token) => token.text)
    .join(" ");
  const command = commands.find((candidate) => candidate.command === words);
  if (!command) {
    const suggestion = closestName(
      words,
      commands.map((c) => c.command),
    );
    return [
      {
        rule: "command-unknown",
        message: `unknown command "${words}"${suggestion ? `; did you mean "${suggestion}"?` : ""}`,
      },
    ];
  }
  const issues: RawIssue[] = [];
  const parsed: Record<string, unknown> = {};
  const positionals = command.arguments.filter((argument) => argument.positional);
  let nextPositional = 0;
  const rest = tokens.slice(2);
  for (let i = 0; i < rest.length; i++) {
    const token = rest[i] as CliToken;
    if (!token.quoted && token.text.startsWith("--")) {
      const argument = command.arguments.find((candidate) => candidate.flag === token.text);
      const next = rest[i + 1];
      const nextIsFlag = next !== undefined && !next.quoted && next.text.startsWith("--");
      if (!argument) {
        issues.push({
          rule: "param-unexpected",
          message: `${command.command}: unknown flag ${token.text} (usage: ${command.usage})`,
        });
        if (next && !nextIsFlag) i++; // its value goes with it, not into the positionals
        continue;
      }
      if (argument.type === "boolean" && (!next || nextIsFlag || !/^(true|false)$/.test(next.text))) {
        parsed[argument.name] = true;
        continue;
      }
      if (!next) {
        issues.push({ rule: "param-missing", message: `${command.command}: ${token.text} has no value` });
        continue;
      }
      parsed[argument.name] = convert(next, argument.type, values, issues, command.command);
      i++;
    } else {
      const argument = positionals[nextPositional++];
      if (!argument) {
        issues.push({
          rule: "param-unexpected",
          message: `${command.command}: extra value ${JSON.stringify(token.text)} (usage: ${command.usage})`,
        });
        continue;
      }
      parsed[argument.name] = convert(token, argument.type, values, issues, command.command);
    }
  }
  for (const finding of checkAgainstSchema(parsed, command.inputSchema)) {
    issues.push({ rule: SCHEMA_FINDING_RULES[finding.kind], message: `${command.command}: ${finding.message}` });
  }
  return issues;
}

/** CLI values are text; numbers, booleans and JSON lists or objects are read as what the command declares. */
function convert(
  token: CliToken,
  type: string,
  values: Record<string, unknown>,
  issues: RawIssue[],
  command: string,
): unknown {
  let text = token.text;
  if (!token.quoted && text.startsWith("@")) {
    const value = values[text.slice(1)];
    if (value === undefined) {
      issues.push({ rule: "command-unparsable", message: `${command}: ${text} refers to a key missing from "values"` });
      return text;
    }
    if (typeof value !== "string") return value;
    text = value;
  }
  if (type === "number" && text.trim() !== "" && Number.isFinite(Number(text))) return Number(text);
  if (type === "boolean" && (text === "true" || text === "false")) return text === "true";
  if ((type.startsWith("array") || type === "object" || type === "oneOfArray") && /^[[{]/.test(text.trim())) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}
