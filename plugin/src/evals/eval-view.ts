import { ItemView, Notice, type WorkspaceLeaf } from "obsidian";
import {
  ROUTES,
  CHECK_DESCRIPTIONS,
  FINISHED_STATES,
  formatDuration,
  formatRate,
  type CheckName,
  type DaemonEvent,
  type EvalRunSummary,
  type Job,
  type ReportComparison,
} from "@vault-tuner/shared";
import type { PluginServices } from "../services";
import { describeError, shortTime } from "../ui/format";
import { labelCurve } from "./label-curve";
import { drawLineChart } from "./line-chart";
import { modelChoices, modelLabel, type ModelChoice, type ModelsReply } from "./model-choices";
import { openReportNote } from "./report-note";
import { trainingCurves, trainingJobOf } from "./training-curves";

export const EVAL_VIEW_TYPE = "vault-tuner-evals";

interface PromptSetItem {
  id: string;
  title: string;
  cases: number;
}

/**
 * The eval panel: run an evaluation of a deployed or exported model on a prompt set and watch it, read
 * a run's results per check and per tool, compare two runs case by case, and see the training curves of
 * the job that made the model. Everything shown comes from the daemon; what it lacks is said, not faked.
 */
export class EvalView extends ItemView {
  private runs: EvalRunSummary[] = [];
  private models: ModelChoice[] = [];
  private modelsReply: ModelsReply | undefined;
  private sets: PromptSetItem[] = [];
  private selected: string | undefined;
  /** The prompt set last chosen here, kept across re-renders. */
  private chosenSet: string | undefined;
  private running: { jobId: string; text: string; fraction: number } | undefined;
  private message = "";
  private unsubscribe: (() => void) | undefined;
  private runEl!: HTMLElement;
  private runsEl!: HTMLElement;
  private detailsEl!: HTMLElement;
  private compareEl!: HTMLElement;

  constructor(
    leaf: WorkspaceLeaf,
    private readonly services: Pick<PluginServices, "daemon" | "feed" | "settings">,
  ) {
    super(leaf);
  }

  getViewType(): string {
    return EVAL_VIEW_TYPE;
  }

  getDisplayText(): string {
    return "Vault Tuner evaluations";
  }

  override getIcon(): string {
    return "gauge";
  }

  override async onOpen(): Promise<void> {
    const root = this.contentEl;
    root.empty();
    root.addClass("vault-tuner-evals");
    this.runEl = root.createDiv({ cls: "vault-tuner-eval-run" });
    this.runsEl = root.createDiv({ cls: "vault-tuner-eval-runs" });
    this.compareEl = root.createDiv({ cls: "vault-tuner-eval-compare" });
    this.detailsEl = root.createDiv({ cls: "vault-tuner-eval-details" });
    this.unsubscribe = this.services.feed.subscribe({ event: (event) => this.onEvent(event), state: () => undefined });
    await this.reload();
  }

  override async onClose(): Promise<void> {
    this.unsubscribe?.();
  }

  /** Reads what the daemon has: prompt sets, models, stored runs; then shows the newest run. */
  async reload(): Promise<void> {
    try {
      const [sets, models, runs, running] = await Promise.all([
        this.services.daemon.call(ROUTES.listEvalSets),
        this.services.daemon.call(ROUTES.listModels),
        this.services.daemon.call(ROUTES.listEvals),
        this.services.daemon.call(ROUTES.listJobs, { query: { kind: "eval", state: "running", limit: 1 } }),
      ]);
      // An evaluation already running (started elsewhere, or before the panel was reopened) is followed too.
      const current = running.items[0];
      if (current && !this.running)
        this.running = { jobId: current.id, fraction: progressFraction(current), text: "running" };
      this.sets = sets.items;
      this.modelsReply = models;
      this.models = modelChoices(models);
      this.runs = [...runs.items].sort((a, b) => b.metadata.created_at.localeCompare(a.metadata.created_at));
      this.message = "";
      if (!this.selected || !this.runs.some((run) => run.metadata.id === this.selected))
        this.selected = this.runs[0]?.metadata.id;
    } catch (error) {
      this.message = `Cannot reach the daemon: ${describeError(error)}`;
    }
    this.renderRunForm();
    this.renderRuns();
    await this.renderDetails();
  }

  private onEvent(event: DaemonEvent): void {
    if (!this.running) return;
    if (event.type === "job.progress" && event.jobId === this.running.jobId && event.progress.total !== undefined) {
      const { step: done = 0, total, etaS: eta } = event.progress;
      this.running = {
        ...this.running,
        fraction: total > 0 ? done / total : 0,
        text: `${done} of ${total} cases${eta !== undefined && eta > 0 ? `, about ${formatDuration(eta)} left` : ""}`,
      };
      this.renderProgress();
    } else if (
      event.type === "job.state" &&
      event.jobId === this.running.jobId &&
      FINISHED_STATES.includes(event.state)
    ) {
      const jobId = this.running.jobId;
      this.running = undefined;
      const outcome =
        event.state === "succeeded" ? "finished" : `${event.state}${event.error ? `: ${event.error.message}` : ""}`;
      new Notice(`Vault Tuner evaluation ${outcome}.`, 8000);
      this.selected = jobId;
      void this.reload();
    }
  }

  private renderRunForm(): void {
    const form = this.runEl;
    form.empty();
    form.createEl("h4", { text: "Run an evaluation" });
    if (this.message) form.createDiv({ cls: "vault-tuner-message", text: this.message });
    if (this.models.length === 0) {
      form.createDiv({
        cls: "vault-tuner-missing",
        text: "No model to evaluate yet: the daemon serves none and none was exported. Train one (command: Start training), or evaluate another backend from the command line (vault-tuner eval run).",
      });
      return;
    }
    const row = form.createDiv({ cls: "vault-tuner-eval-form" });
    const model = row.createEl("select", { attr: { "aria-label": "Model" } });
    this.models.forEach((choice, index) => {
      model.createEl("option", { text: choice.label, attr: { value: String(index) } });
    });
    const preferred = this.models.findIndex(
      (choice) => choice.backend === this.services.settings.current().evalBackend,
    );
    if (preferred > 0) model.value = String(preferred);
    const set = row.createEl("select", { attr: { "aria-label": "Prompt set" } });
    for (const item of this.sets)
      set.createEl("option", { text: `${item.title} (${item.cases})`, attr: { value: item.id } });
    const chosen = this.chosenSet ?? this.services.settings.current().evalSet;
    if (this.sets.some((item) => item.id === chosen)) set.value = chosen;
    set.addEventListener("change", () => (this.chosenSet = set.value));
    const run = row.createEl("button", { cls: "mod-cta", text: "Run evaluation" });
    run.disabled = this.running !== undefined;
    run.addEventListener("click", () => void this.start(this.models[Number(model.value)] as ModelChoice, set.value));
    form.createDiv({ cls: "vault-tuner-eval-progress" });
    this.renderProgress();
  }

  private renderProgress(): void {
    const progress = this.runEl.querySelector<HTMLElement>(".vault-tuner-eval-progress");
    if (!progress) return;
    progress.empty();
    if (!this.running) return;
    progress.createEl("progress", { attr: { max: "1", value: String(this.running.fraction) } });
    progress.createSpan({ text: ` ${this.running.text}` });
  }

  private async start(model: ModelChoice, set: string): Promise<void> {
    try {
      const job = await this.services.daemon.call(ROUTES.runEval, {
        body: {
          set,
          backend: model.backend,
          model: model.model,
          ...(model.url ? { url: model.url } : {}),
        },
      });
      this.running = {
        jobId: job.id,
        fraction: 0,
        text: job.state === "queued" ? "queued behind the running job" : "starting",
      };
      this.renderRunForm();
    } catch (error) {
      new Notice(`Vault Tuner could not start the evaluation: ${describeError(error)}`, 10_000);
    }
  }

  private renderRuns(): void {
    const section = this.runsEl;
    section.empty();
    section.createEl("h4", { text: "Runs" });
    if (this.runs.length === 0) {
      section.createDiv({ cls: "vault-tuner-missing", text: "No evaluation has run yet." });
      this.compareEl.empty();
      return;
    }
    const table = section.createEl("table", { cls: "vault-tuner-table" });
    const head = table.createEl("tr");
    for (const title of ["When", "Set", "Model", "Passed"]) head.createEl("th", { text: title });
    for (const run of this.runs) {
      const meta = run.metadata;
      const row = table.createEl("tr", {
        cls: meta.id === this.selected ? "is-selected" : "",
        attr: { "data-run-id": meta.id },
      });
      row.createEl("td", { text: shortTime(meta.created_at) });
      row.createEl("td", { text: meta.set.id });
      row.createEl("td", {
        text: modelLabel(this.modelsReply, meta.backend.model),
        attr: {
          title: `${meta.backend.kind}: ${meta.backend.model}${meta.training?.job ? ` (training job ${meta.training.job})` : ""}`,
        },
      });
      row.createEl("td", {
        text: `${formatRate(run.summary.pass_rate)} (${run.summary.passed}/${run.summary.total - run.summary.request_errors})`,
      });
      row.addEventListener("click", () => {
        this.selected = meta.id;
        this.renderRuns();
        void this.renderDetails();
      });
    }
    this.renderCompareForm();
  }

  private renderCompareForm(): void {
    const section = this.compareEl;
    section.empty();
    if (this.runs.length < 2) return;
    section.createEl("h4", { text: "Compare two runs" });
    const row = section.createDiv({ cls: "vault-tuner-eval-form" });
    const pick = (label: string, index: number) => {
      const select = row.createEl("select", { attr: { "aria-label": label } });
      for (const run of this.runs)
        select.createEl("option", {
          text: `${shortTime(run.metadata.created_at)} · ${run.metadata.set.id} · ${modelLabel(this.modelsReply, run.metadata.backend.model)}`,
          attr: { value: run.metadata.id },
        });
      select.value = this.runs[index]?.metadata.id ?? "";
      return select;
    };
    // The older run is the baseline (A), the newer the candidate (B).
    const a = pick("Baseline run", 1);
    const b = pick("Candidate run", 0);
    const result = section.createDiv({ cls: "vault-tuner-comparison" });
    row
      .createEl("button", { text: "Compare" })
      .addEventListener("click", () => void this.compare(a.value, b.value, result));
  }

  private async compare(a: string, b: string, into: HTMLElement): Promise<void> {
    into.empty();
    let comparison: ReportComparison;
    try {
      comparison = await this.services.daemon.call(ROUTES.compareEvals, {
        query: { a, b },
      });
    } catch (error) {
      into.createDiv({ cls: "vault-tuner-message", text: `Cannot compare: ${describeError(error)}` });
      return;
    }
    const delta =
      comparison.delta === null
        ? "n/a"
        : `${comparison.delta >= 0 ? "+" : ""}${(comparison.delta * 100).toFixed(1)} points`;
    into.createDiv({
      cls: "vault-tuner-comparison-headline",
      text: `${formatRate(comparison.a.pass_rate)} → ${formatRate(comparison.b.pass_rate)} (${delta}) over ${comparison.paired_cases} paired cases: ${comparison.better} better, ${comparison.worse} worse, ${comparison.significant ? "significant" : "not significant"} (p = ${comparison.p_value.toPrecision(2)}).`,
    });
    for (const warning of comparison.warnings) into.createDiv({ cls: "vault-tuner-warning", text: warning });
    this.checksSideBySide(into, a, b);
    const changed = comparison.cases.filter((item) => item.change !== "same");
    if (changed.length === 0) {
      into.createDiv({ cls: "vault-tuner-missing", text: "No case changed." });
      return;
    }
    const table = into.createEl("table", { cls: "vault-tuner-table" });
    const head = table.createEl("tr");
    for (const title of ["Case", "Baseline", "Candidate", "Change"]) head.createEl("th", { text: title });
    for (const item of changed) {
      const row = table.createEl("tr", { cls: `is-${item.change}` });
      row.createEl("td", { text: item.case_id });
      row.createEl("td", { text: formatRate(item.a) });
      row.createEl("td", { text: formatRate(item.b) });
      row.createEl("td", { text: item.change });
    }
  }

  /** Each check's pass rate in the two runs, next to each other. */
  private checksSideBySide(into: HTMLElement, a: string, b: string): void {
    const summaryOf = (id: string) => this.runs.find((run) => run.metadata.id === id)?.summary;
    const [baseline, candidate] = [summaryOf(a), summaryOf(b)];
    if (!baseline || !candidate) return;
    const table = into.createEl("table", { cls: "vault-tuner-table vault-tuner-side-by-side" });
    const head = table.createEl("tr");
    for (const title of ["Check", "Baseline", "Candidate"]) head.createEl("th", { text: title });
    for (const check of new Set([...Object.keys(baseline.by_check), ...Object.keys(candidate.by_check)])) {
      const row = table.createEl("tr");
      row.createEl("td", { text: check });
      for (const summary of [baseline, candidate]) {
        const rate = summary.by_check[check];
        row.createEl("td", { text: rate ? `${formatRate(rate.rate)} (${rate.passed}/${rate.total})` : "not checked" });
      }
    }
  }

  private async renderDetails(): Promise<void> {
    const section = this.detailsEl;
    section.empty();
    const run = this.runs.find((item) => item.metadata.id === this.selected);
    if (!run) return;
    const { metadata: meta, summary } = run;
    section.createEl("h4", { text: `${meta.set.title} on ${modelLabel(this.modelsReply, meta.backend.model)}` });
    section.createDiv({
      cls: "vault-tuner-eval-headline",
      text: `${summary.passed} of ${summary.total - summary.request_errors} passed: ${formatRate(summary.pass_rate)} (95% interval ${formatRate(summary.pass_rate_ci95[0])} to ${formatRate(summary.pass_rate_ci95[1])})${summary.request_errors > 0 ? `; ${summary.request_errors} request errors not scored` : ""}.`,
    });
    section
      .createEl("button", { text: "Open the report note" })
      .addEventListener("click", () => void this.openNote(meta.id));
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
    this.renderLabelCurve(section.createDiv({ cls: "vault-tuner-label-curve" }), meta.set.id, meta.set.title);
    await this.renderCurves(section.createDiv({ cls: "vault-tuner-curves" }), meta.backend.kind, meta.backend.model);
  }

  /** Are labels worth the time? The pass rate on this set of every model whose training is known, by its labelled rows. */
  private renderLabelCurve(into: HTMLElement, set: string, title: string): void {
    into.createEl("h5", { text: "Pass rate by labelled calls" });
    const points = labelCurve(this.runs, set);
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
        cls: point.runId === this.selected ? "is-selected" : "",
        attr: { "data-run-id": point.runId },
      });
      row.createEl("td", { text: String(point.labels) });
      row.createEl("td", { text: formatRate(point.rate) });
      row.createEl("td", { text: `${formatRate(point.low)} to ${formatRate(point.high)}` });
      row.createEl("td", { text: point.file ?? "" });
      row.addEventListener("click", () => {
        this.selected = point.runId;
        this.renderRuns();
        void this.renderDetails();
      });
    }
  }

  /** The training curves of the job behind the evaluated model, when Vault Tuner trained it. */
  private async renderCurves(into: HTMLElement, backend: string, model: string): Promise<void> {
    into.createEl("h5", { text: "Training" });
    const jobId = backend === "embedded" && this.modelsReply ? trainingJobOf(this.modelsReply.items, model) : undefined;
    if (!jobId) {
      into.createDiv({
        cls: "vault-tuner-missing",
        text: "This model was not trained by this daemon, so it has no training curves here.",
      });
      return;
    }
    try {
      const metrics = await this.services.daemon.call(ROUTES.jobMetrics, {
        params: { id: jobId },
      });
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

  private async openNote(runId: string): Promise<void> {
    try {
      const markdown = await this.services.daemon.call(ROUTES.evalNote, { params: { id: runId } });
      const file = await openReportNote(this.app, runId, markdown);
      new Notice(`Vault Tuner: the report is in ${file.path}.`, 5000);
    } catch (error) {
      new Notice(`Vault Tuner could not write the report note: ${describeError(error)}`, 10_000);
    }
  }
}

function progressFraction(job: Job): number {
  const { step, total } = job.progress ?? {};
  return step !== undefined && total ? step / total : 0;
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
