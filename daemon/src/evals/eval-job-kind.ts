import { existsSync } from "node:fs";
import type { TrainingInfo } from "@vault-tuner/shared";
import type { EmbeddedServing } from "../deploy/embedded-serving";
import { JobRequestError, type JobKind } from "../jobs/job-kind";
import { EvalGateError, runEvalJob } from "./eval-job";
import { loadPromptSet, PromptSetError, selectCases } from "./prompt-sets";

export interface EvalJobDeps {
  dataRoot: string;
  /** The model the daemon serves: what `model: "deployed"` evaluates. */
  serving: EmbeddedServing;
  /** What trained a model this daemon exported (a GGUF path), recorded in its report. */
  trainingOf: (model: string) => TrainingInfo | undefined;
}

/** Evaluation jobs run in the daemon too: the work is the model's, reached through a backend. */
export function evalJob(deps: EvalJobDeps): JobKind<"eval"> {
  return {
    kind: "eval",
    resumable: false,
    prepare(request, { planned }) {
      try {
        selectCases(loadPromptSet(request.set, deps.dataRoot), request.cases);
      } catch (error) {
        if (error instanceof PromptSetError) throw new JobRequestError(error.message, "set");
        throw error;
      }
      // A pipeline's evaluation runs on the file its export writes: nothing to check yet.
      if (planned) return request;
      if (request.backend === "embedded" && request.model === "deployed" && !deps.serving.deployment) {
        throw new JobRequestError(
          "no model is deployed to the daemon to evaluate: deploy one first, or give model as a GGUF path",
          "model",
        );
      }
      if (request.backend === "embedded" && request.model !== "deployed" && !existsSync(request.model))
        throw new JobRequestError(`no GGUF file ${request.model}`, "model");
      if (request.backend === "openai" && !request.url)
        throw new JobRequestError("the openai backend needs url, the server's base URL ending in /v1", "url");
      return request;
    },
    run(request, context) {
      return runEvalJob(request, {
        jobId: context.id,
        dataRoot: deps.dataRoot,
        serving: deps.serving,
        signal: context.signal,
        log: context.log,
        trainingOf: deps.trainingOf,
        progress: (stage, done, total, etaS) =>
          context.progress({ stage, step: done, total, ...(etaS !== undefined ? { etaS } : {}) }),
      });
    },
    // A model that fails its gate leaves its report: the failure is the verdict, not a crash.
    failure: (error) =>
      error instanceof EvalGateError
        ? {
            error: { code: error.code, message: error.message, hint: "open the report to see which cases failed" },
            artefacts: error.artefacts,
          }
        : undefined,
  };
}
