import { Notice, Plugin, TFile } from "obsidian";
import { registerCommands } from "./commands";
import { DaemonClient } from "./daemon/daemon-client";
import { LabelQueue } from "./labels/label-queue";
import { loadDeviceSettings, type DeviceSettings } from "./settings/device-settings";
import { loadSettings, type PluginSettings } from "./settings/plugin-settings";
import { VaultTunerSettingTab } from "./settings/settings-tab";

/** How often labels kept while the daemon was away are offered to it again. */
const FLUSH_EVERY_MS = 30_000;

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
    this.registerInterval(window.setInterval(() => void this.labels.flush().catch((error: unknown) => console.error("Vault Tuner: sending queued labels failed", error)), FLUSH_EVERY_MS));
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
