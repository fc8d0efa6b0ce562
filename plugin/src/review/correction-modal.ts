import type { Catalog } from "@vault-tuner/shared";
import { checkCorrection } from "./correction";
import { TraceModal } from "./trace-modal";

/**
 * The correction editor: the call the model should have made instead, as a tool and its arguments in
 * JSON, checked against the catalog as the user types. Saving marks the call bad with the correction,
 * which the dataset builder turns into a paired good example.
 */
export class CorrectionModal extends TraceModal {
  override onOpen(): void {
    void this.services.catalogFor(this.trace).then((catalog) => this.build(catalog));
  }

  private build(catalog: Catalog): void {
    this.titleEl.setText("Correct this call");
    this.contentEl.addClass("vault-tuner-correction");
    this.contentEl.createDiv({
      cls: "setting-item-description",
      text: `Checked against ${catalog.title}. Saving marks the recorded call bad and keeps this as the right call.`,
    });
    const tool = this.contentEl.createEl("select", { attr: { "aria-label": "Tool" } });
    const names = [
      this.trace.call.name,
      ...catalog.tools.map((entry) => entry.name).filter((name) => name !== this.trace.call.name),
    ];
    for (const name of names) tool.createEl("option", { text: name, attr: { value: name } });
    tool.value = this.trace.call.name;
    const args = this.contentEl.createEl("textarea", {
      cls: "vault-tuner-correction-args",
      attr: { rows: "14", spellcheck: "false", "aria-label": "Arguments" },
    });
    args.value = JSON.stringify(this.trace.call.arguments, null, 2);
    const problems = this.contentEl.createDiv({ cls: "vault-tuner-problems" });
    const buttons = this.contentEl.createDiv({ cls: "modal-button-container" });
    const save = buttons.createEl("button", { cls: "mod-cta", text: "Save correction" });
    buttons.createEl("button", { text: "Cancel" }).addEventListener("click", () => this.close());
    const check = () => {
      const result = checkCorrection(tool.value, args.value, catalog);
      problems.empty();
      for (const problem of result.ok ? result.warnings : result.problems)
        problems.createDiv({ cls: result.ok ? "is-warning" : "is-error", text: problem });
      save.disabled = !result.ok;
      return result;
    };
    tool.addEventListener("change", check);
    args.addEventListener("input", check);
    check();
    save.addEventListener("click", async () => {
      const result = check();
      if (!result.ok) return;
      this.close();
      // The note stays as it is: a label change names only what it changes.
      const outcome = await this.services.labels.label(this.trace.id, {
        label: "undesirable",
        correction: result.correction,
      });
      this.done({ ...outcome, given: 1 });
    });
  }
}
