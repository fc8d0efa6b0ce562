import { fail } from "../tool-error";
import { searchContent, searchDirectory } from "../librarian-tools";
import type { NexusCommands } from "./nexus-command";

/** search: keyword search over the notes and the sandbox store (the 3.x searches, Nexus's arguments). */
export const searchCommands: NexusCommands = {
  "search content"(params, context) {
    if (params.semantic === true)
      fail(
        "Semantic search is not available in the sandbox (it needs the plugin's local embeddings); search without --semantic",
      );
    return searchContent({ snippetLength: 200, ...params }, context);
  },
  "search directory"(params, context) {
    return searchDirectory(params, context);
  },
  "search memory"(params, { memory, workspaceId }) {
    if (typeof params.query !== "string" || params.query.trim() === "") fail("query must be a non-empty string");
    const limit = typeof params.limit === "number" ? params.limit : 10;
    return { query: params.query, results: memory.search(params.query.toLowerCase(), workspaceId).slice(0, limit) };
  },
};
