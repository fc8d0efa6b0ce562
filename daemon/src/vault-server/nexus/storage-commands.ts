import { cpSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fail } from "../tool-error";
import { STORE_FOLDER, vaultPath } from "../vault-paths";
import type { NexusCommands } from "./nexus-command";

/** The folder `storage archive` moves things into, as the plugin names it. */
export const ARCHIVE_FOLDER = ".archive";

function present(root: string, given: unknown, what = "path") {
  const path = vaultPath(root, given, what);
  const stat = statSync(path.absolute, { throwIfNoEntry: false });
  if (!stat || path.relative === "")
    fail(`Not found: "${path.relative || given}". Use storage list to see what exists.`);
  return { ...path, stat };
}

/** The place a move or copy writes to; an existing one is replaced only with --overwrite. */
function destination(root: string, params: Record<string, unknown>) {
  const to = vaultPath(root, params.newPath, "newPath");
  if (to.relative === "") fail("newPath must name a file or folder inside the vault, not the vault itself");
  if (statSync(to.absolute, { throwIfNoEntry: false })) {
    if (params.overwrite !== true)
      fail(`Destination already exists: "${to.relative}". Pass --overwrite to replace it.`);
    rmSync(to.absolute, { recursive: true });
  }
  mkdirSync(dirname(to.absolute), { recursive: true });
  return to;
}

/** `*` and `?` as globs; anything else that compiles is a regular expression (as the plugin reads a filter). */
function nameFilter(filter: unknown): ((name: string) => boolean) | undefined {
  if (typeof filter !== "string" || filter === "") return undefined;
  if (/^[^.^$+()[\]{}|\\]*[*?][^.^$+()[\]{}|\\]*$/.test(filter)) {
    const glob = new RegExp(["^", filter.replace(/\*/g, ".*").replace(/\?/g, "."), "$"].join(""), "i");
    return (name) => glob.test(name);
  }
  try {
    const pattern = new RegExp(filter, "i");
    return (name) => pattern.test(name);
  } catch {
    const needle = filter.toLowerCase();
    return (name) => name.toLowerCase().includes(needle);
  }
}

/** `YYYY-MM-DD_HH-mm-ss`, local time, the archive's folder name. */
function archiveStamp(now: Date): string {
  const two = (n: number) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${two(now.getMonth() + 1)}-${two(now.getDate())}_${two(now.getHours())}-${two(now.getMinutes())}-${two(now.getSeconds())}`;
}

/** storage: folders and whole files. The write commands answer `{success: true}` alone, as the plugin does. */
export const storageCommands: NexusCommands = {
  "storage list"(params, { root }) {
    const given =
      typeof params.path === "string" && [".", "/", ""].includes(params.path.trim()) ? "" : (params.path ?? "");
    const folder = vaultPath(root, given, "path");
    if (!statSync(folder.absolute, { throwIfNoEntry: false })?.isDirectory())
      fail(`Folder not found: "${folder.relative}". Use storage list with no path to see the vault's top level.`);
    const keep = nameFilter(params.filter) ?? (() => true);
    const files: { name: string; path: string; size: number; created: number; modified: number }[] = [];
    const folders: { name: string; path: string }[] = [];
    for (const entry of readdirSync(folder.absolute, { withFileTypes: true })) {
      // Hidden entries (.obsidian, .archive, the sandbox's own store) are not notes, as in Obsidian's file tree.
      if (entry.name.startsWith(".") || entry.name === STORE_FOLDER || !keep(entry.name)) continue;
      const path = folder.relative ? `${folder.relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) folders.push({ name: entry.name, path });
      else if (entry.isFile()) {
        const stat = statSync(join(folder.absolute, entry.name));
        files.push({
          name: entry.name,
          path,
          size: stat.size,
          created: Math.floor(stat.birthtimeMs),
          modified: Math.floor(stat.mtimeMs),
        });
      }
    }
    files.sort((a, b) => b.modified - a.modified || a.name.localeCompare(b.name));
    folders.sort((a, b) => a.name.localeCompare(b.name));
    return {
      files,
      folders,
      summary: { fileCount: files.length, folderCount: folders.length, totalItems: files.length + folders.length },
    };
  },
  "storage create-folder"(params, { root }) {
    const path = vaultPath(root, params.path, "path");
    if (path.relative === "") fail("path must name a folder inside the vault");
    if (statSync(path.absolute, { throwIfNoEntry: false })) fail(`Already exists: "${path.relative}"`);
    mkdirSync(path.absolute, { recursive: true });
    return undefined;
  },
  "storage move"(params, { root }) {
    const from = present(root, params.path);
    const to = destination(root, params);
    renameSync(from.absolute, to.absolute);
    return undefined;
  },
  "storage copy"(params, { root }) {
    const from = present(root, params.path);
    if (!from.stat.isFile()) fail(`storage copy duplicates a file; "${from.relative}" is a folder`);
    const to = destination(root, params);
    cpSync(from.absolute, to.absolute);
    return undefined;
  },
  "storage archive"(params, { root }) {
    const from = present(root, params.path);
    const to = vaultPath(root, `${ARCHIVE_FOLDER}/${archiveStamp(new Date())}/${from.relative}`, "path");
    mkdirSync(dirname(to.absolute), { recursive: true });
    renameSync(from.absolute, to.absolute);
    return undefined;
  },
};
