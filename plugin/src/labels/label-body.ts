import type { Label, LabelValue, TraceDetail } from "@vault-tuner/shared";
import type { DaemonClient } from "../daemon/daemon-client";

/** The verdict the daemon holds on a call (label, note, correction), or undefined when it cannot be asked. */
export async function currentVerdict(daemon: DaemonClient, traceId: string): Promise<TraceDetail | undefined> {
  try {
    return await daemon.request<TraceDetail>("GET", `/v1/traces/${encodeURIComponent(traceId)}`);
  } catch {
    return undefined;
  }
}

/**
 * A new label replaces the whole verdict on the daemon, note included. So that a thumbs-up after a note
 * keeps the note, the note (and a correction, while the label stays "bad") is read first and carried
 * over. When the daemon is away there is nothing to read, and the label goes alone.
 */
export async function labelKeepingNote(daemon: DaemonClient, traceId: string, label: Exclude<LabelValue, "unlabeled">): Promise<Label> {
  const verdict = await currentVerdict(daemon, traceId);
  return {
    label,
    ...(verdict?.note ? { note: verdict.note } : {}),
    ...(label === "undesirable" && verdict?.correction ? { correction: verdict.correction } : {}),
  };
}
