import { describeError } from "@vault-tuner/shared";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { ToolContext, ToolHandlers } from "./tool-handlers";
import { fail } from "./tool-error";
import { STORE_FOLDER, vaultPath } from "./vault-paths";

function allNotes(root: string, folder = ""): string[] {
  return readdirSync(join(root, folder), { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === STORE_FOLDER || entry.name === ".obsidian") return [];
    const path = folder ? `${folder}/${entry.name}` : entry.name;
    if (entry.isDirectory()) return allNotes(root, path);
    return entry.name.endsWith(".md") ? [path] : [];
  });
}

function query(args: Record<string, unknown>): string {
  if (typeof args.query !== "string" || args.query.trim() === "") fail("query must be a non-empty string");
  return args.query.toLowerCase();
}

function underPaths(root: string, notes: string[], paths: unknown): string[] {
  if (!Array.isArray(paths) || paths.length === 0) return notes;
  const prefixes = paths
    .map((path) => vaultPath(root, path, "paths").relative)
    .map((prefix) => (prefix ? `${prefix}/` : ""));
  return notes.filter((note) => prefixes.some((prefix) => note.startsWith(prefix)));
}

export function searchContent(args: Record<string, unknown>, { root }: ToolContext) {
  const words = query(args).split(/\s+/).filter(Boolean);
  const limit = Number(args.limit ?? 10);
  const snippetLength = Number(args.snippetLength ?? 120);
  const results = [];
  for (const path of underPaths(root, allNotes(root), args.paths)) {
    const text = readFileSync(join(root, path), "utf8");
    const lower = `${path}\n${text}`.toLowerCase();
    const hits = words.filter((word) => lower.includes(word)).length;
    if (hits === 0) continue;
    const at = Math.max(0, text.toLowerCase().indexOf(words[0] as string));
    results.push({
      filePath: path,
      score: Number((hits / words.length).toFixed(3)),
      snippet: text.slice(at, at + snippetLength),
      ...(args.includeContent === true ? { content: text } : {}),
    });
  }
  results.sort((a, b) => b.score - a.score || a.filePath.localeCompare(b.filePath));
  return { query: args.query, results: results.slice(0, limit), totalResults: results.length };
}

export function searchDirectory(args: Record<string, unknown>, { root }: ToolContext) {
  const needle = query(args);
  if (!Array.isArray(args.paths) || args.paths.length === 0) fail("paths must list at least one folder");
  const notes = underPaths(root, allNotes(root), args.paths);
  const folders = [
    ...new Set(
      notes.flatMap((note) =>
        note
          .split("/")
          .slice(0, -1)
          .map((_, i, parts) => parts.slice(0, i + 1).join("/")),
      ),
    ),
  ];
  const type = args.searchType ?? "both";
  const candidates = [
    ...(type !== "folders" ? notes.map((path) => ({ path, type: "file" })) : []),
    ...(type !== "files" ? folders.map((path) => ({ path, type: "folder" })) : []),
  ];
  const results = candidates
    .filter((candidate) => candidate.path.toLowerCase().includes(needle))
    .slice(0, Number(args.limit ?? 20));
  return { query: args.query, results };
}

/** vaultLibrarian: searching notes, folders and the server's memory. */
export const librarianTools: ToolHandlers = {
  searchContent,
  searchDirectory,
  searchMemory(args, { memory }) {
    const needle = query(args);
    const results = memory.search(needle, String(args.workspaceId ?? "default")).slice(0, Number(args.limit ?? 10));
    return { query: args.query, results };
  },
  batch(args, context) {
    if (!Array.isArray(args.searches) || args.searches.length === 0) fail("searches must be a non-empty array");
    const results = (args.searches as Record<string, unknown>[]).map((search) => {
      try {
        const type = search.type ?? "content";
        const data =
          type === "directory"
            ? searchDirectory(search, context)
            : type === "memory"
              ? librarianTools.searchMemory?.(search, context)
              : searchContent(search, context);
        return { type, success: true, data };
      } catch (error) {
        return { type: search.type, success: false, error: describeError(error) };
      }
    });
    return { results };
  },
};
