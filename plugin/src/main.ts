import { ROUTES } from "@vault-tuner/shared";
import { Notice, Plugin } from "obsidian";
import { registerCommands } from "./commands";
import { DaemonClient } from "./connection/daemon-client";
import { LiveFeed } from "./connection/live-feed";
import { LabelQueue } from "./labels/label-queue";
import { EVAL_VIEW_TYPE, EvalView } from "./evals/eval-view";
import { writeTapNextToPlugin } from "./recorder/tap-on-disk";
import { sessionCatalog } from "./review/catalog-for";
import { REVIEW_VIEW_TYPE, ReviewView } from "./review/review-view";
import type { PluginServices } from "./services";
import { loadDeviceSettings, saveDeviceSettings, type DeviceSettings } from "./settings/device-settings";
import { loadSettings, type PluginSettings } from "./settings/plugin-settings";
import { VaultTunerSettingTab } from "./settings/settings-tab";
import { refreshStatus } from "./status/refresh-status";
import { statusText } from "./status/status-text";
import { openView } from "./ui/open-view";

/** How often the status bar looks at the daemon (and offers it the labels kept while it was away). */
const REFRESH_EVERY_MS = 30_000;

/** Lifecycle only: the plugin's parts are made here and handed, by name, to what registers from its own file. */
export default class VaultTunerPlugin extends Plugin {
  /** The plugin's parts, made at load. */
  services!: PluginServices;

  override async onload(): Promise<void> {
    const loaded = loadSettings(await this.loadData());
    let settings: PluginSettings = loaded.settings;
    if (loaded.notes.length > 0) new Notice(`Vault Tuner settings: ${loaded.notes.join("; ")}`, 8000);
    let device: DeviceSettings = loadDeviceSettings(this.app);
    let tapPath: string | undefined;
    const saveSettings = async (change: Partial<PluginSettings>) => {
      settings = { ...settings, ...change };
      await this.saveData(settings);
    };
    const daemon = new DaemonClient(() => device);
    const services: PluginServices = {
      app: this.app,
      daemon,
      labels: new LabelQueue({
        initial: settings.labelQueue,
        persist: (queue) => saveSettings({ labelQueue: [...queue] }),
        send: async (traceId, body) => {
          await daemon.call(ROUTES.labelTrace, { params: { id: traceId }, body });
        },
      }),
      feed: new LiveFeed(() => device),
      settings: { current: () => settings, save: saveSettings },
      device: {
        current: () => device,
        save: async (change) => {
          device = { ...device, ...change };
          saveDeviceSettings(this.app, device);
        },
      },
      catalogFor: (trace) =>
        sessionCatalog(settings.toolsetProfile, trace, (hash) => daemon.call(ROUTES.getToolset, { params: { hash } })),
      openView: (type) => openView(this.app, type),
      tapPath: () => tapPath,
    };
    this.services = services;
    this.registerView(REVIEW_VIEW_TYPE, (leaf) => new ReviewView(leaf, services));
    this.registerView(EVAL_VIEW_TYPE, (leaf) => new EvalView(leaf, services));
    this.addRibbonIcon("list-checks", "Review recorded calls", () => void services.openView(REVIEW_VIEW_TYPE));
    registerCommands(this, services);
    this.addSettingTab(new VaultTunerSettingTab(this, services));
    this.startStatusBar(services);
    services.feed.open();
    this.register(() => services.feed.close());
    tapPath = await writeTapNextToPlugin(this.app, this.manifest).catch((error: unknown) => {
      console.error("Vault Tuner: could not write the recording tap", error);
      return undefined;
    });
  }

  /** The status bar: the connection, the running job and labels waiting, looked at regularly and when something moves. */
  private startStatusBar({ daemon, labels, feed }: Pick<PluginServices, "daemon" | "labels" | "feed">): void {
    const statusBar = this.addStatusBarItem();
    const refresh = () =>
      refreshStatus(daemon, labels)
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
      feed.subscribe({
        state: (state) => state === "live" && void refresh(),
        event: (event) => (event.type === "job.state" || event.type === "job.progress") && refreshSoon(),
      }),
    );
    this.register(() => window.clearTimeout(soon));
  }
}
