import { lstatSync, readlinkSync, realpathSync } from "node:fs";
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { fail } from "./tool-error";

/** The folder the server keeps workspaces, sessions, states and agents in; not part of the vault's notes. */
export const STORE_FOLDER = ".vault-tuner-sandbox";

/**
 * A vault-relative path as the plugin reads it (a leading `/` stripped, `.md` never added), resolved
 * inside the vault. `..`, absolute paths, a path through a symlink that leaves the vault, and the
 * server's own store are refused before anything is touched.
 */
export function vaultPath(root: string, given: unknown, what = "path"): { absolute: string; relative: string } {
  if (typeof given !== "string") fail(`${what} must be a string`);
  const trimmed = given.replace(/^[/\\]+/, "").replace(/\\/g, "/");
  if (isAbsolute(trimmed) || /^[A-Za-z]:/.test(trimmed)) fail(`${what} "${given}" must be relative to the vault`);
  if (trimmed.split("/").includes("..")) fail(`${what} "${given}" leaves the vault`);
  const absolute = resolve(root, trimmed);
  const rel = relative(root, absolute);
  if (rel.startsWith(`..${sep}`) || rel === ".." || isAbsolute(rel)) fail(`${what} "${given}" leaves the vault`);
  if (rel.split(sep)[0] === STORE_FOLDER) fail(`${what} "${given}" is not a note or folder of the vault`);
  // Where the path really lands, every link followed, dangling ones too: writing through a link to a
  // missing file or folder would create it wherever the link points.
  const realRoot = realpathSync(root);
  const real = landing(absolute, 0);
  if (real !== realRoot && !real.startsWith(`${realRoot}${sep}`))
    fail(`${what} "${given}" leaves the vault through a link`);
  return { absolute, relative: rel.split(sep).join("/") };
}

/** Links followed before a path counts as a loop (the same limit as Linux's ELOOP). */
const MAX_LINKS = 40;

/**
 * The real path a write to `path` would reach: its realpath when it exists; through a dangling link, where
 * the link points; otherwise the landing of its folder plus its own name.
 */
function landing(path: string, links: number): string {
  if (links > MAX_LINKS) fail("the path goes through a loop of links");
  try {
    return realpathSync(path);
  } catch {
    // Does not resolve: a dangling link, or a name that does not exist yet.
  }
  let link: string | undefined;
  try {
    if (lstatSync(path).isSymbolicLink()) link = readlinkSync(path);
  } catch {
    // Nothing there at all.
  }
  if (link !== undefined) return landing(resolve(dirname(path), link), links + 1);
  const parent = dirname(path);
  if (parent === path) return path;
  return join(landing(parent, links), basename(path));
}
