import type { Catalog } from "../catalog/catalog-types";
import { isObject } from "../catalog/json-schema";
import { extractCalls, extractTextCalls } from "../codecs/extract-calls";
import type { ParsedCall } from "../codecs/parsed-call";
import { MESSAGE_ROLES } from "../schemas/dataset";
import type { RawIssue } from "./issue";
import type { Profile } from "./profiles";
import { RULES } from "./rules";
import { readSessionContext, type SessionContextIds } from "./session-context";
import { describeValue, validateCall } from "./validate-call";

export interface InspectOptions {
  catalog: Catalog;
  profile: Profile;
  /** false: only find the calls (coverage), without the tool-level checks. */
  checkCalls?: boolean;
}

export type RecordKind = "chat" | "kto";

/** A call found in a record, with the tool-level findings on it. */
export interface InspectedCall {
  call: ParsedCall;
  issues: RawIssue[];
}

/** What one dataset record holds and what is wrong with it, before line numbers and label severities. */
export interface RecordInspection {
  kind?: RecordKind;
  /** true / false when the record has a boolean label; undefined when it has none (SFT data). */
  label?: boolean;
  calls: InspectedCall[];
  /** Record-level findings (structure, plus warnings not tied to one call). */
  issues: RawIssue[];
}

const ROLE_SET = new Set<string>(MESSAGE_ROLES);

/** Reads one parsed JSONL record of any supported form and checks it. One walk serves validate and coverage. */
export function inspectRecord(record: unknown, options: InspectOptions): RecordInspection {
  const inspection: RecordInspection = { calls: [], issues: [] };
  if (!isObject(record)) {
    inspection.issues.push({
      rule: "record-not-object",
      message: `the line is ${describeValue(record)}, not a JSON object`,
    });
    return inspection;
  }
  if ("label" in record) {
    if (typeof record.label === "boolean") inspection.label = record.label;
    else
      inspection.issues.push({
        rule: "label-not-boolean",
        message: `"label" is ${describeValue(record.label)}; it must be true or false`,
      });
  }
  if ("conversations" in record || "messages" in record) {
    inspection.kind = "chat";
    const key = "conversations" in record ? "conversations" : "messages";
    inspectMessages(record[key], key, true, options, inspection);
  } else if ("prompt" in record && "completion" in record) {
    inspection.kind = "kto";
    inspectKto(record, options, inspection);
  } else {
    const keys = Object.keys(record).slice(0, 6).join(", ") || "none";
    inspection.issues.push({
      rule: "record-format-unknown",
      message: `no "conversations", "messages" or "prompt"/"completion" (keys: ${keys})`,
    });
  }
  if (
    inspection.label !== false &&
    inspection.kind &&
    inspection.calls.length === 0 &&
    !hasStructuralIssue(inspection)
  ) {
    inspection.issues.push({ rule: "no-tool-call", message: "the assistant makes no tool call" });
  }
  return inspection;
}

function inspectKto(record: Record<string, unknown>, options: InspectOptions, inspection: RecordInspection): void {
  if (!("label" in record)) inspection.issues.push({ rule: "label-missing", message: 'a KTO row has no "label"' });
  let sessionContext: SessionContextIds | undefined;
  if (typeof record.prompt === "string") sessionContext = readSessionContext(record.prompt);
  else sessionContext = inspectMessages(record.prompt, "prompt", false, options, inspection);
  const completion = record.completion;
  if (typeof completion === "string") {
    if (completion.trim() === "") inspection.issues.push({ rule: "assistant-empty", message: "completion is empty" });
    else addCalls(extractTextCalls(completion), "completion", { ...options, sessionContext }, inspection);
  } else {
    inspectMessages(completion, "completion", false, { ...options, inherited: sessionContext }, inspection);
  }
}

/**
 * Checks a message list and collects the calls of its assistant messages. Returns the ids a system
 * message's <session_context> prescribes, so a KTO completion can be checked against its prompt's.
 */
function inspectMessages(
  messages: unknown,
  where: string,
  needsUser: boolean,
  options: InspectOptions & { inherited?: SessionContextIds },
  inspection: RecordInspection,
): SessionContextIds | undefined {
  if (!Array.isArray(messages)) {
    inspection.issues.push({
      rule: "conversations-not-array",
      message: `"${where}" is ${describeValue(messages)}, not an array of messages`,
    });
    return undefined;
  }
  if (messages.length === 0) {
    inspection.issues.push({ rule: "conversations-empty", message: `"${where}" has no messages` });
    return undefined;
  }
  let sessionContext = options.inherited;
  let hasUser = false;
  messages.forEach((message, index) => {
    const at = `${where}[${index}]`;
    if (!isObject(message)) {
      inspection.issues.push({ rule: "message-not-object", message: `${at} is ${describeValue(message)}` });
      return;
    }
    const role = message.role;
    if (typeof role !== "string" || !ROLE_SET.has(role)) {
      inspection.issues.push({
        rule: "role-invalid",
        message: `${at}.role is ${role === undefined ? "missing" : JSON.stringify(role)}`,
      });
      return;
    }
    const hasToolCalls = Array.isArray(message.tool_calls) && message.tool_calls.length > 0;
    const content = message.content;
    if (typeof content !== "string" && !(content === null && role === "assistant" && hasToolCalls)) {
      inspection.issues.push({ rule: "content-not-string", message: `${at}.content is ${describeValue(content)}` });
      return;
    }
    if (role === "user") hasUser = true;
    if (role === "system" && typeof content === "string")
      sessionContext = readSessionContext(content) ?? sessionContext;
    if (role !== "assistant") return;
    if ((content ?? "").trim() === "" && !hasToolCalls) {
      inspection.issues.push({
        rule: "assistant-empty",
        message: `${at} (assistant) has no content and no tool_calls`,
      });
      return;
    }
    addCalls(extractCalls(message), at, { ...options, sessionContext }, inspection);
  });
  if (needsUser && !hasUser)
    inspection.issues.push({ rule: "no-user-message", message: `"${where}" has no user message` });
  return sessionContext;
}

function addCalls(
  extracted: ReturnType<typeof extractCalls>,
  at: string,
  options: InspectOptions & { sessionContext?: SessionContextIds },
  inspection: RecordInspection,
): void {
  for (const error of extracted.errors) {
    inspection.issues.push({ rule: "tool-call-unparsable", message: `${at}: ${error.message}` });
  }
  for (const call of extracted.calls) {
    if (options.checkCalls === false) {
      inspection.calls.push({ call, issues: [] });
      continue;
    }
    const issues = validateCall(call, options).map((issue) => ({
      ...issue,
      message: `${at} ${call.name}: ${issue.message}`,
    }));
    if (call.form === "seed-text" && call.result === undefined) {
      issues.push({ rule: "result-missing", message: `${at} ${call.name}: no "Result:" follows the call` });
    }
    inspection.calls.push({ call, issues });
  }
}

function hasStructuralIssue(inspection: RecordInspection): boolean {
  return inspection.issues.some((issue) => RULES[issue.rule].structural);
}
