import { formatRate, type EvalRunSummary, type ReportComparison } from "@vault-tuner/shared";
import { describeError, shortTime } from "../ui/format";
import { modelLabel, type ModelsReply } from "./model-choices";

export interface ComparisonInput {
  runs: EvalRunSummary[];
  models: ModelsReply | undefined;
  /** Asks the daemon to compare two runs. */
  compare: (a: string, b: string) => Promise<ReportComparison>;
}

/** "Compare two runs": two pickers (the older run the baseline) and, on request, the case-by-case comparison. */
export function renderComparison(section: HTMLElement, input: ComparisonInput): void {
  section.empty();
  if (input.runs.length < 2) return;
  section.createEl("h4", { text: "Compare two runs" });
  const row = section.createDiv({ cls: "vault-tuner-eval-form" });
  const pick = (label: string, index: number) => {
    const select = row.createEl("select", { attr: { "aria-label": label } });
    for (const run of input.runs)
      select.createEl("option", {
        text: `${shortTime(run.metadata.created_at)} · ${run.metadata.set.id} · ${modelLabel(input.models, run.metadata.backend.model)}`,
        attr: { value: run.metadata.id },
      });
    select.value = input.runs[index]?.metadata.id ?? "";
    return select;
  };
  // The older run is the baseline (A), the newer the candidate (B).
  const a = pick("Baseline run", 1);
  const b = pick("Candidate run", 0);
  const result = section.createDiv({ cls: "vault-tuner-comparison" });
  row
    .createEl("button", { text: "Compare" })
    .addEventListener("click", () => void showComparison(result, a.value, b.value, input));
}

async function showComparison(into: HTMLElement, a: string, b: string, input: ComparisonInput): Promise<void> {
  into.empty();
  let comparison: ReportComparison;
  try {
    comparison = await input.compare(a, b);
  } catch (error) {
    into.createDiv({ cls: "vault-tuner-message", text: `Cannot compare: ${describeError(error)}` });
    return;
  }
  const delta =
    comparison.delta === null
      ? "n/a"
      : `${comparison.delta >= 0 ? "+" : ""}${(comparison.delta * 100).toFixed(1)} points`;
  into.createDiv({
    cls: "vault-tuner-comparison-headline",
    text: `${formatRate(comparison.a.pass_rate)} → ${formatRate(comparison.b.pass_rate)} (${delta}) over ${comparison.paired_cases} paired cases: ${comparison.better} better, ${comparison.worse} worse, ${comparison.significant ? "significant" : "not significant"} (p = ${comparison.p_value.toPrecision(2)}).`,
  });
  for (const warning of comparison.warnings) into.createDiv({ cls: "vault-tuner-warning", text: warning });
  checksSideBySide(into, a, b, input.runs);
  const changed = comparison.cases.filter((item) => item.change !== "same");
  if (changed.length === 0) {
    into.createDiv({ cls: "vault-tuner-missing", text: "No case changed." });
    return;
  }
  const table = into.createEl("table", { cls: "vault-tuner-table" });
  const head = table.createEl("tr");
  for (const title of ["Case", "Baseline", "Candidate", "Change"]) head.createEl("th", { text: title });
  for (const item of changed) {
    const row = table.createEl("tr", { cls: `is-${item.change}` });
    row.createEl("td", { text: item.case_id });
    row.createEl("td", { text: formatRate(item.a) });
    row.createEl("td", { text: formatRate(item.b) });
    row.createEl("td", { text: item.change });
  }
}

/** Each check's pass rate in the two runs, next to each other. */
function checksSideBySide(into: HTMLElement, a: string, b: string, runs: EvalRunSummary[]): void {
  const summaryOf = (id: string) => runs.find((run) => run.metadata.id === id)?.summary;
  const [baseline, candidate] = [summaryOf(a), summaryOf(b)];
  if (!baseline || !candidate) return;
  const table = into.createEl("table", { cls: "vault-tuner-table vault-tuner-side-by-side" });
  const head = table.createEl("tr");
  for (const title of ["Check", "Baseline", "Candidate"]) head.createEl("th", { text: title });
  for (const check of new Set([...Object.keys(baseline.by_check), ...Object.keys(candidate.by_check)])) {
    const row = table.createEl("tr");
    row.createEl("td", { text: check });
    for (const summary of [baseline, candidate]) {
      const rate = summary.by_check[check];
      row.createEl("td", { text: rate ? `${formatRate(rate.rate)} (${rate.passed}/${rate.total})` : "not checked" });
    }
  }
}
