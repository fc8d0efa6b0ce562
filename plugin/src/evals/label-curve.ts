import type { EvalRunSummary } from "@vault-tuner/shared";

/** One point of a label-efficiency curve: a run of the set on a model trained on `labels` labelled rows. */
export interface LabelPoint {
  labels: number;
  rate: number;
  low: number;
  high: number;
  runId: string;
  /** The exported file that was evaluated (f16, q8_0...), when the report says. */
  file?: string;
}

/**
 * How the pass rate on one prompt set grows with labels: every run of that set whose report says what
 * trained the model, by label count. A label count evaluated more than once shows its newest run, so a
 * re-evaluation replaces the point instead of stacking a second one.
 */
export function labelCurve(runs: EvalRunSummary[], set: string): LabelPoint[] {
  const newest = new Map<number, EvalRunSummary>();
  for (const run of runs) {
    const labels = run.metadata.training?.labels;
    if (run.metadata.set.id !== set || labels === undefined || run.summary.pass_rate === null) continue;
    const kept = newest.get(labels);
    if (!kept || kept.metadata.created_at < run.metadata.created_at) newest.set(labels, run);
  }
  return [...newest.entries()]
    .sort(([a], [b]) => a - b)
    .map(([labels, run]) => ({
      labels,
      rate: run.summary.pass_rate as number,
      low: run.summary.pass_rate_ci95[0],
      high: run.summary.pass_rate_ci95[1],
      runId: run.metadata.id,
      ...(run.metadata.training?.file ? { file: run.metadata.training.file } : {}),
    }));
}
