import { cpSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import type { ToolHandlers } from "./tool-handlers";
import { fail } from "./tool-error";
import { STORE_FOLDER, vaultPath } from "./vault-paths";

function existing(root: string, given: unknown, kind: "file" | "folder", what = "path") {
  const path = vaultPath(root, given, what);
  const stat = existsSync(path.absolute) ? statSync(path.absolute) : undefined;
  if (!stat || (kind === "file" ? !stat.isFile() : !stat.isDirectory()))
    fail(`${kind === "file" ? "File" : "Folder"} not found: ${path.relative || "/"}`);
  return path;
}

/** Moves a note or folder; the target must not exist unless `overwrite`. */
function move(root: string, args: Record<string, unknown>, kind: "file" | "folder") {
  const from = existing(root, args.path, kind);
  const to = vaultPath(root, args.newPath, "newPath");
  if (existsSync(to.absolute)) {
    if (args.overwrite !== true) fail(`Target already exists: ${to.relative}`);
    rmSync(to.absolute, { recursive: true });
  }
  mkdirSync(dirname(to.absolute), { recursive: true });
  renameSync(from.absolute, to.absolute);
  return { path: from.relative, newPath: to.relative };
}

interface Entry {
  path: string;
  type: "file" | "folder";
}

function list(root: string, folder: string, depth: number, into: Entry[]): void {
  for (const entry of readdirSync(join(root, folder), { withFileTypes: true }).sort((a, b) =>
    a.name.localeCompare(b.name),
  )) {
    if (entry.name === STORE_FOLDER || entry.name === ".obsidian") continue;
    const path = folder ? `${folder}/${entry.name}` : entry.name;
    into.push({ path, type: entry.isDirectory() ? "folder" : "file" });
    if (entry.isDirectory() && depth > 1) list(root, path, depth - 1, into);
  }
}

/** vaultManager: folders and whole notes. */
export const vaultTools: ToolHandlers = {
  listDirectory(args, { root }) {
    const folder = existing(root, args.path ?? "", "folder");
    const entries: Entry[] = [];
    list(root, folder.relative, Math.max(1, Number(args.depth ?? 1)), entries);
    const filter = typeof args.filter === "string" ? args.filter.toLowerCase() : undefined;
    const filesOnly = args.filesOnly === true || args.includeFolders === false;
    const foldersOnly = args.foldersOnly === true || args.includeFiles === false;
    const kept = entries.filter(
      (entry) =>
        (!filesOnly || entry.type === "file") &&
        (!foldersOnly || entry.type === "folder") &&
        (!filter || entry.path.toLowerCase().includes(filter)),
    );
    return {
      path: folder.relative || "/",
      files: kept.filter((e) => e.type === "file").map((e) => e.path),
      folders: kept.filter((e) => e.type === "folder").map((e) => e.path),
    };
  },
  createFolder(args, { root }) {
    const path = vaultPath(root, args.path);
    if (existsSync(path.absolute)) fail(`Folder already exists: ${path.relative}`);
    mkdirSync(path.absolute, { recursive: true });
    return { path: path.relative, created: true };
  },
  editFolder(args, { root }) {
    return move(root, { ...args, overwrite: false }, "folder");
  },
  deleteFolder(args, { root }) {
    const folder = existing(root, args.path, "folder");
    if (folder.relative === "") fail("The vault's root folder cannot be deleted");
    if (readdirSync(folder.absolute).length > 0 && args.recursive !== true)
      fail(`Folder is not empty: ${folder.relative} (pass recursive: true to delete its contents)`);
    rmSync(folder.absolute, { recursive: true });
    return { path: folder.relative, deleted: true };
  },
  deleteNote(args, { root }) {
    const note = existing(root, args.path, "file");
    rmSync(note.absolute);
    return { path: note.relative, deleted: true };
  },
  moveNote(args, { root }) {
    return move(root, args, "file");
  },
  moveFolder(args, { root }) {
    return move(root, args, "folder");
  },
  duplicateNote(args, { root }) {
    const source = existing(root, args.sourcePath, "file", "sourcePath");
    let target = vaultPath(root, args.targetPath, "targetPath");
    if (existsSync(target.absolute)) {
      if (args.autoIncrement === true) {
        const base = target.relative.replace(/\.md$/, "");
        let n = 1;
        while (existsSync(vaultPath(root, `${base} ${n}.md`).absolute)) n++;
        target = vaultPath(root, `${base} ${n}.md`, "targetPath");
      } else if (args.overwrite !== true) fail(`Target already exists: ${target.relative}`);
    }
    mkdirSync(dirname(target.absolute), { recursive: true });
    cpSync(source.absolute, target.absolute);
    return { sourcePath: source.relative, targetPath: target.relative };
  },
  openNote(args, { root }) {
    const note = existing(root, args.path, "file");
    return { path: note.relative, opened: false, note: "the sandbox has no editor; the note exists and would open" };
  },
};
