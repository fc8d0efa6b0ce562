import type { App } from "obsidian";
import type { Catalog, StoredTrace } from "@vault-tuner/shared";
import type { DaemonClient } from "./connection/daemon-client";
import type { LiveFeed } from "./connection/live-feed";
import type { LabelQueue } from "./labels/label-queue";
import type { DeviceSettings } from "./settings/device-settings";
import type { PluginSettings } from "./settings/plugin-settings";

/** Settings read where they are used, and saved on change. */
export interface SettingsAccess<T> {
  current(): T;
  save(change: Partial<T>): Promise<void>;
}

/**
 * The named parts of the plugin its views, dialogs and commands work with. Each takes only the parts it
 * uses (`Pick<PluginServices, "daemon" | "feed">`), never the plugin itself.
 */
export interface PluginServices {
  app: App;
  daemon: DaemonClient;
  /** Labels go through here: kept while the daemon is away, sent in order when it is back. */
  labels: LabelQueue;
  feed: LiveFeed;
  /** Settings synced with the vault (data.json). */
  settings: SettingsAccess<PluginSettings>;
  /** This device's daemon address and token (local storage, never synced). */
  device: SettingsAccess<DeviceSettings>;
  /** The toolset a recorded call is checked against: the one its session saw, where the daemon has it. */
  catalogFor(trace: StoredTrace): Promise<Catalog>;
  /** Shows one of the plugin's views, opening it in the right sidebar the first time. */
  openView(type: string): Promise<void>;
  /** Where this plugin's copy of the recording tap is on disk, once written. */
  tapPath(): string | undefined;
}
