import { Notice, Plugin, TFile, type WorkspaceLeaf } from "obsidian";
import { builtinCatalog, builtinCatalogWithTool, DEFAULT_CATALOG_ID, type Catalog, type LabelValue, type StoredTrace, type TraceListReply } from "@vault-tuner/shared";
import { registerCommands } from "./commands";
import { DaemonClient } from "./daemon/daemon-client";
import { LiveFeed } from "./daemon/live-feed";
import type { LabelOutcome } from "./labels/label-outcome";
import { LabelQueue } from "./labels/label-queue";
import { EVAL_VIEW_TYPE, EvalView } from "./evals/eval-view";
import { writeTapNextToPlugin } from "./recorder/tap-on-disk";
import { REVIEW_VIEW_TYPE, ReviewView } from "./review/review-view";
import { loadDeviceSettings, type DeviceSettings } from "./settings/device-settings";
import { loadSettings, type PluginSettings } from "./settings/plugin-settings";
import { VaultTunerSettingTab } from "./settings/settings-tab";
import { refreshStatus } from "./status/refresh-status";
import { statusText } from "./status/status-text";

/** How often the status bar looks at the daemon (and offers it the labels kept while it was away). */
const REFRESH_EVERY_MS = 30_000;

/** Lifecycle only: everything the plugin offers is registered from its own file. */
export default class VaultTunerPlugin extends Plugin {
  pluginSettings!: PluginSettings;
  device!: DeviceSettings;
  daemon!: DaemonClient;
  labels!: LabelQueue;
  feed!: LiveFeed;
  /** Where this plugin's copy of the recording tap is on disk (written at load). */
  tapPath: string | undefined;

  override async onload(): Promise<void> {
    const loaded = loadSettings(await this.loadData());
    this.pluginSettings = loaded.settings;
    if (loaded.notes.length > 0) this.notify(`Vault Tuner settings: ${loaded.notes.join("; ")}`);
    this.device = loadDeviceSettings(this.app);
    this.daemon = new DaemonClient(() => this.device);
    this.labels = new LabelQueue({
      initial: this.pluginSettings.labelQueue,
      persist: (queue) => this.saveSettings({ labelQueue: [...queue] }),
      send: (traceId, body) => this.daemon.request("PUT", `/v1/traces/${encodeURIComponent(traceId)}/label`, body),
    });
    this.feed = new LiveFeed(() => this.device);
    this.registerView(REVIEW_VIEW_TYPE, (leaf) => new ReviewView(leaf, this));
    this.registerView(EVAL_VIEW_TYPE, (leaf) => new EvalView(leaf, this));
    this.addRibbonIcon("list-checks", "Review recorded calls", () => void this.openView(REVIEW_VIEW_TYPE));
    registerCommands(this);
    this.addSettingTab(new VaultTunerSettingTab(this));
    const statusBar = this.addStatusBarItem();
    const refresh = () =>
      refreshStatus(this.daemon, this.labels)
        .then((status) => statusBar.setText(statusText(status)))
        .catch((error: unknown) => console.error("Vault Tuner: status refresh failed", error));
    void refresh();
    this.registerInterval(window.setInterval(() => void refresh(), REFRESH_EVERY_MS));
    // Between the regular looks: at once when the daemon comes back (waiting labels go out then), and
    // soon after a job moves (at most once a second, however fast a trainer reports).
    let soon: number | undefined;
    const refreshSoon = () => {
      soon ??= window.setTimeout(() => {
        soon = undefined;
        void refresh();
      }, 1000);
    };
    this.register(
      this.feed.subscribe({
        state: (state) => state === "live" && void refresh(),
        event: (event) => (event.type === "job.state" || event.type === "job.progress") && refreshSoon(),
      }),
    );
    this.register(() => window.clearTimeout(soon));
    this.feed.open();
    this.register(() => this.feed.close());
    this.tapPath = await writeTapNextToPlugin(this.app, this.manifest).catch((error: unknown) => {
      console.error("Vault Tuner: could not write the recording tap", error);
      return undefined;
    });
  }

  /** Shows the plugin's view of this type, opening it in the right sidebar the first time. */
  async openView(type: string): Promise<void> {
    const { workspace } = this.app;
    let leaf: WorkspaceLeaf | null = workspace.getLeavesOfType(type)[0] ?? null;
    if (!leaf) {
      leaf = workspace.getRightLeaf(false);
      if (!leaf) return;
      await leaf.setViewState({ type, active: true });
    }
    await workspace.revealLeaf(leaf);
  }

  /** Labels calls through the queue; each keeps its note, since a label change names only what it changes. */
  async labelTraces(traceIds: string[], label: Exclude<LabelValue, "unlabeled">): Promise<LabelOutcome> {
    const labels = traceIds.map((traceId) => ({ traceId, body: { label } }));
    return { ...(await this.labels.labelMany(labels)), given: labels.length };
  }

  /** Every recorded call of a session, following the daemon's pages. */
  async sessionTraceIds(session: string): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const page: TraceListReply = await this.daemon.request<TraceListReply>("GET", `/v1/traces?session=${encodeURIComponent(session)}&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
      ids.push(...page.items.map((trace) => trace.id));
      cursor = page.nextCursor;
    } while (cursor);
    return ids;
  }

  /** The toolset a call is checked against: the one the settings name, or (auto) the one that has the tool. */
  catalogFor(trace: StoredTrace): Catalog {
    const profile = this.pluginSettings.toolsetProfile;
    const chosen = profile === "auto" ? builtinCatalogWithTool(trace.call.name) : builtinCatalog(profile);
    return chosen ?? (builtinCatalog(DEFAULT_CATALOG_ID) as Catalog);
  }

  async saveSettings(change: Partial<PluginSettings>): Promise<void> {
    this.pluginSettings = { ...this.pluginSettings, ...change };
    await this.saveData(this.pluginSettings);
  }

  /** The file open in the active editor, if it is one. */
  activeFile(): TFile | null {
    return this.app.workspace.getActiveFile();
  }

  notify(message: string, timeoutMs = 8000): void {
    new Notice(message, timeoutMs);
  }
}
