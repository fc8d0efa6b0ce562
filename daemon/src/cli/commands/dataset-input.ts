import { statSync } from "node:fs";
import { DEFAULT_CATALOG_ID, type Catalog, describeError } from "@vault-tuner/shared";
import { loadCatalog } from "@vault-tuner/shared/node";
import { UsageError } from "../usage-error";

/** The one FILE argument of a dataset command, checked to be a readable regular file. */
export function datasetPath(positionals: string[]): string {
  if (positionals.length !== 1)
    throw new UsageError(positionals.length === 0 ? "missing FILE" : `expected one FILE, got ${positionals.length}`);
  const path = positionals[0] as string;
  let kind: string;
  try {
    kind = statSync(path).isFile() ? "file" : "not a file";
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      `cannot read ${path}: ${code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : describeError(error)}`,
    );
  }
  if (kind !== "file") throw new UsageError(`${path} is not a regular file`);
  return path;
}

export function catalogOption(value: unknown): Catalog {
  try {
    return loadCatalog(typeof value === "string" ? value : DEFAULT_CATALOG_ID);
  } catch (error) {
    throw new UsageError(describeError(error));
  }
}
