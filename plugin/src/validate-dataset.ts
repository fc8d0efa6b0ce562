import { builtinCatalog, DatasetValidator, DEFAULT_CATALOG_ID, RULES, type RuleId } from "@vault-tuner/shared";

/**
 * Validates a dataset held in memory (a vault file) with the shared validator and sums it up in one
 * paragraph: record counts, then the most frequent errors by rule.
 */
export function validateDatasetText(text: string, catalogId = DEFAULT_CATALOG_ID): string {
  const catalog = builtinCatalog(catalogId);
  if (!catalog) return `unknown catalog ${catalogId}`;
  const validator = new DatasetValidator({ catalog, profile: "strict" });
  const firstLines = new Map<RuleId, number>();
  text.split("\n").forEach((line, index) => {
    for (const issue of validator.addLine(line.endsWith("\r") ? line.slice(0, -1) : line, index + 1).issues) {
      if (issue.severity === "error" && !firstLines.has(issue.rule)) firstLines.set(issue.rule, issue.line);
    }
  });
  const summary = validator.summary();
  const head = `${summary.records} records (${summary.desirable} good / ${summary.undesirable} bad), ${summary.calls} calls`;
  if (summary.errors === 0) return `${head}: no errors, ${summary.warnings} warnings.`;
  const worst = Object.entries(summary.byRule)
    .filter(([, count]) => count.errors > 0)
    .sort((a, b) => b[1].errors - a[1].errors)
    .slice(0, 3)
    .map(
      ([rule, count]) =>
        `${rule} x${count.errors} (first on line ${firstLines.get(rule as RuleId)}): ${RULES[rule as RuleId].fix}`,
    );
  return `${head}: ${summary.errors} errors. ${worst.join(" ")}`;
}
