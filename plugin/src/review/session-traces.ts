import { ROUTES, type TraceListReply } from "@vault-tuner/shared";
import type { DaemonClient } from "../connection/daemon-client";

/** Every recorded call of a session, following the daemon's pages. */
export async function sessionTraceIds(daemon: DaemonClient, session: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const page: TraceListReply = await daemon.call(ROUTES.listTraces, {
      query: { session, limit: 100, ...(cursor ? { cursor } : {}) },
    });
    ids.push(...page.items.map((trace) => trace.id));
    cursor = page.nextCursor;
  } while (cursor);
  return ids;
}
