import { Modal, Setting, type App } from "obsidian";
import { DEFAULT_PUBLISH_PARTS, PUBLISH_PARTS, type PublishOptions, type RegisteredModel } from "@vault-tuner/shared";

/** What each part is, as the form says it. */
const PART_WORDS: Record<(typeof PUBLISH_PARTS)[number], [string, string]> = {
  adapter: ["LoRA adapter", "Small; loads on top of the base model."],
  merged: ["Merged model", "The base with the adapter folded in (safetensors); as large as the base. Needs an export."],
  gguf: ["GGUF files", "The quantized files Ollama and llama.cpp run. Needs an export."],
};

export interface PublishChoice {
  model: RegisteredModel;
  options: PublishOptions;
}

/**
 * The publish form: which model, which Hub repo, what goes. Resolves with the choice when the user asks to
 * review the files, undefined when the form is closed; nothing is sent from here.
 */
export class PublishFormModal extends Modal {
  private choice: PublishChoice | undefined;
  private resolve: ((choice: PublishChoice | undefined) => void) | undefined;

  constructor(
    app: App,
    private readonly models: RegisteredModel[],
    private readonly lastRepo: string,
  ) {
    super(app);
  }

  ask(): Promise<PublishChoice | undefined> {
    return new Promise((resolve) => {
      this.resolve = resolve;
      this.open();
    });
  }

  override onOpen(): void {
    this.titleEl.setText("Publish a model to Hugging Face");
    let model = this.models[0] as RegisteredModel;
    let repo = this.lastRepo;
    // Private unless the user says otherwise: a public repo is one click away, an accidental one is not undone.
    let isPrivate = true;
    let dataset = false;
    const parts = new Set(DEFAULT_PUBLISH_PARTS);
    new Setting(this.contentEl).setName("Model").addDropdown((dropdown) =>
      dropdown
        .addOptions(Object.fromEntries(this.models.map((entry) => [entry.id, entry.name])))
        .setValue(model.id)
        .onChange((id) => {
          model = this.models.find((entry) => entry.id === id) ?? model;
        }),
    );
    new Setting(this.contentEl)
      .setName("Repository")
      .setDesc("OWNER/NAME on the Hub; created if it does not exist.")
      .addText((text) =>
        text
          .setPlaceholder("alice/vault-tools")
          .setValue(repo)
          .onChange((value) => {
            repo = value.trim();
          }),
      );
    new Setting(this.contentEl)
      .setName("Private repository")
      .addToggle((toggle) => toggle.setValue(isPrivate).onChange((value) => (isPrivate = value)));
    for (const part of PUBLISH_PARTS) {
      const [name, description] = PART_WORDS[part];
      new Setting(this.contentEl)
        .setName(name)
        .setDesc(description)
        .addToggle((toggle) =>
          toggle.setValue(parts.has(part)).onChange((on) => (on ? parts.add(part) : parts.delete(part))),
        );
    }
    new Setting(this.contentEl)
      .setName("Training dataset")
      .setDesc("Off: the card gives counts only. On: the rows go too, with the text of your recorded calls.")
      .addToggle((toggle) => toggle.setValue(dataset).onChange((value) => (dataset = value)));
    new Setting(this.contentEl).addButton((button) =>
      button
        .setButtonText("Review files")
        .setCta()
        .onClick(() => {
          this.choice = { model, options: { repo, private: isPrivate, what: [...parts], dataset } };
          this.close();
        }),
    );
  }

  override onClose(): void {
    this.contentEl.empty();
    this.resolve?.(this.choice);
  }
}
