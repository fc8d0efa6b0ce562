import { ROUTES, type TraceDetail } from "@vault-tuner/shared";
import type { DaemonClient } from "../connection/daemon-client";

/** The verdict the daemon holds on a call (label, note, correction), or undefined when it cannot be asked. */
export async function currentVerdict(daemon: DaemonClient, traceId: string): Promise<TraceDetail | undefined> {
  try {
    return await daemon.call(ROUTES.getTrace, { params: { id: traceId } });
  } catch {
    return undefined;
  }
}
