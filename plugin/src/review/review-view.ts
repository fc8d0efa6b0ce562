import { ItemView, type WorkspaceLeaf } from "obsidian";
import { ROUTES, FAILED_CALL_REASON, type DaemonEvent, type LabelValue, type StoredTrace } from "@vault-tuner/shared";
import type { FeedState } from "../connection/live-feed";
import { labelWords, type LabelOutcome } from "../labels/label-outcome";
import type { PluginServices } from "../services";
import { sessionTraceIds } from "./session-traces";
import { describeError, shortTime } from "../ui/format";
import { resultText, summarizeCall } from "./call-summary";
import { CorrectionModal } from "./correction-modal";
import { NoteModal } from "./note-modal";
import { EMPTY_FILTER, filterSummary, traceQuery, type ReviewFilter } from "./review-filter";
import { REVIEW_KEYS, ReviewState } from "./review-state";

export const REVIEW_VIEW_TYPE = "vault-tuner-review";
const PAGE = 50;
/** More new calls than this at once and the list is fetched again rather than topped up. */
const TOP_UP_LIMIT = 100;

/**
 * The review view: recorded calls newest first, live, with labels by click or key. A thin shell over
 * ReviewState (the list logic) and the plugin's label queue (so labels made while the daemon is away
 * are kept and sent later, and the view says so).
 */
export class ReviewView extends ItemView {
  private readonly state = new ReviewState();
  private filter: ReviewFilter = { ...EMPTY_FILTER };
  private nextCursor: string | null = null;
  private message = "";
  private feed: FeedState = "offline";
  private readonly expanded = new Set<string>();
  private unsubscribe: (() => void) | undefined;
  private headerEl!: HTMLElement;
  private listEl!: HTMLElement;

  constructor(
    leaf: WorkspaceLeaf,
    private readonly services: Pick<PluginServices, "app" | "daemon" | "labels" | "feed" | "catalogFor">,
  ) {
    super(leaf);
  }

  getViewType(): string {
    return REVIEW_VIEW_TYPE;
  }

  getDisplayText(): string {
    return "Vault Tuner review";
  }

  override getIcon(): string {
    return "list-checks";
  }

  override async onOpen(): Promise<void> {
    const root = this.contentEl;
    root.empty();
    root.addClass("vault-tuner-review");
    root.setAttribute("tabindex", "0");
    this.buildFilterBar(root.createDiv({ cls: "vault-tuner-filters" }));
    this.headerEl = root.createDiv({ cls: "vault-tuner-review-header" });
    root.createDiv({
      cls: "vault-tuner-keys",
      text: Object.entries(REVIEW_KEYS)
        .map(([key, what]) => `${key}: ${what}`)
        .join(" · "),
    });
    this.listEl = root.createDiv({ cls: "vault-tuner-call-list" });
    this.registerDomEvent(root, "keydown", (event: KeyboardEvent) => this.onKey(event));
    this.feed = this.services.feed.state;
    this.unsubscribe = this.services.feed.subscribe({
      event: (event) => this.onEvent(event),
      state: (state) => this.onFeedState(state),
    });
    await this.reload();
  }

  override async onClose(): Promise<void> {
    this.unsubscribe?.();
  }

  /** Fetches the first page for the current filter, keeping the selection when the call is still listed. */
  async reload(): Promise<void> {
    try {
      const page = await this.services.daemon.call(ROUTES.listTraces, { query: traceQuery(this.filter, PAGE) });
      this.state.replace(page.items);
      this.nextCursor = page.nextCursor;
      this.message = "";
    } catch (error) {
      this.message = `Cannot load the calls: ${describeError(error)}`;
    }
    this.render();
  }

  private async loadOlder(): Promise<void> {
    if (!this.nextCursor) return;
    try {
      const page = await this.services.daemon.call(ROUTES.listTraces, {
        query: traceQuery(this.filter, PAGE, this.nextCursor),
      });
      this.state.append(page.items);
      this.nextCursor = page.nextCursor;
    } catch (error) {
      this.message = `Cannot load older calls: ${describeError(error)}`;
    }
    this.render();
  }

  private onFeedState(state: FeedState): void {
    const wasAway = this.feed !== "live";
    this.feed = state;
    // Back after a gap: whatever was recorded or labelled meanwhile is fetched again.
    if (state === "live" && wasAway && this.listEl) void this.reload();
    else if (this.headerEl) this.renderHeader();
  }

  private onEvent(event: DaemonEvent): void {
    if (event.type === "trace.labelled") {
      this.state.setLabel(event.traceId, event.label);
      this.render();
    } else if (event.type === "trace.created" && event.traces.length > 0) {
      void this.topUp(event.traces.length);
    }
  }

  /** New calls were recorded: the newest matching ones go on top, the selection stays where it is. */
  private async topUp(count: number): Promise<void> {
    if (count > TOP_UP_LIMIT) return this.reload();
    try {
      const page = await this.services.daemon.call(ROUTES.listTraces, { query: traceQuery(this.filter, count) });
      this.state.prepend(page.items);
      this.render();
    } catch (error) {
      console.error("Vault Tuner: could not fetch new calls", error);
    }
  }

  private onKey(event: KeyboardEvent): void {
    const target = event.target as HTMLElement | null;
    if (event.ctrlKey || event.metaKey || event.altKey || target?.closest("input, textarea, select")) return;
    const action = this.state.key(event.key);
    if (action.do === "nothing") return;
    event.preventDefault();
    if (action.do === "select") this.render();
    else if (action.do === "label") void this.label([action.traceId], action.label);
    else if (action.do === "note") this.openNote(action.traceId);
    else this.openCorrection(action.traceId);
  }

  /** Labels through the queue; the note and correction already given are kept unless the label drops them. */
  private async label(traceIds: string[], label: Exclude<LabelValue, "unlabeled">): Promise<void> {
    for (const id of traceIds) this.state.setLabel(id, label);
    this.render();
    // Each call keeps its note and correction: a label change names only what it changes.
    const labels = traceIds.map((traceId) => ({ traceId, body: { label } }));
    this.showOutcome({ ...(await this.services.labels.labelMany(labels)), given: labels.length });
  }

  private showOutcome(outcome: LabelOutcome): void {
    this.message = labelWords(outcome);
    if (outcome.refused.length > 0) void this.reload();
    else this.render();
  }

  private openNote(traceId: string): void {
    const trace = this.state.items.find((item) => item.id === traceId);
    if (trace) new NoteModal(this.services, trace, (outcome) => this.showOutcome(outcome)).open();
  }

  private openCorrection(traceId: string): void {
    const listed = this.state.items.find((item) => item.id === traceId);
    if (!listed) return;
    // A call too large to list whole is corrected from all of it, never from its preview.
    const whole = listed.cut
      ? this.services.daemon.call(ROUTES.getTrace, { params: { id: traceId } }).then((detail) => detail.trace)
      : Promise.resolve(listed);
    whole
      .then((trace) =>
        new CorrectionModal(this.services, trace, (outcome) => {
          this.state.setLabel(traceId, "undesirable");
          this.showOutcome(outcome);
        }).open(),
      )
      .catch((error: unknown) => {
        this.message = `Cannot open the whole call to correct it: ${describeError(error)}`;
        this.render();
      });
  }

  private buildFilterBar(bar: HTMLElement): void {
    const labelSelect = bar.createEl("select", { attr: { "aria-label": "Label" } });
    for (const [value, text] of [
      ["unlabeled", "Unlabelled"],
      ["", "All labels"],
      ["desirable", "Marked good"],
      ["undesirable", "Marked bad"],
    ] as const) {
      labelSelect.createEl("option", { text, attr: { value } });
    }
    labelSelect.value = this.filter.label;
    labelSelect.addEventListener("change", () => this.setFilter({ label: labelSelect.value as ReviewFilter["label"] }));
    const failed = bar.createEl("label", { cls: "vault-tuner-failed-only" });
    const failedBox = failed.createEl("input", { attr: { type: "checkbox", "aria-label": "Failed only" } });
    failed.appendText(" Failed only");
    failedBox.addEventListener("change", () => this.setFilter({ failedOnly: failedBox.checked }));
    for (const [field, placeholder] of [
      ["tool", "Tool"],
      ["session", "Session"],
      ["search", "Search"],
    ] as const) {
      const input = bar.createEl("input", { attr: { type: "search", placeholder, "aria-label": placeholder } });
      // Filters apply on Enter or when the field is left, not on every key: each is a daemon query.
      input.addEventListener("change", () => this.setFilter({ [field]: input.value }));
    }
    bar.createEl("button", { text: "Refresh" }).addEventListener("click", () => void this.reload());
  }

  private setFilter(change: Partial<ReviewFilter>): void {
    this.filter = { ...this.filter, ...change };
    void this.reload();
  }

  private render(): void {
    this.renderHeader();
    const list = this.listEl;
    list.empty();
    if (this.state.items.length === 0) {
      list.createDiv({
        cls: "vault-tuner-empty",
        text:
          this.filter.label === "unlabeled"
            ? "Nothing left to label here. New calls appear as they are recorded."
            : "No recorded calls match.",
      });
    }
    for (const [index, trace] of this.state.items.entries())
      this.renderCall(list, trace, index === this.state.selectedIndex);
    if (this.nextCursor)
      list
        .createEl("button", { cls: "vault-tuner-older", text: "Load older calls" })
        .addEventListener("click", () => void this.loadOlder());
    list.querySelector(".is-selected")?.scrollIntoView?.({ block: "nearest" });
  }

  private renderHeader(): void {
    const header = this.headerEl;
    header.empty();
    header.createSpan({
      cls: "vault-tuner-count",
      text: filterSummary(this.filter, this.state.items.length, this.nextCursor !== null),
    });
    header.createSpan({
      cls: `vault-tuner-feed is-${this.feed}`,
      text: this.feed === "live" ? "live" : this.feed === "connecting" ? "connecting…" : "daemon offline",
    });
    const waiting = this.services.labels.pending.length;
    if (waiting > 0) {
      header.createDiv({
        cls: "vault-tuner-queued",
        text: `${waiting} label${waiting === 1 ? "" : "s"} kept here until the daemon is reachable; they are sent as soon as it is.`,
      });
    }
    if (this.message) header.createDiv({ cls: "vault-tuner-message", text: this.message });
    const current = this.state.current;
    if (current) {
      const bulk = header.createDiv({ cls: "vault-tuner-bulk" });
      bulk.createSpan({ text: `Session ${current.session}: ` });
      bulk
        .createEl("button", { text: "Mark session good" })
        .addEventListener("click", () => void this.labelSession(current.session, "desirable"));
      bulk
        .createEl("button", { text: "Mark session bad" })
        .addEventListener("click", () => void this.labelSession(current.session, "undesirable"));
    }
  }

  /** Every call of the session, loaded or not, gets the label (one queue save for all). */
  private async labelSession(session: string, label: Exclude<LabelValue, "unlabeled">): Promise<void> {
    let ids: string[];
    try {
      ids = await sessionTraceIds(this.services.daemon, session);
    } catch (error) {
      // The daemon is away: label what the list shows of the session; the queue keeps it.
      ids = this.state.items.filter((trace) => trace.session === session).map((trace) => trace.id);
      console.warn("Vault Tuner: labelling the listed calls of the session only", error);
    }
    await this.label(ids, label);
  }

  private renderCall(list: HTMLElement, trace: StoredTrace, selected: boolean): void {
    const summary = summarizeCall(trace.call);
    const row = list.createDiv({
      cls: ["vault-tuner-call", `is-${trace.label}`, ...(selected ? ["is-selected"] : [])],
      attr: { "data-trace-id": trace.id },
    });
    row.addEventListener("click", (event) => {
      if ((event.target as HTMLElement).closest("button, summary")) return;
      this.state.select(this.state.items.indexOf(trace));
      this.render();
      this.contentEl.focus();
    });
    const top = row.createDiv({ cls: "vault-tuner-call-top" });
    top.createSpan({ cls: "vault-tuner-tool", text: summary.title });
    const badges = top.createSpan({ cls: "vault-tuner-badges" });
    if (trace.label !== "unlabeled")
      badges.createSpan({
        cls: `vault-tuner-badge is-${trace.label}`,
        text: trace.label === "desirable" ? "good" : "bad",
      });
    if (trace.failed) badges.createSpan({ cls: "vault-tuner-badge is-failed", text: "failed" });
    if (trace.truncated)
      badges.createSpan({
        cls: "vault-tuner-badge is-truncated",
        text: "cut",
        attr: {
          title:
            "The recorder cut values of this call (too large or too deep to deliver); it trains only through a correction.",
        },
      });
    // The daemon's suggestion gathers the failure and the toolset's schema errors; the latter get their own badge.
    const invalid = trace.suggestion?.reasons.filter((reason) => !reason.startsWith(FAILED_CALL_REASON)) ?? [];
    if (invalid.length > 0)
      badges.createSpan({ cls: "vault-tuner-badge is-invalid", text: "invalid", attr: { title: invalid.join("\n") } });
    top.createSpan({ cls: "vault-tuner-time", text: shortTime(trace.recordedAt), attr: { title: trace.recordedAt } });
    if (summary.args) row.createDiv({ cls: "vault-tuner-args", text: summary.args });
    if (summary.goal) row.createDiv({ cls: "vault-tuner-goal", text: `Goal: ${summary.goal}` });
    if (trace.suggestion) row.createDiv({ cls: "vault-tuner-suggestion", text: trace.suggestion.reasons.join("; ") });
    const result = row.createEl("details", { cls: "vault-tuner-result" });
    if (this.expanded.has(trace.id)) result.setAttribute("open", "");
    result.createEl("summary", { text: trace.error ? "Error" : "Result" });
    result.createEl("pre", { text: resultText(trace) });
    result.addEventListener("toggle", () =>
      result.hasAttribute("open") ? this.expanded.add(trace.id) : this.expanded.delete(trace.id),
    );
    const actions = row.createDiv({ cls: "vault-tuner-actions" });
    actions.createSpan({ cls: "vault-tuner-session", text: trace.session });
    const button = (text: string, label: string, onClick: () => void) =>
      actions.createEl("button", { text, attr: { "aria-label": label } }).addEventListener("click", onClick);
    button("Good", "Thumbs up", () => void this.label([trace.id], "desirable"));
    button("Bad", "Thumbs down", () => void this.label([trace.id], "undesirable"));
    button("Note", "Add a note", () => this.openNote(trace.id));
    button("Correct", "Correct the call", () => this.openCorrection(trace.id));
  }
}
