import { join } from "node:path";
import { formatRate, type EvalJobRequest, type EvalReport, type TrainingInfo } from "@vault-tuner/shared";
import { checkGate } from "./scoring/compare-reports";
import type { EmbeddedServing } from "../deploy/embedded-serving";
import { DEFAULT_SAMPLING, type BackendSpec } from "./backends/eval-backend";
import { openBackend } from "./backends/open-backend";
import { loadPromptSet, selectCases } from "./prompt-sets";
import { listReports, readReport, reportsDir, saveToDataDir } from "./report-store";
import { runEval } from "./run-eval";

/** An evaluation that ran but did not clear its gate: the job fails, its report stays. */
export class EvalGateError extends Error {
  readonly code = "gate-failed";
  constructor(
    message: string,
    readonly artefacts: Record<string, string>,
  ) {
    super(message);
  }
}

export interface EvalJobContext {
  jobId: string;
  dataRoot: string;
  serving: EmbeddedServing;
  signal: AbortSignal;
  log: (line: string) => void;
  /** Progress as the job's stages: `done` tries finished of `total`. */
  progress: (stage: string, done: number, total: number, etaS?: number) => void;
  /** What trained a model this daemon exported (a GGUF path), recorded in the report for the label-efficiency curve. */
  trainingOf?: (model: string) => TrainingInfo | undefined;
}

/**
 * An evaluation job: the set against the backend, the report saved under the data dir with the job's id,
 * and the gate applied. Runs in the daemon (it is mostly waiting on the model).
 */
export async function runEvalJob(request: EvalJobRequest, context: EvalJobContext): Promise<Record<string, string>> {
  const set = selectCases(loadPromptSet(request.set, context.dataRoot), request.cases);
  const model =
    request.backend === "embedded" && request.model === "deployed" ? context.serving.deployment?.gguf : request.model;
  if (!model)
    throw new Error("no model is deployed to the daemon to evaluate: deploy one, or give model as a GGUF path");
  const spec: BackendSpec = {
    kind: request.backend,
    model,
    ...(request.url ? { url: request.url } : {}),
    ...(process.env.VAULT_TUNER_API_KEY ? { apiKey: process.env.VAULT_TUNER_API_KEY } : {}),
    temperature: request.temperature,
    topP: request.topP,
    maxTokens: request.maxTokens,
    ...(request.seed !== undefined ? { seed: request.seed } : {}),
    timeoutMs: DEFAULT_SAMPLING.timeoutMs,
    retries: DEFAULT_SAMPLING.retries,
    grammar: request.grammar,
  };
  const backend = await openBackend(spec, context.serving);
  context.log(
    `evaluating ${backend.info.kind}:${backend.info.model} on ${set.id} (${set.cases.length} cases x ${request.repeat})`,
  );
  let report: EvalReport;
  try {
    report = await runEval({
      set,
      backend,
      id: context.jobId,
      repeat: request.repeat,
      concurrency: request.concurrency,
      turnLimit: request.turnLimit,
      signal: context.signal,
      onProgress: (progress) => {
        if (!progress.last) return;
        context.log(`[${progress.done}/${progress.total}] ${progress.last.caseId} ${progress.last.status}`);
        context.progress(
          `${progress.passed} passed, ${progress.failed} failed${progress.requestErrors ? `, ${progress.requestErrors} request errors` : ""}`,
          progress.done,
          progress.total,
          progress.etaS,
        );
      },
    });
  } finally {
    await backend.close();
  }
  const training = request.backend === "embedded" ? context.trainingOf?.(model) : undefined;
  if (training) report = { ...report, metadata: { ...report.metadata, training } };
  const saved = saveToDataDir(report, context.dataRoot);
  const summary = report.summary;
  context.log(
    `${summary.passed}/${summary.total - summary.request_errors} passed: ${formatRate(summary.pass_rate)} (95% interval ${formatRate(summary.pass_rate_ci95[0])} to ${formatRate(summary.pass_rate_ci95[1])}); report ${saved.json}`,
  );
  const artefacts = {
    report: saved.json,
    note: saved.markdown,
    passRate: summary.pass_rate === null ? "" : String(summary.pass_rate),
  };
  if (request.gate) {
    const baseline = request.gate.noRegressionVs
      ? findBaseline(request.gate.noRegressionVs, report, context)
      : undefined;
    const gate = checkGate(report, { failUnder: request.gate.failUnder, baseline });
    context.log(gate.passed ? "gate passed" : `gate failed: ${gate.reasons.join("; ")}`);
    if (!gate.passed)
      throw new EvalGateError(`the model did not clear the gate: ${gate.reasons.join("; ")}`, artefacts);
  }
  return artefacts;
}

/** A report id, or "latest": the newest stored run of the same set on another model (none on a first run). */
function findBaseline(which: string, report: EvalReport, context: EvalJobContext): EvalReport | undefined {
  if (which !== "latest") return readReport(join(reportsDir(context.dataRoot), which, "report.json"));
  const earlier = listReports(context.dataRoot).find(
    (other) =>
      other.metadata.id !== report.metadata.id &&
      other.metadata.set.id === report.metadata.set.id &&
      other.metadata.backend.model !== report.metadata.backend.model,
  );
  context.log(
    earlier
      ? `comparing with ${earlier.metadata.id} (${earlier.metadata.backend.model})`
      : "no earlier run of this set to compare with",
  );
  return earlier;
}
