import { inspectRecord, placeIssue, type Catalog, type Profile } from "@vault-tuner/shared";
import { ConversationBuilder } from "../conversation";
import type { Example } from "../example";

export interface ExampleProblem {
  rule: string;
  message: string;
}

/**
 * The validator's errors on an example's labelled turn, judged in its context (the system prompt's
 * session ids). As in `vault-tuner validate`, tool-level defects of an undesirable example are what it
 * is meant to show and do not count; `asLabel` overrides the label (mutations are checked as if good,
 * to prove they carry their defect).
 */
export function exampleErrors(
  example: Example,
  catalog: Catalog,
  profile: Profile,
  asLabel = example.label,
): ExampleProblem[] {
  const context = example.prompt.filter((message) => message.role === "system" || message.role === "user");
  const record = {
    messages: [...context, new ConversationBuilder().completionMessage(example.completion)],
    label: asLabel,
  };
  const inspection = inspectRecord(record, { catalog, profile });
  const raw = [...inspection.issues, ...inspection.calls.flatMap((call) => call.issues)];
  return raw
    .map((issue) => placeIssue(issue, 0, asLabel, profile))
    .filter((issue) => issue.severity === "error")
    .map(({ rule, message }) => ({ rule, message }));
}
