import type { Label, LabelValue, TraceDetail } from "@vault-tuner/shared";
import type { DaemonClient } from "../daemon/daemon-client";

/**
 * A new label replaces the whole verdict on the daemon, note included. So that a thumbs-up after a note
 * keeps the note, the note (and a correction, while the label stays "bad") is read first and carried
 * over. When the daemon is away there is nothing to read, and the label goes alone.
 */
export async function labelKeepingNote(daemon: DaemonClient, traceId: string, label: Exclude<LabelValue, "unlabeled">): Promise<Label> {
  try {
    const detail = await daemon.request<TraceDetail>("GET", `/v1/traces/${encodeURIComponent(traceId)}`);
    return {
      label,
      ...(detail.note ? { note: detail.note } : {}),
      ...(label === "undesirable" && detail.correction ? { correction: detail.correction } : {}),
    };
  } catch {
    return { label };
  }
}
