import { Worker } from "node:worker_threads";
import type { DatasetCard } from "@vault-tuner/shared";
import { DatasetExistsError } from "./build-dataset";
import type { BuildJob, BuildMessage } from "./build-worker-main";
import { SourcePathError } from "./sources/source-files";
import { UnknownCatalogError } from "./sources/toolset-registry";

/**
 * Runs a dataset build on its own thread, so the daemon keeps answering (and recording) while a large
 * dataset is read, validated and written. Errors come back as the builder's own error classes.
 */
export function buildInWorker(
  job: BuildJob,
  onProgress: (step: string) => void,
  signal: AbortSignal,
): Promise<DatasetCard> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new Error("the daemon is stopping"));
    const worker = new Worker(new URL("./build-worker.mjs", import.meta.url), { workerData: job });
    let settled = false;
    const settle = (action: () => void) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener("abort", stop);
      action();
    };
    // A build is not worth keeping the daemon up for: stopping ends it (its staging folder is cleared next time).
    const stop = () =>
      settle(() => {
        void worker.terminate();
        reject(new Error("the daemon is stopping"));
      });
    signal.addEventListener("abort", stop, { once: true });
    worker.on("message", (message: BuildMessage) => {
      if (message.type === "progress") onProgress(message.step);
      else if (message.type === "done") settle(() => resolve(message.card as DatasetCard));
      else settle(() => reject(rebuildError(message)));
    });
    worker.on("error", (error) => settle(() => reject(error)));
    worker.on("exit", (code) => settle(() => reject(new Error(`the dataset build stopped (exit ${code})`))));
  });
}

function rebuildError(message: Extract<BuildMessage, { type: "failed" }>): Error {
  switch (message.kind) {
    case "exists":
      return new DatasetExistsError(message.message);
    case "source-path":
      return new SourcePathError(message.path ?? "", message.message);
    case "catalog":
      return new UnknownCatalogError(message.message);
    default:
      return Object.assign(new Error(message.message), message.code ? { code: message.code } : {});
  }
}
