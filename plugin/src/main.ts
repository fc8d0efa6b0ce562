import { Notice, Plugin, TFile } from "obsidian";
import { registerCommands } from "./commands";
import { DaemonClient } from "./daemon/daemon-client";
import { LabelQueue } from "./labels/label-queue";
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
    registerCommands(this);
    this.addSettingTab(new VaultTunerSettingTab(this));
    const statusBar = this.addStatusBarItem();
    const refresh = () =>
      refreshStatus(this.daemon, this.labels)
        .then((status) => statusBar.setText(statusText(status)))
        .catch((error: unknown) => console.error("Vault Tuner: status refresh failed", error));
    void refresh();
    this.registerInterval(window.setInterval(() => void refresh(), REFRESH_EVERY_MS));
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
