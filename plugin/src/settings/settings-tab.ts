import { LATEST_NEXUS_VERSION } from "@vault-tuner/shared";
import { installRecorder, uninstallRecorder } from "../recorder/recorder-commands";
import { Notice, PluginSettingTab, Setting, type Plugin } from "obsidian";
import { testConnection } from "../connection/connection";
import type { PluginServices } from "../services";
import { checkDaemonUrl, type DeviceSettings } from "./device-settings";
import type { PluginSettings } from "./plugin-settings";
import { describeError } from "../ui/format";

/** The settings page: the daemon (per device), recording, and what the eval panel starts with. */
export class VaultTunerSettingTab extends PluginSettingTab {
  private reconnectTimer: number | undefined;

  constructor(
    plugin: Plugin,
    private readonly services: PluginServices,
  ) {
    super(services.app, plugin);
  }

  override display(): void {
    const { containerEl } = this;
    containerEl.empty();
    const { services } = this;
    const settings = services.settings.current();
    const device = services.device.current();
    new Setting(containerEl).setName("Daemon").setHeading();

    const urlSetting = new Setting(containerEl)
      .setName("Daemon URL")
      .setDesc("Where the Vault Tuner daemon listens on this device (vault-tuner daemon prints it).");
    urlSetting.addText((text) =>
      text.setValue(device.daemonUrl).onChange((value) => {
        const problem = checkDaemonUrl(value.trim());
        urlSetting.descEl.setText(
          problem ?? "Where the Vault Tuner daemon listens on this device (vault-tuner daemon prints it).",
        );
        if (!problem) this.saveDevice({ daemonUrl: value.trim() });
      }),
    );

    new Setting(containerEl)
      .setName("Token")
      .setDesc("From the daemon's token file (~/.vault-tuner/token). Kept on this device only, never in the vault.")
      .addText((text) => {
        text.inputEl.type = "password";
        text
          .setPlaceholder("paste the token")
          .setValue(device.token)
          .onChange((value) => this.saveDevice({ token: value }));
      });

    const status = containerEl.createDiv({ cls: "vault-tuner-connection" });
    new Setting(containerEl).setName("Test connection").addButton((button) =>
      button.setButtonText("Test connection").onClick(async () => {
        status.setText("Connecting…");
        const state = await testConnection(services.daemon);
        status.setText(
          state.ok ? `Connected to Vault Tuner ${state.version}: ${state.platform}` : `Not connected: ${state.message}`,
        );
        status.toggleClass("is-error", !state.ok);
      }),
    );

    new Setting(containerEl).setName("Recording and evaluation").setHeading();
    new Setting(containerEl)
      .setName("Record tool calls")
      .setDesc(
        "Records the calls Claude Desktop makes on this vault: turning this on installs the recorder in its config for this vault, turning it off takes it out. Restart Claude Desktop after.",
      )
      .addToggle((toggle) =>
        toggle
          .setValue(settings.recording)
          .onChange((value) => void (value ? installRecorder(services) : uninstallRecorder(services))),
      );
    new Setting(containerEl)
      .setName("Toolset profile")
      .setDesc("The tools calls are checked against; auto uses the one each recorded session saw.")
      .addDropdown((dropdown) =>
        dropdown
          .addOptions({
            auto: "Auto",
            "claudesidian-3": "Claudesidian 3.x",
            "nexus-5": `Nexus (newest, ${LATEST_NEXUS_VERSION})`,
            "nexus-5.17.2": "Nexus 5.17.2",
          })
          .setValue(settings.toolsetProfile)
          .onChange((value) => this.save({ toolsetProfile: value as PluginSettings["toolsetProfile"] })),
      );
    new Setting(containerEl)
      .setName("Model to train")
      .setDesc(
        "What “Start training” fine-tunes: the name of a base imported into the daemon (vault-tuner base list; vault-tuner base gemma imports Gemma 3 270M), a model folder, or a hub name. Empty: the preset's model.",
      )
      .addText((text) =>
        text
          .setPlaceholder("gemma-3-270m")
          .setValue(settings.trainModel)
          .onChange((value) => this.save({ trainModel: value.trim() })),
      );
    new Setting(containerEl)
      .setName("Default prompt set")
      .setDesc("The evaluation set the eval panel starts with (vault-tuner eval sets lists them).")
      .addText((text) =>
        text.setValue(settings.evalSet).onChange((value) => value.trim() && this.save({ evalSet: value.trim() })),
      );
    new Setting(containerEl)
      .setName("Default backend")
      .setDesc(
        "The kind of model the eval panel selects first. OpenAI-compatible servers are evaluated from the command line: vault-tuner eval run --backend openai --url URL.",
      )
      .addDropdown((dropdown) =>
        dropdown
          .addOptions({
            embedded: "Embedded (the daemon's model)",
            ollama: "Ollama",
            openai: "OpenAI-compatible server",
          })
          .setValue(settings.evalBackend)
          .onChange((value) => this.save({ evalBackend: value as PluginSettings["evalBackend"] })),
      );
  }

  private saveDevice(change: Partial<DeviceSettings>): void {
    void this.services.device.save(change);
    // The live feed follows the new address or token once the typing stops.
    window.clearTimeout(this.reconnectTimer);
    this.reconnectTimer = window.setTimeout(() => this.services.feed.reconnect(), 1000);
  }

  private save(change: Partial<PluginSettings>): void {
    this.services.settings
      .save(change)
      .catch((error: unknown) => new Notice(`Vault Tuner could not save its settings: ${describeError(error)}`, 8000));
  }
}
