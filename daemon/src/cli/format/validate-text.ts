import { RULES, type RuleId, type ValidationIssue, type ValidationSummary } from "@vault-tuner/shared";

/** Findings shown per rule unless --all; the rest are counted. */
const SAMPLE_PER_RULE = 10;

interface RuleGroup {
  shown: ValidationIssue[];
  total: number;
}

/**
 * The validator's report for people: errors first, then warnings, then the defects undesirable rows are
 * expected to show, each grouped by rule with its lines, what was found and what to fix.
 */
export class TextReport {
  private readonly groups = new Map<string, RuleGroup>();

  constructor(
    private readonly path: string,
    private readonly showAll: boolean,
  ) {}

  add(issues: ValidationIssue[]): void {
    for (const issue of issues) {
      const key = `${issue.expected ? "expected" : issue.severity}:${issue.rule}`;
      const group = this.groups.get(key) ?? { shown: [], total: 0 };
      group.total++;
      if (this.showAll || (group.shown.length < SAMPLE_PER_RULE && !issue.expected)) group.shown.push(issue);
      this.groups.set(key, group);
    }
  }

  render(summary: ValidationSummary): string {
    const lines: string[] = [];
    lines.push(
      `${this.path}: ${summary.records} records (${summary.desirable} desirable, ${summary.undesirable} undesirable, ${summary.unlabeled} unlabelled), ${summary.calls} tool calls`,
    );
    lines.push(`catalog ${summary.catalog}, profile ${summary.profile}`);
    for (const [title, prefix] of [
      ["ERRORS", "error:"],
      ["WARNINGS", "warning:"],
      ["EXPECTED IN UNDESIRABLE ROWS (label false)", "expected:"],
    ] as const) {
      const groups = [...this.groups].filter(([key]) => key.startsWith(prefix)).sort((a, b) => b[1].total - a[1].total);
      if (groups.length === 0) continue;
      lines.push("", `${title}`);
      for (const [key, group] of groups) {
        const rule = key.slice(prefix.length) as RuleId;
        lines.push(`  ${rule} (${group.total}): ${RULES[rule].fix}`);
        for (const issue of group.shown) lines.push(`    line ${issue.line}: ${issue.message}`);
        const hidden = group.total - group.shown.length;
        if (hidden > 0)
          lines.push(
            `    ... ${hidden} more${this.showAll ? "" : " (--all lists every one, --json gives them to programs)"}`,
          );
      }
    }
    lines.push("");
    const verdict = summary.errors === 0 ? "OK" : "FAILED";
    lines.push(
      `${verdict}: ${summary.errors} errors in ${summary.recordsWithErrors} records, ${summary.warnings} warnings (${summary.expected} expected in undesirable rows)`,
    );
    return `${lines.join("\n")}\n`;
  }
}
