import {
  CHECK_DESCRIPTIONS,
  formatRate,
  type CheckName,
  type EvalRunSummary,
  type JobMetricsReply,
} from "@vault-tuner/shared";
import { describeError } from "../ui/format";
import { labelCurve } from "./label-curve";
import { drawLineChart } from "./line-chart";
import { modelLabel, type ModelsReply } from "./model-choices";
import { trainingCurves, trainingJobOf } from "./training-curves";

export interface RunDetailsInput {
  run: EvalRunSummary;
  runs: EvalRunSummary[];
  models: ModelsReply | undefined;
  onSelect: (id: string) => void;
  openNote: (runId: string) => void;
  /** The training curves of a job, from the daemon. */
  metrics: (jobId: string) => Promise<JobMetricsReply>;
}

/** One run: its headline with the interval, per-check and per-tool rates, failures, the label curve and the training curves. */
export async function renderRunDetails(section: HTMLElement, input: RunDetailsInput): Promise<void> {
  section.empty();
  const { metadata: meta, summary } = input.run;
  section.createEl("h4", { text: `${meta.set.title} on ${modelLabel(input.models, meta.backend.model)}` });
  section.createDiv({
    cls: "vault-tuner-eval-headline",
    text: `${summary.passed} of ${summary.total - summary.request_errors} passed: ${formatRate(summary.pass_rate)} (95% interval ${formatRate(summary.pass_rate_ci95[0])} to ${formatRate(summary.pass_rate_ci95[1])})${summary.request_errors > 0 ? `; ${summary.request_errors} request errors not scored` : ""}.`,
  });
  section.createEl("button", { text: "Open the report note" }).addEventListener("click", () => input.openNote(meta.id));
  rateTable(section, "Per check", "Check", summary.by_check, (check) => CHECK_DESCRIPTIONS[check as CheckName]);
  if (Object.keys(summary.by_tool).length > 0) rateTable(section, "Per tool", "Tool", sortedByRate(summary.by_tool));
  else
    section.createDiv({
      cls: "vault-tuner-missing",
      text: "No case of this set expects a tool call, so there is no per-tool table.",
    });
  if (summary.top_failure_reasons.length > 0) {
    section.createEl("h5", { text: "Most common failures" });
    const list = section.createEl("ul", { cls: "vault-tuner-failures" });
    for (const reason of summary.top_failure_reasons.slice(0, 5))
      list.createEl("li", { text: `${reason.count} × ${reason.reason}` });
  }
  renderLabelCurve(section.createDiv({ cls: "vault-tuner-label-curve" }), meta.set.id, meta.set.title, input);
  await renderCurves(section.createDiv({ cls: "vault-tuner-curves" }), meta.backend.kind, meta.backend.model, input);
}

/** Are labels worth the time? The pass rate on this set of every model whose training is known, by its labelled rows. */
function renderLabelCurve(into: HTMLElement, set: string, title: string, input: RunDetailsInput): void {
  into.createEl("h5", { text: "Pass rate by labelled calls" });
  const points = labelCurve(input.runs, set);
  if (points.length === 0) {
    into.createDiv({
      cls: "vault-tuner-missing",
      text: `No run of this set is on a model trained here yet, so there is no label curve. Each model the daemon trains and you evaluate on this set adds a point.`,
    });
    return;
  }
  if (points.length === 1)
    into.createDiv({
      cls: "vault-tuner-missing",
      text: "One point so far: label more calls, train again and evaluate on this set to see whether more labels help.",
    });
  else {
    const series = [
      {
        name: "pass rate",
        points: points.map((point) => [point.labels, point.rate] as const),
        intervals: points.map((point) => [point.low, point.high] as const),
        cls: "vault-tuner-series-1",
      },
    ];
    drawLineChart(
      into.createDiv({ cls: "vault-tuner-chart-grid" }),
      `${title}: pass rate and its 95% interval by labelled rows`,
      series,
      { xMin: 0, yMin: 0, yMax: 1 },
    );
  }
  const table = into.createEl("table", { cls: "vault-tuner-table" });
  const head = table.createEl("tr");
  for (const heading of ["Labelled rows", "Passed", "95% interval", "File"]) head.createEl("th", { text: heading });
  for (const point of points) {
    const row = table.createEl("tr", {
      cls: point.runId === input.run.metadata.id ? "is-selected" : "",
      attr: { "data-run-id": point.runId },
    });
    row.createEl("td", { text: String(point.labels) });
    row.createEl("td", { text: formatRate(point.rate) });
    row.createEl("td", { text: `${formatRate(point.low)} to ${formatRate(point.high)}` });
    row.createEl("td", { text: point.file ?? "" });
    row.addEventListener("click", () => input.onSelect(point.runId));
  }
}

/** The training curves of the job behind the evaluated model, when Vault Tuner trained it. */
async function renderCurves(into: HTMLElement, backend: string, model: string, input: RunDetailsInput): Promise<void> {
  into.createEl("h5", { text: "Training" });
  const jobId = backend === "embedded" && input.models ? trainingJobOf(input.models.items, model) : undefined;
  if (!jobId) {
    into.createDiv({
      cls: "vault-tuner-missing",
      text: "This model was not trained by this daemon, so it has no training curves here.",
    });
    return;
  }
  try {
    const metrics = await input.metrics(jobId);
    const charts = trainingCurves(metrics.items);
    if (charts.length === 0) {
      into.createDiv({ cls: "vault-tuner-missing", text: `Training job ${jobId} logged no steps.` });
      return;
    }
    into.createDiv({
      cls: "setting-item-description",
      text: `Training job ${jobId}, ${metrics.items.filter((item) => item.event === "step").length} steps.`,
    });
    const grid = into.createDiv({ cls: "vault-tuner-chart-grid" });
    for (const chart of charts)
      drawLineChart(
        grid,
        chart.title,
        chart.series.map((line, index) => ({ ...line, cls: `vault-tuner-series-${index + 1}` })),
      );
  } catch (error) {
    into.createDiv({ cls: "vault-tuner-message", text: `Cannot read the training curves: ${describeError(error)}` });
  }
}

type Rates = Record<string, { total: number; passed: number; rate: number | null }>;

/** A table of pass rates with a bar each, so weak checks and tools stand out at a glance. */
function rateTable(
  parent: HTMLElement,
  heading: string,
  column: string,
  rates: Rates,
  describeRow?: (name: string) => string | undefined,
): void {
  parent.createEl("h5", { text: heading });
  const table = parent.createEl("table", { cls: "vault-tuner-table vault-tuner-rates" });
  const head = table.createEl("tr");
  for (const title of [column, "Passed", ""]) head.createEl("th", { text: title });
  for (const [name, rate] of Object.entries(rates)) {
    const row = table.createEl("tr");
    row.createEl("td", { text: name, attr: describeRow?.(name) ? { title: describeRow(name) as string } : {} });
    row.createEl("td", { text: `${rate.passed}/${rate.total}` });
    const bar = row.createEl("td").createDiv({ cls: "vault-tuner-bar" });
    const fill = bar.createDiv({
      cls: `vault-tuner-bar-fill ${(rate.rate ?? 0) >= 0.8 ? "is-good" : (rate.rate ?? 0) >= 0.5 ? "is-fair" : "is-poor"}`,
    });
    fill.style.width = `${Math.round((rate.rate ?? 0) * 100)}%`;
  }
}

function sortedByRate(rates: Rates): Rates {
  return Object.fromEntries(
    Object.entries(rates).sort(([nameA, a], [nameB, b]) => (a.rate ?? 0) - (b.rate ?? 0) || nameA.localeCompare(nameB)),
  );
}
