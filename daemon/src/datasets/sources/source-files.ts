import { existsSync, realpathSync, statSync } from "node:fs";
import { isAbsolute, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

/** The project's `datasets/` folder (starter datasets and prompt sets live there). */
export function projectDatasetsDir(): string {
  return fileURLToPath(new URL("../../../../datasets", import.meta.url));
}

/** A source path that cannot be read; `path` is the path as the request gave it. */
export class SourcePathError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Resolves a dataset source path: relative paths are taken inside the first root holding them; any
 * path, after following links, must lie inside one of the roots, so a request cannot read the rest of
 * the disk.
 */
export function resolveSourcePath(path: string, roots: string[]): string {
  const candidates = isAbsolute(path) ? [path] : roots.map((root) => resolve(root, path));
  for (const candidate of candidates) {
    let real: string;
    try {
      real = realpathSync(candidate);
    } catch {
      continue;
    }
    if (roots.some((root) => isInside(real, safeRealpath(root)))) return real;
    throw new SourcePathError(path, `${path} is outside the folders datasets may be read from (${roots.join(", ")})`);
  }
  throw new SourcePathError(path, `${path} was not found in ${roots.join(" or ")}`);
}

function safeRealpath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

function isInside(path: string, root: string): boolean {
  const rel = relative(root, path);
  return rel !== "" && !rel.startsWith(`..${sep}`) && rel !== ".." && !isAbsolute(rel);
}

/** A path given on the command line: the user's own file, anywhere, as long as it is one. */
export function localSourcePath(path: string): string {
  const full = resolve(path);
  if (!existsSync(full) || !statSync(full).isFile()) throw new SourcePathError(path, `${path} is not a file`);
  return realpathSync(full);
}
