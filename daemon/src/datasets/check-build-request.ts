import type { DatasetBuildOptions } from "@vault-tuner/shared";
import { resolveSourcePath, SourcePathError } from "./sources/source-files";
import { ToolsetRegistry, UnknownCatalogError } from "./sources/toolset-registry";

/** A build request that names what cannot be read: `path` is the field (`sources.files.2`, `catalog`). */
export class BuildRequestError extends Error {
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(message);
  }
}

/**
 * The cheap checks of a build, before any thread starts: every source file inside the folders a build may
 * read, and the catalog known. The same for `POST /v1/datasets` and a pipeline's build step.
 */
export function checkBuildRequest(
  options: Pick<DatasetBuildOptions, "sources" | "catalog">,
  sourceRoots: string[],
): void {
  const files = options.sources.files ?? [];
  for (const [index, file] of files.entries()) {
    try {
      resolveSourcePath(file, sourceRoots);
    } catch (error) {
      if (error instanceof SourcePathError) throw new BuildRequestError(error.message, `sources.files.${index}`);
      throw error;
    }
  }
  try {
    new ToolsetRegistry().catalog(options.catalog);
  } catch (error) {
    if (error instanceof UnknownCatalogError) throw new BuildRequestError(error.message, "catalog");
    throw error;
  }
}
