import { basename, join } from "node:path";
import { describeError, type ExportJobRequest, type TrainEvent } from "@vault-tuner/shared";
import type { DataDir } from "../config/data-dir";
import { JobRequestError, type JobContext, type JobKind } from "../jobs/job-kind";
import type { JobStore } from "../store/job-store";
import { TrainerError } from "../train/run-trainer";
import { runTrainerJob, trainerFailure } from "../train/run-trainer-job";
import { exportArgs } from "./export-args";
import { checkExport, checkText, QUANT_CHECK_FILE } from "./export-check";
import { ensureLlamaCppTools } from "./llama-cpp-tools";

export interface ExportJobDeps {
  dataDir: DataDir;
  jobs: JobStore;
  graceMs?: number;
}

/**
 * Export jobs: a succeeded training run merged and converted to GGUF by the trainer's `export` command
 * (into `jobs/<id>/gguf`), then the quantization check here, on the held-out rows of the run's dataset.
 */
export function exportJob(deps: ExportJobDeps): JobKind<"export"> {
  return {
    kind: "export",
    resumable: false,
    prepare(request, { planned }) {
      if (planned) return request;
      const run = deps.jobs.get(request.run);
      if (run?.kind !== "train") throw new JobRequestError(`no training job ${request.run}`, "run");
      if (run.state !== "succeeded")
        throw new JobRequestError(`training job ${request.run} is ${run.state}; export needs a succeeded one`, "run");
      return request;
    },
    async run(request, context) {
      const run = deps.jobs.get(request.run)?.artefacts.run;
      if (!run) throw new TrainerError(`training job ${request.run} left no run folder`, "run-missing", "train again");
      const output = join(context.folder, "gguf");
      const args = async (setup: (line: string) => void) =>
        exportArgs(await ensureLlamaCppTools({ onProgress: setup }), {
          run,
          output,
          quant: request.quant,
          dtype: request.dtype,
          adapter: true,
        });
      const done = await runTrainerJob({ args, graceMs: deps.graceMs }, context);
      const written: Record<string, string> = { gguf: output, ...(done.adapter ? { adapter: done.adapter } : {}) };
      for (const file of done.files ?? []) written[file.kind] = join(output, file.name);
      return { ...written, ...(await checkQuantizations(request, output, done.files ?? [], deps, context)) };
    },
    failure: trainerFailure,
  };
}

/**
 * Do the quantized files still answer like the 16-bit one? Runs here (node-llama-cpp), on the held-out
 * rows of the dataset the run trained on; a check that cannot run keeps the export and says why in the log.
 */
async function checkQuantizations(
  request: ExportJobRequest,
  folder: string,
  files: NonNullable<Extract<TrainEvent, { event: "done" }>["files"]>,
  deps: ExportJobDeps,
  context: JobContext,
): Promise<Record<string, string>> {
  const trained = deps.jobs.get(request.run);
  const dataset = trained?.request.kind === "train" ? join(deps.dataDir.datasets, trained.request.dataset) : undefined;
  try {
    const check = await checkExport(folder, files, dataset, request.checkRows, {
      signal: context.signal,
      onProgress: ({ file, index, total }) => {
        const stage = `quantization check: ${basename(file)}`;
        context.log(stage);
        context.progress({ stage, step: index - 1, total });
      },
    });
    for (const line of checkText(check)) context.log(line);
    return "skipped" in check ? {} : { quantCheck: join(folder, QUANT_CHECK_FILE) };
  } catch (error) {
    if (context.signal.aborted) throw error;
    context.log(`quantization check failed, the exported files are kept: ${describeError(error)}`);
    return {};
  }
}
