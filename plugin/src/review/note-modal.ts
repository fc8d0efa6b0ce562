import type { TraceDetail } from "@vault-tuner/shared";
import { currentVerdict } from "../labels/label-body";
import { TraceModal } from "./trace-modal";

/**
 * A note on a call: why it is good or bad, in the user's words (kept with the label, shown in datasets'
 * review). The label stays as it is; a correction stays while the call is marked bad.
 */
export class NoteModal extends TraceModal {
  override onOpen(): void {
    this.titleEl.setText("Note on this call");
    const text = this.contentEl.createEl("textarea", {
      cls: "vault-tuner-note-text",
      attr: { rows: "5", "aria-label": "Note" },
    });
    let detail: TraceDetail | undefined;
    void currentVerdict(this.services.daemon, this.trace.id).then((loaded) => {
      detail = loaded;
      if (!text.value) text.value = loaded?.note ?? "";
    });
    const buttons = this.contentEl.createDiv({ cls: "modal-button-container" });
    const save = buttons.createEl("button", { cls: "mod-cta", text: "Save note" });
    buttons.createEl("button", { text: "Cancel" }).addEventListener("click", () => this.close());
    save.addEventListener("click", () => {
      // Only the note changes (an emptied one is cleared); the label and any correction stay.
      const body = { label: detail?.label ?? this.trace.label, note: text.value.trim() || null };
      this.close();
      void this.services.labels.label(this.trace.id, body).then((result) => this.done({ ...result, given: 1 }));
    });
    text.focus();
  }
}
