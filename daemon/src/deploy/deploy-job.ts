import { readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileToDeploy, verdictOf } from "../export/export-check";
import { JobRequestError, type JobContext, type JobKind } from "../jobs/job-kind";
import type { JobStore } from "../store/job-store";
import type { EmbeddedServing } from "./embedded-serving";
import { deployToOllama, OllamaDeployError } from "./ollama-deploy";

export interface DeployJobDeps {
  jobs: JobStore;
  /** The model the daemon serves itself: target embedded loads into it. */
  serving: EmbeddedServing;
  /** Where Ollama deploys go unless a job names a host. */
  ollamaHost?: string;
  now: () => string;
}

/**
 * Deploy jobs run in the daemon: loading a file into the daemon's own model, or uploading it to Ollama, is
 * I/O, not a trainer. The file is the request's, else what the export's quantization check recommended.
 */
export function deployJob(deps: DeployJobDeps): JobKind<"deploy"> {
  return {
    kind: "deploy",
    resumable: false,
    prepare(request, { planned }) {
      if (planned) return request;
      const exported = deps.jobs.get(request.export);
      if (exported?.kind !== "export") throw new JobRequestError(`no export job ${request.export}`, "export");
      if (exported.state !== "succeeded")
        throw new JobRequestError(
          `export job ${request.export} is ${exported.state}; deploy needs a succeeded one`,
          "export",
        );
      const folder = exported.artefacts.gguf ?? "";
      const file = fileToDeploy(folder, request.file);
      if (!exported.artefacts[file])
        throw new JobRequestError(
          `export job ${request.export} wrote no ${file} file (it has ${Object.keys(exported.artefacts)
            .filter((key) => key !== "gguf" && key !== "quantCheck")
            .join(", ")})`,
          "file",
        );
      const verdict = verdictOf(folder, file);
      if (verdict?.verdict === "erased" && !request.force) {
        throw new JobRequestError(
          `the export's quantization check found that ${file} erased the fine-tune (agreement with the 16-bit file ${(verdict.agreement * 100).toFixed(1)}%, the same calls on ${(verdict.same_calls * 100).toFixed(1)}% of held-out prompts): deploy ${fileToDeploy(folder)} (its recommendation), or give force: true`,
          "file",
        );
      }
      // The job records the file it resolved to.
      return { ...request, file };
    },
    async run(request, context): Promise<Record<string, string>> {
      const gguf = deps.jobs.get(request.export)?.artefacts[request.file ?? ""];
      if (!gguf) throw new Error(`export job ${request.export} has no ${request.file} file any more`);
      if (request.target === "embedded") {
        report(context, `load ${basename(gguf)} into the daemon`);
        const loaded = await deps.serving.load(gguf, context.id, deps.now());
        context.log(`serving ${loaded.gguf}`);
        return { gguf, target: "embedded" };
      }
      const model = request.model ?? `vault-tools:${request.export.replace(/^job_/, "").toLowerCase()}`;
      report(context, `deploy ${basename(gguf)} to Ollama as ${model}`);
      const deployed = await deployToOllama(
        { model, gguf, sha256: exportedSha256(gguf) },
        { host: request.host ?? deps.ollamaHost, onProgress: context.log },
      );
      return { gguf, target: "ollama", model: deployed.model, host: deployed.host, digest: deployed.digest };
    },
    failure: (error) =>
      error instanceof OllamaDeployError
        ? { error: { code: error.code, message: error.message, hint: error.hint } }
        : undefined,
  };
}

/** A deploy is one stage: said in the log and as the job's progress. */
function report(context: JobContext, stage: string): void {
  context.log(stage);
  context.progress({ stage, step: 0, total: 1 });
}

/** A GGUF's sha256 from the export.json beside it (the export computed it; Ollama checks it). */
function exportedSha256(gguf: string): string {
  const manifest = JSON.parse(readFileSync(join(dirname(gguf), "export.json"), "utf8")) as {
    files: { name: string; sha256: string }[];
  };
  const entry = manifest.files.find((file) => file.name === basename(gguf));
  if (!entry) throw new Error(`${basename(gguf)} is not listed in its export.json`);
  return entry.sha256;
}
