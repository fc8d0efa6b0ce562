import type { CatalogCommand } from "../catalog/catalog-types";
import { closestName } from "../catalog/resolve-tool";
import type { RuleId } from "../validator/rules";

/**
 * The command strings Nexus 5.x's `toolManager_useTools` takes in its `tool` argument, read the way the
 * plugin reads them, so the validator judges a call as the plugin would run it and the sandbox runs it
 * the same way:
 *   - commands are separated by a comma outside quotes that is followed by whitespace or ends the string
 *     (`a,b` stays one value);
 *   - a token may be quoted with `"` or `'`, in whole or in part; `\n`, `\t`, `\r`, `\uXXXX` and `\<char>`
 *     are unescaped in every token;
 *   - after `agent tool` (either in kebab or camel case: `content set-property`, `contentManager setProperty`)
 *     come positionals, in the order the command declares its required non-boolean, non-array,
 *     non-object arguments (one already given as a flag is skipped), and flags: `--name value`,
 *     `--name=value`, a bare boolean `--name` (or `--name true|false`), `--no-name` for false;
 *   - values are converted to what the argument declares: numbers, `true`/`false`, JSON objects, arrays as
 *     JSON or comma-separated items;
 *   - an unquoted `@key` takes `values[key]` verbatim when the call has a `values` map; every declared key
 *     must be used, and a key must be letters, digits, `_` or `-`.
 * A command the plugin would refuse gets the first reason it would give, under the validator's rule.
 */
export interface CommandLineError {
  rule: RuleId;
  message: string;
}

export type ParsedSegment =
  | {
      ok: true;
      text: string;
      command: CatalogCommand;
      params: Record<string, unknown>;
      /** Unquoted `@key` tokens kept as literal text because the call has no `values` map. */
      literalReferences: string[];
    }
  | { ok: false; text: string; error: CommandLineError };

export interface ParsedToolString {
  segments: ParsedSegment[];
  /** A problem with the call as a whole (its `values` map, an empty string); the plugin runs nothing then. */
  error?: CommandLineError;
}

/** Top-level fields a command must not repeat as flags. */
const CONTEXT_FLAGS = new Set(["workspace-id", "session-id", "memory", "goal", "constraints"]);
const VALUES_KEY = /^[A-Za-z0-9_][A-Za-z0-9_-]*$/;

export function parseToolString(tool: string, values: unknown, commands: readonly CatalogCommand[]): ParsedToolString {
  const verbatim = readValues(values);
  if ("error" in verbatim) return { segments: [], error: verbatim.error };
  const texts = splitSegments(tool);
  if (texts.length === 0)
    return { segments: [], error: { rule: "command-unparsable", message: "the tool string holds no command" } };
  const used = new Set<string>();
  const segments = texts.map((text) => parseSegment(text, commands, verbatim.values, used));
  const unused = verbatim.values ? Object.keys(verbatim.values).filter((key) => !used.has(key)) : [];
  if (unused.length > 0 && segments.every((segment) => segment.ok))
    return {
      segments,
      error: {
        rule: "command-unparsable",
        message: `"values" declares ${unused.map((key) => `"${key}"`).join(", ")} but the tool string never refers to ${unused.length > 1 ? "them" : "it"} (@${unused[0]})`,
      },
    };
  return { segments };
}

function readValues(values: unknown): { values?: Record<string, string> } | { error: CommandLineError } {
  if (values === undefined || values === null) return {};
  if (typeof values !== "object" || Array.isArray(values))
    return { error: { rule: "param-type", message: '"values" must be an object of strings' } };
  for (const [key, value] of Object.entries(values)) {
    if (!VALUES_KEY.test(key))
      return {
        error: {
          rule: "command-unparsable",
          message: `values key "${key}" cannot be referred to: use letters, digits, "_" or "-"`,
        },
      };
    if (typeof value !== "string")
      return { error: { rule: "param-type", message: `values.${key} must be a string, got ${typeof value}` } };
  }
  return Object.keys(values).length > 0 ? { values: values as Record<string, string> } : {};
}

/** Splits at a comma outside quotes that is followed by whitespace or the end. */
export function splitSegments(input: string): string[] {
  const segments: string[] = [];
  let current = "";
  let quote: string | undefined;
  for (let i = 0; i < input.length; i++) {
    const ch = input[i] as string;
    if (ch === "\\" && i + 1 < input.length) {
      current += ch + input[++i];
      continue;
    }
    if (ch === '"' || ch === "'") {
      if (quote === undefined) quote = ch;
      else if (quote === ch) quote = undefined;
    } else if (ch === "," && quote === undefined && (i + 1 === input.length || /\s/.test(input[i + 1] as string))) {
      if (current.trim()) segments.push(current.trim());
      current = "";
      continue;
    }
    current += ch;
  }
  if (current.trim()) segments.push(current.trim());
  return segments;
}

interface Token {
  value: string;
  quoted: boolean;
}

function tokenize(segment: string): Token[] | CommandLineError {
  const tokens: Token[] = [];
  let current = "";
  let quote: string | undefined;
  let started = false;
  let quoted = false;
  for (let i = 0; i < segment.length; i++) {
    const ch = segment[i] as string;
    if (ch === "\\" && i + 1 < segment.length) {
      current += ch + segment[++i];
      started = true;
    } else if (quote !== undefined) {
      if (ch === quote) quote = undefined;
      else current += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      started = true;
      quoted = true;
    } else if (/\s/.test(ch)) {
      if (started) tokens.push({ value: unescapeToken(current), quoted });
      current = "";
      started = false;
      quoted = false;
    } else {
      current += ch;
      started = true;
    }
  }
  if (quote !== undefined)
    return {
      rule: "command-unparsable",
      message: `unclosed ${quote === '"' ? "double" : "single"} quote in "${clip(segment)}" (escape a quote inside a value as \\${quote})`,
    };
  if (started) tokens.push({ value: unescapeToken(current), quoted });
  return tokens;
}

const ESCAPES: Record<string, string> = { n: "\n", r: "\r", t: "\t" };

function unescapeToken(raw: string): string {
  let out = "";
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i] as string;
    if (ch !== "\\" || i + 1 >= raw.length) {
      out += ch;
      continue;
    }
    const next = raw[i + 1] as string;
    const hex = raw.slice(i + 2, i + 6);
    if (next === "u" && /^[0-9a-fA-F]{4}$/.test(hex)) {
      out += String.fromCodePoint(Number.parseInt(hex, 16));
      i += 5;
    } else {
      out += ESCAPES[next] ?? next;
      i++;
    }
  }
  return out;
}

/** `setProperty`, `set_property`, `contentManager` -> `set-property`, `content` (how the plugin matches names). */
export function kebabName(value: string): string {
  return value
    .replace(/Manager$/i, "")
    .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
    .replace(/[_\s]+/g, "-")
    .replace(/--+/g, "-")
    .toLowerCase();
}

/** The commands of one agent, named as the plugin accepts it (`content`, `contentManager`). */
export function commandsOfAgent(agentToken: string, commands: readonly CatalogCommand[]): CatalogCommand[] {
  const agent = kebabName(agentToken);
  return commands.filter((command) => command.command.split(" ")[0] === agent || kebabName(command.agent) === agent);
}

/** One command by its agent and tool words, or the reason there is none (with the nearest name). */
export function findCommand(
  agentToken: string,
  toolToken: string,
  commands: readonly CatalogCommand[],
): CatalogCommand | CommandLineError {
  const agent = kebabName(agentToken);
  const ofAgent = commandsOfAgent(agentToken, commands);
  if (ofAgent.length === 0) {
    const agents = [...new Set(commands.map((command) => command.command.split(" ")[0] as string))];
    const suggestion = closestName(agent, agents);
    return {
      rule: "command-unknown",
      message: `unknown agent "${agentToken}"${suggestion ? `; did you mean "${suggestion}"?` : ""}`,
    };
  }
  const tool = kebabName(toolToken.replace(/^--/, ""));
  const found = ofAgent.find((command) => command.command.split(" ")[1] === tool || kebabName(command.tool) === tool);
  if (found) return found;
  const words = `${ofAgent[0]?.command.split(" ")[0]} ${tool}`;
  const suggestion = closestName(
    words,
    commands.map((command) => command.command),
  );
  return {
    rule: "command-unknown",
    message: `unknown command "${words}"${suggestion ? `; did you mean "${suggestion}"?` : ""}`,
  };
}

function parseSegment(
  text: string,
  commands: readonly CatalogCommand[],
  values: Record<string, string> | undefined,
  used: Set<string>,
): ParsedSegment {
  const fail = (error: CommandLineError): ParsedSegment => ({ ok: false, text, error });
  const tokens = tokenize(text);
  if (!Array.isArray(tokens)) return fail(tokens);
  if (tokens.length < 2)
    return fail({
      rule: "command-unknown",
      message: `"${clip(text)}" is not a command: expected "agent tool [arguments]"`,
    });
  const command = findCommand((tokens[0] as Token).value, (tokens[1] as Token).value, commands);
  if ("rule" in command) return fail(command);
  const name = command.command;
  const params: Record<string, unknown> = {};
  const literalReferences: string[] = [];
  const resolve = (token: Token): string | CommandLineError => {
    if (token.quoted || !token.value.startsWith("@") || !VALUES_KEY.test(token.value.slice(1))) return token.value;
    const key = token.value.slice(1);
    if (!values) {
      literalReferences.push(token.value);
      return token.value;
    }
    if (!Object.hasOwn(values, key))
      return {
        rule: "command-unparsable",
        message: `${name}: ${token.value} refers to a key missing from "values" (quote it to pass the text itself)`,
      };
    used.add(key);
    return values[key] as string;
  };
  const positionals = command.arguments.filter((argument) => argument.positional);
  let nextPositional = 0;
  for (let i = 2; i < tokens.length; i++) {
    const token = tokens[i] as Token;
    if (!token.quoted && token.value.startsWith("--")) {
      let flag = token.value.slice(2);
      let inline: string | undefined;
      const equals = flag.indexOf("=");
      if (equals >= 0) [flag, inline] = [flag.slice(0, equals), flag.slice(equals + 1)];
      if (CONTEXT_FLAGS.has(flag))
        return fail({
          rule: "param-unexpected",
          message: `${name}: --${flag} belongs at the top level of the call, not inside "tool"`,
        });
      const negated = flag.startsWith("no-") && inline === undefined;
      const argument =
        command.arguments.find((candidate) => candidate.flag === `--${flag}`) ??
        (negated
          ? command.arguments.find(
              (candidate) => candidate.flag === `--${flag.slice(3)}` && candidate.type === "boolean",
            )
          : undefined);
      if (!argument)
        return fail({
          rule: "param-unexpected",
          message: `${name}: unknown flag ${token.value} (usage: ${command.usage})`,
        });
      if (argument.type === "boolean") {
        const next = tokens[i + 1];
        if (negated && argument.flag !== `--${flag}`) params[argument.name] = false;
        else if (inline !== undefined) {
          if (inline !== "true" && inline !== "false")
            return fail({
              rule: "param-type",
              message: `${name}: ${argument.flag} takes =true or =false, got "${inline}"`,
            });
          params[argument.name] = inline === "true";
        } else if (next && !next.quoted && (next.value === "true" || next.value === "false")) {
          params[argument.name] = next.value === "true";
          i++;
        } else params[argument.name] = true;
        continue;
      }
      let raw: string | CommandLineError;
      if (inline !== undefined) {
        if (inline === "")
          return fail({ rule: "command-unparsable", message: `${name}: ${argument.flag}= has no value` });
        raw = resolve({ value: inline, quoted: false });
      } else {
        const next = tokens[i + 1];
        if (!next || (!next.quoted && next.value.startsWith("--")))
          return fail({ rule: "param-missing", message: `${name}: ${argument.flag} has no value` });
        raw = resolve(next);
        i++;
      }
      if (typeof raw !== "string") return fail(raw);
      const value = convert(raw, argument.type);
      if (value instanceof ConversionError)
        return fail({ rule: "param-type", message: `${name}: ${argument.flag}: ${value.message}` });
      params[argument.name] = value;
      continue;
    }
    while (
      nextPositional < positionals.length &&
      params[(positionals[nextPositional] as { name: string }).name] !== undefined
    )
      nextPositional++;
    const argument = positionals[nextPositional++];
    if (!argument)
      return fail({
        rule: "param-unexpected",
        message: `${name}: extra value "${clip(token.value)}" (usage: ${command.usage})`,
      });
    const raw = resolve(token);
    if (typeof raw !== "string") return fail(raw);
    const value = convert(raw, argument.type);
    if (value instanceof ConversionError)
      return fail({ rule: "param-type", message: `${name}: ${argument.name}: ${value.message}` });
    params[argument.name] = value;
  }
  const missing = command.arguments.filter((argument) => argument.required && params[argument.name] === undefined);
  if (missing.length > 0)
    return fail({
      rule: "param-missing",
      message: `${name}: missing ${missing.map((argument) => argument.name).join(", ")} (usage: ${command.usage})`,
    });
  return { ok: true, text, command, params, literalReferences };
}

class ConversionError {
  constructor(readonly message: string) {}
}

/** Text to the argument's declared type; what does not convert stays text (the schema check then says so). */
function convert(raw: string, type: string): unknown {
  if (type === "number" || type === "integer") {
    const number = Number(raw);
    return raw.trim() === "" || Number.isNaN(number) ? raw : number;
  }
  if (type === "boolean") {
    if (raw === "true" || raw === "false") return raw === "true";
    return new ConversionError(`takes only "true" or "false", got "${clip(raw)}"`);
  }
  if (type.startsWith("array")) {
    const itemType = type.startsWith("array<") ? type.slice(6, -1) : "unknown";
    const json = jsonOf(raw, "[");
    if (Array.isArray(json)) return json.map((item) => (typeof item === "string" ? convert(item, itemType) : item));
    return splitItems(raw).map((item) => convert(item, itemType));
  }
  if (type === "object") {
    const json = jsonOf(raw, "{");
    return json === undefined ? raw : json;
  }
  if (type === "oneOfArray") {
    const json = jsonOf(raw, "[");
    if (Array.isArray(json)) return json;
    const items = splitItems(raw);
    return items.length >= 2 ? items : (items[0] ?? raw);
  }
  return raw;
}

function jsonOf(raw: string, opener: string): unknown {
  const trimmed = raw.trim();
  if (!trimmed.startsWith(opener)) return undefined;
  try {
    return JSON.parse(trimmed);
  } catch {
    return undefined;
  }
}

/** `a, b, "c, d"` -> a | b | c, d; an outer `[...]` that is not JSON is dropped first. */
function splitItems(raw: string): string[] {
  const split = (input: string) => {
    const items: string[] = [];
    let current = "";
    let quote: string | undefined;
    for (let i = 0; i < input.length; i++) {
      const ch = input[i] as string;
      if (ch === "\\" && i + 1 < input.length) current += input[++i];
      else if (quote !== undefined) {
        if (ch === quote) quote = undefined;
        else current += ch;
      } else if (ch === '"' || ch === "'") quote = ch;
      else if (ch === ",") {
        if (current.trim()) items.push(current.trim());
        current = "";
      } else current += ch;
    }
    if (current.trim()) items.push(current.trim());
    return items;
  };
  const trimmed = raw.trim();
  const direct = split(raw);
  if (direct.length < 2 || !trimmed.startsWith("[") || !trimmed.endsWith("]")) return direct;
  return split(trimmed.slice(1, -1));
}

function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
