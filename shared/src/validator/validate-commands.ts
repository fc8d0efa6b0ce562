import type { Catalog } from "../catalog/catalog-types";
import { checkAgainstSchema } from "../catalog/json-schema";
import { parseToolString } from "../codecs/nexus-command-line";
import type { RawIssue } from "./issue";
import { SCHEMA_FINDING_RULES } from "./rules";

/**
 * Checks each CLI command of a dispatcher call (Nexus `toolManager_useTools`) as the plugin would read it
 * (nexus-command-line.ts), then its arguments against the command's schema.
 */
export function validateDispatchedCommands(args: Record<string, unknown>, catalog: Catalog): RawIssue[] {
  const dispatcher = catalog.dispatcher;
  const commands = catalog.commands ?? [];
  if (!dispatcher || commands.length === 0) return [];
  const text = args[dispatcher.argument];
  if (typeof text !== "string") return []; // the schema check reports the wrong type
  const values = dispatcher.valuesArgument ? args[dispatcher.valuesArgument] : undefined;
  const parsed = parseToolString(text, values, commands);
  const issues: RawIssue[] = [];
  // A values map of the wrong shape is the schema check's finding already.
  if (parsed.error && parsed.error.rule !== "param-type") issues.push(parsed.error);
  for (const segment of parsed.segments) {
    if (!segment.ok) {
      issues.push(segment.error);
      continue;
    }
    // The plugin passes an unquoted @key on as text when the call has no values map: almost always a slip.
    for (const reference of segment.literalReferences)
      issues.push({
        rule: "command-unparsable",
        message: `${segment.command.command}: ${reference} refers to "values", which the call does not have (quote it to mean the text)`,
      });
    for (const finding of checkAgainstSchema(segment.params, segment.command.inputSchema))
      issues.push({
        rule: SCHEMA_FINDING_RULES[finding.kind],
        message: `${segment.command.command}: ${finding.message}`,
      });
  }
  return issues;
}
