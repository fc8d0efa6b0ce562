import { createHash } from "node:crypto";
import { canonicalJson } from "../api/canonical-json";
import type { ToolsListResult } from "../schemas/trace";

/**
 * The content hash a `tools/list` result is stored under (sha256 of its key-sorted JSON). Recorders
 * compute it to fill a trace's `toolsetHash`; the daemon computes it when the toolset is posted.
 */
export function toolsetHash(toolsList: Pick<ToolsListResult, "tools">): string {
  return createHash("sha256")
    .update(canonicalJson({ tools: toolsList.tools }))
    .digest("hex");
}
