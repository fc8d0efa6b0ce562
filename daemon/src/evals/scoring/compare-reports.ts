import { formatRate, type EvalRecord, type EvalReport, type ReportComparison } from "@vault-tuner/shared";
import { round, signTest } from "./statistics";

export type { ReportComparison };
export type CaseDifference = ReportComparison["cases"][number];

export const SIGNIFICANCE = 0.05;

/**
 * Case-by-case comparison of two runs of the same prompt set. Each case is paired with itself, so a
 * model that fixes three cases and breaks three others is not reported as "no change" by accident, and
 * a two-point move on 40 cases is not called an improvement without the test saying so.
 */
export function compareReports(a: EvalReport, b: EvalReport): ReportComparison {
  const warnings: string[] = [];
  if (a.metadata.set.id !== b.metadata.set.id)
    warnings.push(
      `the runs used different prompt sets (${a.metadata.set.id} and ${b.metadata.set.id}): only cases with the same id are paired`,
    );
  else {
    const changed = changedCases(a, b);
    if (changed.length > 0)
      warnings.push(
        `prompt set ${a.metadata.set.id} changed between the runs (${changed.slice(0, 5).join(", ")}${changed.length > 5 ? ` and ${changed.length - 5} more` : ""}): those paired cases may not be the same tasks`,
      );
  }
  if (a.metadata.backend.grammar_constrained !== b.metadata.backend.grammar_constrained)
    warnings.push(
      "one backend constrains calls with a grammar and the other does not: schema validity is not comparable",
    );
  const rateA = caseRates(a.records);
  const rateB = caseRates(b.records);
  const ranA = new Set(a.records.map((record) => record.case_id));
  const ranB = new Set(b.records.map((record) => record.case_id));
  const cases: CaseDifference[] = [];
  for (const [id, valueA] of rateA) {
    const valueB = rateB.get(id);
    if (valueB === undefined) continue;
    cases.push({ case_id: id, a: round(valueA), b: round(valueB), change: changeOf(valueA, valueB) });
  }
  const test = signTest(cases.map((item) => item.b - item.a));
  const meanA = cases.length ? cases.reduce((sum, item) => sum + item.a, 0) / cases.length : undefined;
  const meanB = cases.length ? cases.reduce((sum, item) => sum + item.b, 0) / cases.length : undefined;
  return {
    a: {
      id: a.metadata.id,
      pass_rate: a.summary.pass_rate,
      backend: `${a.metadata.backend.kind}:${a.metadata.backend.model}`,
    },
    b: {
      id: b.metadata.id,
      pass_rate: b.summary.pass_rate,
      backend: `${b.metadata.backend.kind}:${b.metadata.backend.model}`,
    },
    delta: meanA === undefined || meanB === undefined ? null : round(meanB - meanA),
    paired_cases: cases.length,
    better: test.better,
    worse: test.worse,
    p_value: test.pValue,
    significant: test.pValue < SIGNIFICANCE,
    cases: cases.sort((x, y) => Math.abs(y.b - y.a) - Math.abs(x.b - x.a) || x.case_id.localeCompare(y.case_id)),
    only_in_a: [...ranA].filter((id) => !ranB.has(id)),
    only_in_b: [...ranB].filter((id) => !ranA.has(id)),
    unscored_in_a: [...ranA].filter((id) => ranB.has(id) && !rateA.has(id)),
    unscored_in_b: [...ranB].filter((id) => ranA.has(id) && !rateB.has(id)),
    warnings,
  };
}

export interface GateOptions {
  /** The lowest pass rate that passes the gate (0..1). */
  failUnder?: number;
  /** A baseline run: the gate fails when this run is significantly worse on the paired cases. */
  baseline?: EvalReport;
}

/** The gate a pipeline applies before promoting a model; `reasons` is empty when it passes. */
export function checkGate(
  report: EvalReport,
  options: GateOptions,
): { passed: boolean; reasons: string[]; comparison?: ReportComparison } {
  const reasons: string[] = [];
  const rate = report.summary.pass_rate;
  if (options.failUnder !== undefined) {
    if (rate === null) reasons.push("no case could be scored (request errors only)");
    else if (rate < options.failUnder)
      reasons.push(`pass rate ${formatRate(rate)} is under the required ${formatRate(options.failUnder)}`);
  }
  let comparison: ReportComparison | undefined;
  if (options.baseline) {
    comparison = compareReports(options.baseline, report);
    if (comparison.significant && (comparison.delta ?? 0) < 0) {
      reasons.push(
        `significantly worse than ${options.baseline.metadata.id}: ${comparison.worse} cases worse, ${comparison.better} better (p = ${comparison.p_value})`,
      );
    }
  }
  return { passed: reasons.length === 0, reasons, ...(comparison ? { comparison } : {}) };
}

/**
 * Paired cases whose task differs between the runs: by each case's own hash where both reports have them
 * (different selections of an unchanged set compare clean); older reports only say whether the whole run
 * set changed, which for different selections it always does.
 */
function changedCases(a: EvalReport, b: EvalReport): string[] {
  const [hashesA, hashesB] = [a.metadata.set.case_sha256, b.metadata.set.case_sha256];
  const paired = [...new Set(a.records.map((record) => record.case_id))].filter((id) =>
    b.records.some((record) => record.case_id === id),
  );
  if (hashesA && hashesB)
    return paired.filter((id) => hashesA[id] !== undefined && hashesB[id] !== undefined && hashesA[id] !== hashesB[id]);
  return a.metadata.set.sha256 === b.metadata.set.sha256 ? [] : paired;
}

function caseRates(records: EvalRecord[]): Map<string, number> {
  const tallies = new Map<string, { tries: number; passes: number }>();
  for (const record of records) {
    if (record.status === "request-error") continue;
    const tally = tallies.get(record.case_id) ?? { tries: 0, passes: 0 };
    tally.tries += 1;
    if (record.status === "passed") tally.passes += 1;
    tallies.set(record.case_id, tally);
  }
  return new Map([...tallies].map(([id, tally]) => [id, tally.passes / tally.tries]));
}

function changeOf(a: number, b: number): CaseDifference["change"] {
  if (a === b) return "same";
  if (a === 0 && b === 1) return "fixed";
  if (a === 1 && b === 0) return "broken";
  return b > a ? "better" : "worse";
}
