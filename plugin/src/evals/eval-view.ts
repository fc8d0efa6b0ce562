import { ItemView, Notice, type WorkspaceLeaf } from "obsidian";
import {
  ROUTES,
  FINISHED_STATES,
  formatDuration,
  type DaemonEvent,
  type EvalRunSummary,
  type Job,
} from "@vault-tuner/shared";
import type { PluginServices } from "../services";
import { describeError } from "../ui/format";
import { modelChoices, type ModelChoice, type ModelsReply } from "./model-choices";
import { openReportNote } from "./report-note";
import { renderComparison } from "./run-comparison";
import { renderRunDetails } from "./run-details";
import { renderProgress, renderRunForm, type PromptSetItem, type RunningEval } from "./run-form";
import { renderRunsList } from "./runs-list";

export const EVAL_VIEW_TYPE = "vault-tuner-evals";

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
  private running: RunningEval | undefined;
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

  private renderRunForm(): void {
    const settings = this.services.settings.current();
    renderRunForm(this.runEl, {
      models: this.models,
      sets: this.sets,
      preferredBackend: settings.evalBackend,
      chosenSet: this.chosenSet ?? settings.evalSet,
      running: this.running,
      message: this.message,
      onSetChosen: (set) => {
        this.chosenSet = set;
      },
      onStart: (model, set) => void this.start(model, set),
    });
  }

  private renderRuns(): void {
    const select = (id: string) => {
      this.selected = id;
      this.renderRuns();
      void this.renderDetails();
    };
    renderRunsList(this.runsEl, {
      runs: this.runs,
      selected: this.selected,
      models: this.modelsReply,
      onSelect: select,
    });
    renderComparison(this.compareEl, {
      runs: this.runs,
      models: this.modelsReply,
      compare: (a, b) => this.services.daemon.call(ROUTES.compareEvals, { query: { a, b } }),
    });
  }

  private async renderDetails(): Promise<void> {
    const run = this.runs.find((item) => item.metadata.id === this.selected);
    if (!run) {
      this.detailsEl.empty();
      return;
    }
    await renderRunDetails(this.detailsEl, {
      run,
      runs: this.runs,
      models: this.modelsReply,
      onSelect: (id) => {
        this.selected = id;
        this.renderRuns();
        void this.renderDetails();
      },
      openNote: (runId) => void this.openNote(runId),
      metrics: (jobId) => this.services.daemon.call(ROUTES.jobMetrics, { params: { id: jobId } }),
    });
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
      const progress = this.runEl.querySelector<HTMLElement>(".vault-tuner-eval-progress");
      if (progress) renderProgress(progress, this.running);
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
