import type { Point } from "./chart-scale";

/** A step event of the trainer as GET /v1/jobs/:id/metrics returns it (only the fields charted). */
export interface StepMetrics {
  event: "step" | "eval";
  step: number;
  loss?: number;
  kl?: number;
  rewards_chosen?: number;
  rewards_rejected?: number;
}

export interface CurveSet {
  title: string;
  series: { name: string; points: Point[] }[];
}

/**
 * The charts the eval panel draws for the training job behind a model: loss; the rewards of desirable
 * and undesirable examples (KTO's "chosen" and "rejected"); KL. A chart whose metric the trainer never
 * reported (SFT has no rewards) is left out rather than drawn empty.
 */
export function trainingCurves(events: StepMetrics[]): CurveSet[] {
  const steps = events.filter((event) => event.event === "step");
  const curve = (pick: (event: StepMetrics) => number | undefined): Point[] =>
    steps.flatMap((event) => {
      const value = pick(event);
      return value === undefined || !Number.isFinite(value) ? [] : [[event.step, value] as const];
    });
  const charts: CurveSet[] = [
    { title: "Loss", series: [{ name: "loss", points: curve((event) => event.loss) }] },
    {
      title: "Rewards",
      series: [
        { name: "desirable (chosen)", points: curve((event) => event.rewards_chosen) },
        { name: "undesirable (rejected)", points: curve((event) => event.rewards_rejected) },
      ],
    },
    { title: "KL", series: [{ name: "kl", points: curve((event) => event.kl) }] },
  ];
  return charts
    .map((chart) => ({ ...chart, series: chart.series.filter((line) => line.points.length > 0) }))
    .filter((chart) => chart.series.length > 0);
}

/** What GET /v1/models answers, as far as finding a model's training job needs. */
export interface RegisteredModelFiles {
  id: string;
  exports: { files: { path: string }[] }[];
}

/** The training job that produced the GGUF file an evaluation ran on, if Vault Tuner trained it. */
export function trainingJobOf(models: RegisteredModelFiles[], modelFile: string): string | undefined {
  return models.find((model) =>
    model.exports.some((exported) => exported.files.some((file) => file.path === modelFile)),
  )?.id;
}
