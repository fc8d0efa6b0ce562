import { parentPort, workerData } from "node:worker_threads";
import { describeError, type DatasetBuildOptions } from "@vault-tuner/shared";
import { Store } from "../store/store";
import { buildDataset, DatasetExistsError } from "./build-dataset";
import { SourcePathError } from "./sources/source-files";
import { UnknownCatalogError } from "./sources/toolset-registry";

export interface BuildJob {
  options: DatasetBuildOptions;
  databaseFile: string;
  sourceRoots: string[];
  outputRoot: string;
}

export type BuildMessage =
  | { type: "progress"; step: string }
  | { type: "done"; card: unknown }
  | {
      type: "failed";
      kind: "exists" | "source-path" | "catalog" | "other";
      message: string;
      path?: string;
      /** The system's code (ENOSPC...), so a full disk can be told apart. */
      code?: string;
    };

const job = workerData as BuildJob;
const post = (message: BuildMessage) => parentPort?.postMessage(message);
// Its own connection: WAL lets it read while the daemon keeps writing.
const store = job.options.sources.traces ? Store.open(job.databaseFile) : undefined;
try {
  const card = await buildDataset(job.options, {
    store,
    sourceRoots: job.sourceRoots,
    outputRoot: job.outputRoot,
    onProgress: (step) => post({ type: "progress", step }),
  });
  post({ type: "done", card });
} catch (error) {
  const message = describeError(error);
  if (error instanceof DatasetExistsError) post({ type: "failed", kind: "exists", message });
  else if (error instanceof SourcePathError) post({ type: "failed", kind: "source-path", message, path: error.path });
  else if (error instanceof UnknownCatalogError) post({ type: "failed", kind: "catalog", message });
  else {
    const code = (error as { code?: unknown })?.code;
    post({
      type: "failed",
      kind: "other",
      message: error instanceof Error ? (error.stack ?? message) : message,
      ...(typeof code === "string" ? { code } : {}),
    });
  }
} finally {
  store?.close();
}
