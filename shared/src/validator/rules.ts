import type { SchemaFindingKind } from "../catalog/json-schema";

/**
 * Every rule the dataset validator applies. `structural` rules are errors whatever the row's label (the
 * row cannot be read or trained on); the others are tool-level defects, which an undesirable row is
 * expected to show: there they are reported as expected warnings.
 */
export interface RuleInfo {
  severity: "error" | "warning";
  structural: boolean;
  /** What to do about it, shown to people under the rule. */
  fix: string;
}

export const RULES = {
  "json-parse": {
    severity: "error",
    structural: true,
    fix: "Make the line one complete JSON object (JSONL: one record per line).",
  },
  "not-utf8": { severity: "error", structural: true, fix: "Save the file as UTF-8." },
  "line-too-long": { severity: "error", structural: true, fix: "Split the record; a line is limited in length." },
  "record-not-object": { severity: "error", structural: true, fix: "Each line must be a JSON object." },
  "record-format-unknown": {
    severity: "error",
    structural: true,
    fix: 'Use "conversations" (or "messages") for chat records, or "prompt"/"completion"/"label" for KTO rows.',
  },
  "conversations-not-array": { severity: "error", structural: true, fix: "Make the message list a JSON array." },
  "conversations-empty": { severity: "error", structural: true, fix: "Add the user message and the assistant reply." },
  "message-not-object": {
    severity: "error",
    structural: true,
    fix: 'Each message must be an object with "role" and "content".',
  },
  "role-invalid": {
    severity: "error",
    structural: true,
    fix: 'Use a role of "system", "user", "assistant" or "tool".',
  },
  "content-not-string": {
    severity: "error",
    structural: true,
    fix: "Message content must be a string (null only on an assistant message with tool_calls).",
  },
  "no-user-message": { severity: "error", structural: true, fix: "Add the user's request as a user message." },
  "assistant-empty": { severity: "error", structural: true, fix: "Give the assistant message a reply or a tool call." },
  "label-not-boolean": {
    severity: "error",
    structural: true,
    fix: 'Write "label": true or false (not a string or number).',
  },
  "label-missing": { severity: "error", structural: true, fix: 'A KTO row needs "label": true or false.' },
  "tool-call-unparsable": {
    severity: "error",
    structural: true,
    fix: "Write the call's arguments as one complete JSON object.",
  },
  "tool-unknown": {
    severity: "error",
    structural: false,
    fix: "Call a tool of the catalog (see `--catalog`); a misspelt or invented tool fails at run time.",
  },
  "arguments-not-object": { severity: "error", structural: false, fix: "Arguments must be a non-empty JSON object." },
  "context-missing": {
    severity: "error",
    structural: false,
    fix: 'Add the "context" object with its 7 fields as the first argument.',
  },
  "context-not-object": {
    severity: "error",
    structural: false,
    fix: '"context" must be an object with the 7 context fields.',
  },
  "context-not-first": { severity: "error", structural: false, fix: 'Put "context" first in the arguments.' },
  "context-field-missing": {
    severity: "error",
    structural: false,
    fix: "Give all 7 context fields: sessionId, workspaceId, sessionDescription, sessionMemory, toolContext, primaryGoal, subgoal.",
  },
  "context-field-type": { severity: "error", structural: false, fix: "Context fields are strings." },
  "context-field-short": {
    severity: "warning",
    structural: false,
    fix: "The plugin asks for a few words in each context field.",
  },
  "session-memory-empty": {
    severity: "error",
    structural: false,
    fix: "Summarise what happened so far in sessionMemory; it must never be empty.",
  },
  "session-id-format": {
    severity: "error",
    structural: false,
    fix: "Use a session id of the form session_<13 digits>_<9 lowercase letters or digits>.",
  },
  "workspace-id-format": {
    severity: "error",
    structural: false,
    fix: 'Use a workspace id of the form ws_<13 digits>_<9 lowercase letters or digits>, or "default".',
  },
  "session-id-mismatch": {
    severity: "error",
    structural: false,
    fix: "Use the session id the system prompt's <session_context> gives.",
  },
  "workspace-id-mismatch": {
    severity: "error",
    structural: false,
    fix: "Use the workspace id of <session_context> or one of <available_workspaces>.",
  },
  "param-missing": { severity: "error", structural: false, fix: "Add the parameter the tool requires." },
  "param-type": {
    severity: "error",
    structural: false,
    fix: "Give the parameter the type the tool's schema asks for.",
  },
  "param-enum": { severity: "error", structural: false, fix: "Use one of the values the tool's schema allows." },
  "param-constraint": { severity: "error", structural: false, fix: "Keep the value within the schema's limits." },
  "param-unexpected": {
    severity: "warning",
    structural: false,
    fix: "Remove parameters the tool does not take; the plugin ignores them and the model learns noise.",
  },
  "command-unknown": {
    severity: "error",
    structural: false,
    fix: "Use a CLI command the toolset lists (toolManager_getTools shows them).",
  },
  "command-unparsable": {
    severity: "error",
    structural: false,
    fix: "Quote values with spaces and close every quote in the CLI command string.",
  },
  "result-missing": {
    severity: "warning",
    structural: false,
    fix: 'Follow each seed-form call with "Result: <JSON>".',
  },
  "no-tool-call": {
    severity: "warning",
    structural: false,
    fix: "A desirable example normally shows a tool call; check that a plain reply is really what you want taught.",
  },
} as const satisfies Record<string, RuleInfo>;

export type RuleId = keyof typeof RULES;

/** The rule each kind of JSON Schema finding is reported under. */
export const SCHEMA_FINDING_RULES: Record<SchemaFindingKind, RuleId> = {
  required: "param-missing",
  type: "param-type",
  enum: "param-enum",
  unexpected: "param-unexpected",
  constraint: "param-constraint",
};
