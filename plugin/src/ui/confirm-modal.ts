import { Modal, type App } from "obsidian";

export interface ConfirmOptions {
  title: string;
  /** What will happen, one paragraph a line. */
  lines: string[];
  /** The button that goes ahead ("Start training"). */
  confirm: string;
}

/** Asks before something long or costly starts: resolves true only when the user presses the confirm button. */
export class ConfirmModal extends Modal {
  private answer = false;
  private resolve: ((confirmed: boolean) => void) | undefined;

  constructor(
    app: App,
    private readonly options: ConfirmOptions,
  ) {
    super(app);
  }

  ask(): Promise<boolean> {
    return new Promise((resolve) => {
      this.resolve = resolve;
      this.open();
    });
  }

  override onOpen(): void {
    this.titleEl.setText(this.options.title);
    for (const line of this.options.lines) this.contentEl.createEl("p", { text: line });
    const buttons = this.contentEl.createDiv({ cls: "modal-button-container" });
    buttons.createEl("button", { cls: "mod-cta", text: this.options.confirm }).addEventListener("click", () => {
      this.answer = true;
      this.close();
    });
    buttons.createEl("button", { text: "Cancel" }).addEventListener("click", () => this.close());
  }

  override onClose(): void {
    this.contentEl.empty();
    this.resolve?.(this.answer);
  }
}
