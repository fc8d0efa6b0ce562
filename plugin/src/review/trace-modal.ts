import { Modal } from "obsidian";
import type { StoredTrace } from "@vault-tuner/shared";
import type { LabelOutcome } from "../labels/label-outcome";
import type { PluginServices } from "../services";

/** A dialog about one recorded call that ends in a label (the note and correction editors). */
export abstract class TraceModal extends Modal {
  constructor(
    protected readonly services: Pick<PluginServices, "app" | "daemon" | "labels" | "catalogFor">,
    protected readonly trace: StoredTrace,
    /** Told what became of the label the dialog saved. */
    protected readonly done: (outcome: LabelOutcome) => void,
  ) {
    super(services.app);
  }

  override onClose(): void {
    this.contentEl.empty();
  }
}
