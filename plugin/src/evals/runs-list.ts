import { formatRate, type EvalRunSummary } from "@vault-tuner/shared";
import { shortTime } from "../ui/format";
import { modelLabel, type ModelsReply } from "./model-choices";

/** The stored runs, newest first, one row each; clicking a row selects it. */
export function renderRunsList(
  section: HTMLElement,
  input: {
    runs: EvalRunSummary[];
    selected: string | undefined;
    models: ModelsReply | undefined;
    onSelect: (id: string) => void;
  },
): void {
  section.empty();
  section.createEl("h4", { text: "Runs" });
  if (input.runs.length === 0) {
    section.createDiv({ cls: "vault-tuner-missing", text: "No evaluation has run yet." });
    return;
  }
  const table = section.createEl("table", { cls: "vault-tuner-table" });
  const head = table.createEl("tr");
  for (const title of ["When", "Set", "Model", "Passed"]) head.createEl("th", { text: title });
  for (const run of input.runs) {
    const meta = run.metadata;
    const row = table.createEl("tr", {
      cls: meta.id === input.selected ? "is-selected" : "",
      attr: { "data-run-id": meta.id },
    });
    row.createEl("td", { text: shortTime(meta.created_at) });
    row.createEl("td", { text: meta.set.id });
    row.createEl("td", {
      text: modelLabel(input.models, meta.backend.model),
      attr: {
        title: `${meta.backend.kind}: ${meta.backend.model}${meta.training?.job ? ` (training job ${meta.training.job})` : ""}`,
      },
    });
    row.createEl("td", {
      text: `${formatRate(run.summary.pass_rate)} (${run.summary.passed}/${run.summary.total - run.summary.request_errors})`,
    });
    row.addEventListener("click", () => input.onSelect(meta.id));
  }
}
