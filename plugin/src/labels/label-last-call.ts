import { ROUTES, type StoredTrace } from "@vault-tuner/shared";
import type { DaemonClient } from "../connection/daemon-client";
import { describeError } from "../ui/format";
import { summarizeCall } from "../review/call-summary";
import type { LabelQueue } from "./label-queue";

/**
 * The "label the last call" commands: the newest recorded call gets the label, through the queue (so
 * it is kept even if the daemon goes away meanwhile). Returns what to tell the user.
 */
export async function labelLastCall(
  daemon: DaemonClient,
  labels: LabelQueue,
  label: "desirable" | "undesirable",
): Promise<string> {
  let latest: StoredTrace | undefined;
  try {
    latest = (await daemon.call(ROUTES.listTraces, { query: { limit: 1 } })).items[0];
  } catch (error) {
    return `Vault Tuner cannot see the last call: ${describeError(error)}`;
  }
  if (!latest) return "Vault Tuner has not recorded a call yet.";
  const { title, args } = summarizeCall(latest.call);
  const word = label === "desirable" ? "good" : "bad";
  // Like a thumbs in the review view, only the label changes: the daemon keeps the note already on the call.
  const result = await labels.label(latest.id, { label });
  if (result.refused.some((item) => item.traceId === latest.id))
    return `The daemon refused the label: ${result.refused.find((item) => item.traceId === latest.id)?.message}`;
  return result.waiting > 0
    ? `Kept "${word}" for ${title}: it will be sent when the daemon is back (${result.waiting} waiting).`
    : `Marked ${title} ${word}${args ? ` (${args})` : ""}.`;
}
