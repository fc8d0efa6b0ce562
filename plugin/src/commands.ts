import { Notice, type Plugin } from "obsidian";
import { testConnection } from "./connection/connection";
import { labelLastCall } from "./labels/label-last-call";
import type { PluginServices } from "./services";
import { EVAL_VIEW_TYPE } from "./evals/eval-view";
import { buildDataset, cancelRunningJob, deployLastModel, startTraining } from "./jobs/job-commands";
import { publishModel } from "./publish/publish-command";
import { installRecorder, uninstallRecorder } from "./recorder/recorder-commands";
import { REVIEW_VIEW_TYPE } from "./review/review-view";
import { validateDatasetText } from "./validate-dataset";
import { describeError } from "./ui/format";

const notify = (message: string) => new Notice(message, 8000);

/** Every command of the plugin, in one place. Ids are stable: never rename one after release. */
export function registerCommands(plugin: Plugin, services: PluginServices): void {
  plugin.addCommand({
    id: "validate-active-dataset",
    name: "Validate the active JSONL dataset",
    checkCallback: (checking) => {
      const file = services.app.workspace.getActiveFile();
      if (file?.extension !== "jsonl") return false;
      if (!checking) {
        services.app.vault
          .cachedRead(file)
          .then((text) => notify(`${file.path}: ${validateDatasetText(text)}`))
          .catch((error: unknown) => notify(`Vault Tuner could not read ${file.path}: ${describeError(error)}`));
      }
      return true;
    },
  });
  for (const [id, name, label] of [
    ["label-last-call-good", "Label the last call good", "desirable"],
    ["label-last-call-bad", "Label the last call bad", "undesirable"],
  ] as const) {
    plugin.addCommand({
      id,
      name,
      callback: () => {
        labelLastCall(services.daemon, services.labels, label)
          .then((message) => notify(message))
          .catch((error: unknown) => notify(`Vault Tuner could not label the call: ${describeError(error)}`));
      },
    });
  }
  plugin.addCommand({
    id: "open-review",
    name: "Open the review of recorded calls",
    callback: () => void services.openView(REVIEW_VIEW_TYPE),
  });
  plugin.addCommand({
    id: "open-eval-panel",
    name: "Open the evaluation panel",
    callback: () => void services.openView(EVAL_VIEW_TYPE),
  });
  for (const [id, name, run] of [
    ["build-dataset", "Build a dataset from labelled calls", buildDataset],
    ["start-training", "Start training", startTraining],
    ["cancel-running-job", "Cancel the running job", cancelRunningJob],
    ["deploy-last-model", "Deploy the last trained model", deployLastModel],
    ["publish-model", "Publish a model to Hugging Face", publishModel],
    ["install-recorder", "Install the recorder for this vault", installRecorder],
    ["uninstall-recorder", "Uninstall the recorder for this vault", uninstallRecorder],
  ] as const) {
    plugin.addCommand({ id, name, callback: () => void run(services) });
  }
  plugin.addCommand({
    id: "show-daemon-status",
    name: "Show daemon status",
    callback: () => {
      testConnection(services.daemon)
        .then((state) => {
          const waiting = services.labels.pending.length;
          const queue = waiting > 0 ? ` ${waiting} label${waiting === 1 ? "" : "s"} waiting to be sent.` : "";
          notify(
            state.ok
              ? `Vault Tuner ${state.version} is running at ${services.device.current().daemonUrl} (${state.platform}).${queue}`
              : `Vault Tuner daemon: ${state.message}.${queue}`,
          );
        })
        .catch((error: unknown) => notify(`Vault Tuner: ${describeError(error)}`));
    },
  });
}
