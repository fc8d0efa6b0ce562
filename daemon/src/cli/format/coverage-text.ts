import type { CoverageReport } from "@vault-tuner/shared";

/** The coverage report for people: totals, one table per agent, what is never called, invalid names. */
export function renderCoverage(path: string, report: CoverageReport): string {
  const lines: string[] = [];
  const ratio = report.labelRatio === null ? "n/a" : report.labelRatio.toFixed(2);
  lines.push(`${path} (catalog ${report.catalog})`);
  lines.push(
    `  examples        ${report.examples}${report.unreadable ? ` (+${report.unreadable} unreadable lines)` : ""}`,
  );
  lines.push(`  desirable       ${report.desirable}`);
  lines.push(`  undesirable     ${report.undesirable}`);
  if (report.unlabeled) lines.push(`  unlabelled      ${report.unlabeled}`);
  lines.push(`  label ratio     ${report.desirable}:${report.undesirable} (${ratio})`);
  lines.push(`  tool calls      ${report.calls} (${report.validCalls} valid, ${report.invalidCalls} invalid)`);
  lines.push(
    `  call forms      ${
      Object.entries(report.forms)
        .map(([form, n]) => `${form} ${n}`)
        .join(", ") || "none"
    }`,
  );
  lines.push(`  tools covered   ${report.coveredTools} of ${report.catalogTools}`);
  for (const agent of report.agents) {
    lines.push("", `${agent.agent}`);
    const width = Math.max(4, ...agent.tools.map((t) => t.name.length), ...agent.neverCalled.map((n) => n.length));
    lines.push(`  ${"Tool".padEnd(width)}  ${"Count".padStart(5)}  ${"Good".padStart(5)}  ${"Bad".padStart(5)}`);
    for (const tool of agent.tools) {
      lines.push(
        `  ${tool.name.padEnd(width)}  ${String(tool.count).padStart(5)}  ${String(tool.good).padStart(5)}  ${String(tool.bad).padStart(5)}`,
      );
    }
    for (const name of agent.neverCalled) lines.push(`  ${name.padEnd(width)}  ${"0".padStart(5)}  never called`);
  }
  lines.push(
    "",
    report.neverCalled.length === 0
      ? "Every catalog tool is called."
      : `Never called (${report.neverCalled.length}): ${report.neverCalled.join(", ")}`,
  );
  if (report.invalidNames.length > 0) {
    lines.push("", `Invalid tool names (${report.invalidCalls} calls):`);
    for (const entry of report.invalidNames) {
      lines.push(
        `  ${entry.name} x${entry.count}: line ${entry.lines.join(", ")}${entry.count > entry.lines.length ? ", ..." : ""}`,
      );
    }
  }
  return `${lines.join("\n")}\n`;
}
