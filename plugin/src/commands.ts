import type VaultTunerPlugin from "./main";
import { validateDatasetText } from "./validate-dataset";

/** Every command of the plugin, in one place. Ids are stable: never rename one after release. */
export function registerCommands(plugin: VaultTunerPlugin): void {
  plugin.addCommand({
    id: "validate-active-dataset",
    name: "Validate the active JSONL dataset",
    checkCallback: (checking) => {
      const file = plugin.activeFile();
      if (!file || file.extension !== "jsonl") return false;
      if (!checking) {
        plugin.app.vault
          .cachedRead(file)
          .then((text) => plugin.notify(`${file.path}: ${validateDatasetText(text)}`))
          .catch((error: unknown) => plugin.notify(`Vault Tuner could not read ${file.path}: ${String(error)}`));
      }
      return true;
    },
  });
}
