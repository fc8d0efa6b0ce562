import type { FlushResult } from "./label-queue";

/** What became of labels the user just gave: how many, and what the queue did with them. */
export interface LabelOutcome extends FlushResult {
  given: number;
}

/** The outcome in words, for the review view's message line and Notices. */
export function labelWords(outcome: LabelOutcome): string {
  const labels = (count: number) => `${count} label${count === 1 ? "" : "s"}`;
  const refused = outcome.refused.map((item) => `${item.traceId}: ${item.message}`);
  if (refused.length > 0) return `The daemon refused ${labels(refused.length)} (${refused.join("; ")}).`;
  if (outcome.waiting > 0)
    return `Kept ${labels(outcome.given)} here: the daemon is not reachable (${outcome.reason ?? "no answer"}). ${labels(outcome.waiting)} will be sent when it is.`;
  return `Saved ${labels(outcome.given)}.`;
}
