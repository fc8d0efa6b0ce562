import { CHECK_DESCRIPTIONS, formatRate, type CheckName, type EvalReport, type Rate } from "@vault-tuner/shared";
import type { ReportComparison } from "./scoring/compare-reports";

/**
 * The report as a note: what was run against what, the headline with its interval, every check, every
 * tool, and each failed case with its reasons. Written for people, opened from the plugin's eval panel.
 */
export function reportMarkdown(report: EvalReport): string {
  const { metadata: meta, summary } = report;
  const backend = meta.backend;
  const lines = [
    `# Evaluation ${meta.id}`,
    "",
    `- Prompt set: **${meta.set.title}** (\`${meta.set.id}\`, ${meta.set.cases} cases, toolset ${meta.set.catalog})`,
    `- Backend: **${backend.kind}** \`${backend.model}\`${backend.url ? ` at ${backend.url}` : ""}${backend.grammar_constrained ? " (calls grammar-constrained: schema validity is not comparable with free-running backends)" : ""}`,
    `- Sampling: temperature ${backend.temperature}, top_p ${backend.top_p}, max ${backend.max_tokens} tokens${backend.seed !== undefined ? `, seed ${backend.seed}` : ""}; ${meta.repeat} ${meta.repeat === 1 ? "try" : "tries"} a case`,
    `- Run: started ${meta.created_at}, took ${meta.duration_s} s, Vault Tuner ${meta.version}`,
    ...(meta.training
      ? [
          `- Model trained on ${meta.training.labels} labelled rows${meta.training.dataset ? ` (dataset \`${meta.training.dataset}\`${meta.training.job ? `, training job ${meta.training.job}` : ""})` : ""}${meta.training.file ? `; the ${meta.training.file} file was evaluated` : ""}`,
        ]
      : []),
    "",
    "## Result",
    "",
    `**${summary.passed} of ${summary.total - summary.request_errors} passed: ${formatRate(summary.pass_rate)}** (95% interval ${formatRate(summary.pass_rate_ci95[0])} to ${formatRate(summary.pass_rate_ci95[1])}, ${summary.interval_method === "wilson" ? "Wilson" : "bootstrap over cases"}).`,
    ...(summary.request_errors > 0
      ? [
          "",
          `${summary.request_errors} ${summary.request_errors === 1 ? "try" : "tries"} ended in a request error and ${summary.request_errors === 1 ? "is" : "are"} not scored.`,
        ]
      : []),
    ...(summary.repeats > 1
      ? [
          "",
          `pass^k: ${Object.entries(summary.pass_hat_k)
            .map(([k, value]) => `k=${k} ${formatRate(value)}`)
            .join(", ")}`,
        ]
      : []),
    "",
    `Latency per request: median ${summary.latency_ms.p50 ?? "n/a"} ms, 95th percentile ${summary.latency_ms.p95 ?? "n/a"} ms. Tokens: ${summary.tokens.counted ? `${summary.tokens.prompt} prompt, ${summary.tokens.completion} completion` : "not reported by this backend"}.`,
    "",
    "## Checks",
    "",
    "| check | passed | rate | 95% interval | what it means |",
    "|---|---|---|---|---|",
    ...Object.entries(summary.by_check).map(
      ([check, rate]) =>
        `| ${check} | ${rate.passed}/${rate.total} | ${formatRate(rate.rate)} | ${interval(rate)} | ${CHECK_DESCRIPTIONS[check as CheckName] ?? ""} |`,
    ),
    "",
    "## Tools",
    "",
    "| tool | cases passed | rate | 95% interval |",
    "|---|---|---|---|",
    ...Object.entries(summary.by_tool).map(
      ([tool, rate]) => `| \`${tool}\` | ${rate.passed}/${rate.total} | ${formatRate(rate.rate)} | ${interval(rate)} |`,
    ),
    "",
  ];
  if (summary.top_failure_reasons.length > 0) {
    lines.push(
      "## Most common failures",
      "",
      "| reason | tries |",
      "|---|---|",
      ...summary.top_failure_reasons.map((item) => `| ${escapeCell(item.reason)} | ${item.count} |`),
      "",
    );
  }
  const failed = report.records.filter((record) => record.status !== "passed");
  if (failed.length > 0) {
    lines.push("## Failed cases", "");
    for (const record of failed) {
      lines.push(`### ${record.case_id}${meta.repeat > 1 ? ` (try ${record.attempt})` : ""}`, "");
      if (record.error) lines.push(`Request error: ${record.error}`, "");
      for (const reason of record.failure_reasons) lines.push(`- ${escapeCell(reason)}`);
      if (record.calls.length > 0)
        lines.push(
          "",
          `Calls: ${record.calls.map((call) => `\`${call.tool}\`${call.is_error ? " (error)" : ""}`).join(", ")}`,
        );
      if (record.final_answer) lines.push("", `> ${record.final_answer.replace(/\n/g, " ").slice(0, 300)}`);
      lines.push("");
    }
  }
  return `${lines.join("\n").trimEnd()}\n`;
}

/** `eval compare` as text: the headline, the test, and every case that moved. */
export function comparisonText(comparison: ReportComparison): string {
  const lines = [
    `A ${comparison.a.id} (${comparison.a.backend}): ${formatRate(comparison.a.pass_rate)}`,
    `B ${comparison.b.id} (${comparison.b.backend}): ${formatRate(comparison.b.pass_rate)}`,
    "",
    `${comparison.paired_cases} paired cases: ${comparison.better} better in B, ${comparison.worse} worse; change ${comparison.delta === null ? "n/a" : `${comparison.delta >= 0 ? "+" : ""}${(comparison.delta * 100).toFixed(1)} points`}.`,
    `Sign test (exact, two-sided): p = ${comparison.p_value}: ${comparison.significant ? "significant at 0.05" : "not significant at 0.05"}.`,
  ];
  for (const warning of comparison.warnings) lines.push(`warning: ${warning}`);
  const moved = comparison.cases.filter((item) => item.change !== "same");
  if (moved.length > 0) {
    lines.push("", "case | A | B | change");
    for (const item of moved)
      lines.push(`${item.case_id} | ${formatRate(item.a)} | ${formatRate(item.b)} | ${item.change}`);
  }
  if (comparison.only_in_a.length > 0) lines.push("", `only in A: ${comparison.only_in_a.join(", ")}`);
  if (comparison.only_in_b.length > 0) lines.push("", `only in B: ${comparison.only_in_b.join(", ")}`);
  if (comparison.unscored_in_a.length > 0)
    lines.push("", `not scored in A (request errors only): ${comparison.unscored_in_a.join(", ")}`);
  if (comparison.unscored_in_b.length > 0)
    lines.push("", `not scored in B (request errors only): ${comparison.unscored_in_b.join(", ")}`);
  return `${lines.join("\n")}\n`;
}

function interval(rate: Rate): string {
  return `${formatRate(rate.ci95[0])} to ${formatRate(rate.ci95[1])}`;
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}
