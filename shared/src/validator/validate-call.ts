import { checkAgainstSchema, isObject } from "../catalog/json-schema";
import type { Catalog, CatalogTool, JsonSchema } from "../catalog/catalog-types";
import { resolveTool } from "../catalog/resolve-tool";
import { CONTEXT_FIELDS, CONTEXT_MIN_LENGTHS } from "../schemas/context";
import type { ParsedCall } from "../codecs/parsed-call";
import type { RawIssue } from "./issue";
import { isStrictWorkspaceId, STRICT_SESSION_ID, type Profile } from "./profiles";
import { SCHEMA_FINDING_RULES } from "./rules";
import type { SessionContextIds } from "./session-context";
import { validateDispatchedCommands } from "./validate-commands";

export interface CallCheckOptions {
  catalog: Catalog;
  profile: Profile;
  sessionContext?: SessionContextIds;
}

/** Tool-level checks of one call: the tool exists, its context, its ids and its parameters. */
export function validateCall(call: ParsedCall, options: CallCheckOptions): RawIssue[] {
  const issues: RawIssue[] = [];
  const resolved = resolveTool(options.catalog, call.name, call.arguments);
  if (resolved.kind === "unknown") {
    issues.push({ rule: "tool-unknown", message: resolved.message });
    return issues;
  }
  const args = call.arguments;
  if (!isObject(args) || Object.keys(args).length === 0) {
    issues.push({
      rule: "arguments-not-object",
      message: `arguments of ${call.name} must be a non-empty JSON object, got ${describeValue(args)}`,
    });
    return issues;
  }
  const { tool } = resolved;
  if (options.catalog.contextStyle === "context-object") checkContextObject(args, options, issues);
  if (options.catalog.contextStyle === "top-level") checkTopLevelContext(args, options, issues);
  checkParameters(args, tool, resolved.ignoredArguments, issues);
  if (options.catalog.dispatcher?.tool === tool.name) issues.push(...validateDispatchedCommands(args, options.catalog));
  return issues;
}

function checkContextObject(args: Record<string, unknown>, options: CallCheckOptions, issues: RawIssue[]): void {
  if (!("context" in args)) {
    issues.push({ rule: "context-missing", message: 'no "context" argument' });
    return;
  }
  const context = args.context;
  if (!isObject(context)) {
    issues.push({ rule: "context-not-object", message: `"context" must be an object, got ${describeValue(context)}` });
    return;
  }
  const firstKey = Object.keys(args)[0];
  if (firstKey !== "context") {
    issues.push({
      rule: "context-not-first",
      message: `"context" must be the first argument, "${firstKey}" comes first`,
    });
  }
  const missing = CONTEXT_FIELDS.filter((field) => !(field in context));
  if (missing.length > 0)
    issues.push({ rule: "context-field-missing", message: `context lacks ${missing.join(", ")}` });
  for (const field of CONTEXT_FIELDS) {
    const value = context[field];
    if (value !== undefined && typeof value !== "string") {
      issues.push({
        rule: "context-field-type",
        message: `context.${field} must be a string, got ${describeValue(value)}`,
      });
    }
  }
  checkMemory(context.sessionMemory, "context.sessionMemory", issues);
  if (options.profile === "recorded") checkMinLengths(context, issues);
  checkIds(
    stringOrUndefined(context.sessionId),
    stringOrUndefined(context.workspaceId),
    "context.",
    options,
    true,
    issues,
  );
}

/**
 * Nexus 4.x/5.x: `workspaceId`, `sessionId`, `memory`, `goal` at the top level (presence is the schema's
 * job). Nexus reads an empty id as omitted (5.20: the session's remembered workspace), so it is one.
 */
function checkTopLevelContext(args: Record<string, unknown>, options: CallCheckOptions, issues: RawIssue[]): void {
  checkMemory(args.memory, "memory", issues);
  const id = (value: unknown) => stringOrUndefined(value) || undefined;
  checkIds(id(args.sessionId), id(args.workspaceId), "", options, false, issues);
}

function checkMemory(memory: unknown, where: string, issues: RawIssue[]): void {
  if (typeof memory === "string" && memory.trim() === "") {
    issues.push({ rule: "session-memory-empty", message: `${where} is empty` });
  }
}

function checkMinLengths(context: Record<string, unknown>, issues: RawIssue[]): void {
  for (const [field, min] of Object.entries(CONTEXT_MIN_LENGTHS)) {
    const value = context[field];
    if (typeof value === "string" && value.trim() !== "" && value.trim().length < min) {
      issues.push({
        rule: "context-field-short",
        message: `context.${field} has ${value.trim().length} characters; the plugin asks for ${min}+`,
      });
    }
  }
}

function checkIds(
  sessionId: string | undefined,
  workspaceId: string | undefined,
  prefix: string,
  options: CallCheckOptions,
  hasTrainingIdForms: boolean,
  issues: RawIssue[],
): void {
  if (options.profile === "strict" && hasTrainingIdForms) {
    if (sessionId !== undefined && !STRICT_SESSION_ID.test(sessionId)) {
      issues.push({
        rule: "session-id-format",
        message: `${prefix}sessionId ${JSON.stringify(sessionId)} is not session_<13 digits>_<9 chars>`,
      });
    }
    if (workspaceId !== undefined && !isStrictWorkspaceId(workspaceId)) {
      issues.push({
        rule: "workspace-id-format",
        message: `${prefix}workspaceId ${JSON.stringify(workspaceId)} is not ws_<13 digits>_<9 chars> or "default"`,
      });
    }
  }
  const expected = options.sessionContext;
  if (!expected) return;
  if (expected.sessionId && sessionId !== undefined && sessionId !== expected.sessionId) {
    issues.push({
      rule: "session-id-mismatch",
      message: `${prefix}sessionId ${JSON.stringify(sessionId)} differs from <session_context> ${JSON.stringify(expected.sessionId)}`,
    });
  }
  if (
    expected.allowedWorkspaceIds.size > 0 &&
    workspaceId !== undefined &&
    !expected.allowedWorkspaceIds.has(workspaceId)
  ) {
    issues.push({
      rule: "workspace-id-mismatch",
      message: `${prefix}workspaceId ${JSON.stringify(workspaceId)} is neither the <session_context> workspace nor an available one (${[...expected.allowedWorkspaceIds].join(", ")})`,
    });
  }
}

/** Everything but the context is checked against the tool's JSON Schema; extra top-level keys only warn. */
function checkParameters(
  args: Record<string, unknown>,
  tool: CatalogTool,
  ignored: readonly string[],
  issues: RawIssue[],
): void {
  const checked: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(args))
    if (key !== "context" && !ignored.includes(key)) checked[key] = value;
  const schema = withoutContext(tool.inputSchema);
  for (const finding of checkAgainstSchema(checked, schema)) {
    issues.push({ rule: SCHEMA_FINDING_RULES[finding.kind], message: finding.message });
  }
}

const strippedSchemas = new WeakMap<JsonSchema, JsonSchema>();

/** The tool schema minus `context` (checked by its own rules) and closed to unknown top-level keys. */
function withoutContext(schema: JsonSchema): JsonSchema {
  const cached = strippedSchemas.get(schema);
  if (cached) return cached;
  const properties = { ...(isObject(schema.properties) ? schema.properties : {}) };
  delete properties.context;
  const required = Array.isArray(schema.required) ? schema.required.filter((name) => name !== "context") : [];
  const stripped = { ...schema, properties, required, additionalProperties: schema.additionalProperties ?? false };
  strippedSchemas.set(schema, stripped);
  return stripped;
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return value.length === 0 ? "an empty array" : "an array";
  if (typeof value === "object") return Object.keys(value as object).length === 0 ? "an empty object" : "an object";
  if (typeof value === "string")
    return value === ""
      ? "an empty string"
      : `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value)}`;
  return `${typeof value} ${String(value)}`;
}
