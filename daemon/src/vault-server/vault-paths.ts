import { existsSync, realpathSync } from "node:fs";
import { dirname, isAbsolute, relative, resolve, sep } from "node:path";
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
  // Follow links on what exists of the path: a symlink may point outside.
  let existing = absolute;
  while (!existsSync(existing) && existing !== root) existing = dirname(existing);
  const realRoot = realpathSync(root);
  const real = realpathSync(existing);
  if (real !== realRoot && !real.startsWith(`${realRoot}${sep}`))
    fail(`${what} "${given}" leaves the vault through a link`);
  return { absolute, relative: rel.split(sep).join("/") };
}
