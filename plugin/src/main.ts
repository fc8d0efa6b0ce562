import { Notice, Plugin, TFile } from "obsidian";
import { registerCommands } from "./commands";

/** Lifecycle only: everything the plugin offers is registered from its own file. */
export default class VaultTunerPlugin extends Plugin {
  override async onload(): Promise<void> {
    registerCommands(this);
  }

  /** The file open in the active editor, if it is one. */
  activeFile(): TFile | null {
    return this.app.workspace.getActiveFile();
  }

  notify(message: string, timeoutMs = 8000): void {
    new Notice(message, timeoutMs);
  }
}
