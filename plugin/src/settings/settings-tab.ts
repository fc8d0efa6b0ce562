import { installRecorder, uninstallRecorder } from "../recorder/recorder-commands";
import { PluginSettingTab, Setting } from "obsidian";
import { testConnection } from "../daemon/connection";
import type VaultTunerPlugin from "../main";
import { checkDaemonUrl, saveDeviceSettings } from "./device-settings";
import type { PluginSettings } from "./plugin-settings";
import { describeError } from "../ui/format";

/** The settings page: the daemon (per device), recording, and what the eval panel starts with. */
export class VaultTunerSettingTab extends PluginSettingTab {
  private reconnectTimer: number | undefined;

  constructor(private readonly owner: VaultTunerPlugin) {
    super(owner.app, owner);
  }

  override display(): void {
    const { containerEl } = this;
    containerEl.empty();
    const plugin = this.owner;
    new Setting(containerEl).setName("Daemon").setHeading();

    const urlSetting = new Setting(containerEl).setName("Daemon URL").setDesc("Where the Vault Tuner daemon listens on this device (vault-tuner daemon prints it).");
    urlSetting.addText((text) =>
      text.setValue(plugin.device.daemonUrl).onChange((value) => {
        const problem = checkDaemonUrl(value.trim());
        urlSetting.descEl.setText(problem ?? "Where the Vault Tuner daemon listens on this device (vault-tuner daemon prints it).");
        if (!problem) this.saveDevice({ daemonUrl: value.trim() });
      }),
    );

    new Setting(containerEl)
      .setName("Token")
      .setDesc("From the daemon's token file (~/.vault-tuner/token). Kept on this device only, never in the vault.")
      .addText((text) => {
        text.inputEl.type = "password";
        text.setPlaceholder("paste the token").setValue(plugin.device.token).onChange((value) => this.saveDevice({ token: value }));
      });

    const status = containerEl.createDiv({ cls: "vault-tuner-connection" });
    new Setting(containerEl).setName("Test connection").addButton((button) =>
      button.setButtonText("Test connection").onClick(async () => {
        status.setText("Connecting…");
        const state = await testConnection(plugin.daemon);
        status.setText(state.ok ? `Connected to Vault Tuner ${state.version}: ${state.platform}` : `Not connected: ${state.message}`);
        status.toggleClass("is-error", !state.ok);
      }),
    );

    new Setting(containerEl).setName("Recording and evaluation").setHeading();
    new Setting(containerEl)
      .setName("Record tool calls")
      .setDesc("Records the calls Claude Desktop makes on this vault: turning this on installs the recorder in its config for this vault, turning it off takes it out. Restart Claude Desktop after.")
      .addToggle((toggle) => toggle.setValue(plugin.pluginSettings.recording).onChange((value) => void (value ? installRecorder(plugin) : uninstallRecorder(plugin))));
    new Setting(containerEl)
      .setName("Toolset profile")
      .setDesc("The tools calls are checked against; auto uses the one each recorded session saw.")
      .addDropdown((dropdown) =>
        dropdown
          .addOptions({ auto: "Auto", "claudesidian-3": "Claudesidian 3.x", "nexus-5": "Nexus 5.x" })
          .setValue(plugin.pluginSettings.toolsetProfile)
          .onChange((value) => this.save({ toolsetProfile: value as PluginSettings["toolsetProfile"] })),
      );
    new Setting(containerEl)
      .setName("Model to train")
      .setDesc("What “Start training” fine-tunes: the name of a base imported into the daemon (vault-tuner base list; vault-tuner base gemma imports Gemma 3 270M), a model folder, or a hub name. Empty: the preset's model.")
      .addText((text) => text.setPlaceholder("gemma-3-270m").setValue(plugin.pluginSettings.trainModel).onChange((value) => this.save({ trainModel: value.trim() })));
    new Setting(containerEl)
      .setName("Default prompt set")
      .setDesc("The evaluation set the eval panel starts with (vault-tuner eval sets lists them).")
      .addText((text) => text.setValue(plugin.pluginSettings.evalSet).onChange((value) => value.trim() && this.save({ evalSet: value.trim() })));
    new Setting(containerEl)
      .setName("Default backend")
      .setDesc("The kind of model the eval panel selects first. OpenAI-compatible servers are evaluated from the command line: vault-tuner eval run --backend openai --url URL.")
      .addDropdown((dropdown) =>
        dropdown
          .addOptions({ embedded: "Embedded (the daemon's model)", ollama: "Ollama", openai: "OpenAI-compatible server" })
          .setValue(plugin.pluginSettings.evalBackend)
          .onChange((value) => this.save({ evalBackend: value as PluginSettings["evalBackend"] })),
      );
  }

  private saveDevice(change: Partial<VaultTunerPlugin["device"]>): void {
    this.owner.device = { ...this.owner.device, ...change };
    saveDeviceSettings(this.owner.app, this.owner.device);
    // The live feed follows the new address or token once the typing stops.
    window.clearTimeout(this.reconnectTimer);
    this.reconnectTimer = window.setTimeout(() => this.owner.feed.reconnect(), 1000);
  }

  private save(change: Partial<PluginSettings>): void {
    this.owner.saveSettings(change).catch((error: unknown) => this.owner.notify(`Vault Tuner could not save its settings: ${describeError(error)}`));
  }
}
