import type { Catalog } from "../catalog/catalog-types";
import type { RawIssue, ValidationIssue } from "./issue";
import { inspectRecord, type RecordInspection } from "./inspect-record";
import { PROFILE_SEVERITY, type Profile } from "./profiles";
import { RULES, type RuleId } from "./rules";

export interface ValidatorOptions {
  catalog: Catalog;
  profile: Profile;
}

export interface RuleCount {
  errors: number;
  warnings: number;
  /** Tool-level defects in rows labelled false, counted among the warnings. */
  expected: number;
}

export interface ValidationSummary {
  catalog: string;
  profile: Profile;
  /** Non-blank lines read as records. */
  records: number;
  blankLines: number;
  desirable: number;
  undesirable: number;
  unlabeled: number;
  calls: number;
  errors: number;
  warnings: number;
  expected: number;
  /** Records with at least one error. */
  recordsWithErrors: number;
  byRule: Partial<Record<RuleId, RuleCount>>;
}

/** What one line yields: its findings and, when it parsed, what the record holds. */
export interface LineResult {
  issues: ValidationIssue[];
  inspection?: RecordInspection;
}

/**
 * Validates a JSONL dataset one physical line at a time, keeping only counters: memory does not grow with
 * the file, and one bad line never stops the rest. Findings are returned per line for the caller to
 * stream out.
 */
export class DatasetValidator {
  private readonly counts: ValidationSummary;

  constructor(private readonly options: ValidatorOptions) {
    this.counts = {
      catalog: options.catalog.id,
      profile: options.profile,
      records: 0,
      blankLines: 0,
      desirable: 0,
      undesirable: 0,
      unlabeled: 0,
      calls: 0,
      errors: 0,
      warnings: 0,
      expected: 0,
      recordsWithErrors: 0,
      byRule: {},
    };
  }

  /** A line that could not be read at all (not UTF-8, too long): counted as a record with that error. */
  unreadableLine(line: number, rule: "not-utf8" | "line-too-long", message: string): ValidationIssue[] {
    this.counts.records++;
    return this.finish(line, [{ rule, message }], undefined);
  }

  addLine(text: string, line: number): LineResult {
    const body = withoutBom(text, line);
    if (body.trim() === "") {
      this.counts.blankLines++;
      return { issues: [] };
    }
    this.counts.records++;
    let record: unknown;
    try {
      record = JSON.parse(body);
    } catch (error) {
      return {
        issues: this.finish(
          line,
          [{ rule: "json-parse", message: `not JSON: ${(error as Error).message}` }],
          undefined,
        ),
      };
    }
    const inspection = inspectRecord(record, this.options);
    if (inspection.label === true) this.counts.desirable++;
    else if (inspection.label === false) this.counts.undesirable++;
    else this.counts.unlabeled++;
    this.counts.calls += inspection.calls.length;
    const raw = [...inspection.issues, ...inspection.calls.flatMap((call) => call.issues)];
    return { issues: this.finish(line, raw, inspection.label), inspection };
  }

  summary(): ValidationSummary {
    return { ...this.counts, byRule: { ...this.counts.byRule } };
  }

  /** Gives each finding its line and final severity, and counts it. */
  private finish(line: number, raw: RawIssue[], label: boolean | undefined): ValidationIssue[] {
    const issues = raw.map((issue) => placeIssue(issue, line, label, this.options.profile));
    for (const issue of issues) {
      const count = this.counts.byRule[issue.rule] ?? { errors: 0, warnings: 0, expected: 0 };
      this.counts.byRule[issue.rule] = count;
      if (issue.severity === "error") {
        this.counts.errors++;
        count.errors++;
      } else {
        this.counts.warnings++;
        count.warnings++;
      }
      if (issue.expected) {
        this.counts.expected++;
        count.expected++;
      }
    }
    if (issues.some((issue) => issue.severity === "error")) this.counts.recordsWithErrors++;
    return issues;
  }
}

/** Tool-level defects of a row labelled false are what it is meant to show: reported, as expected warnings. */
export function placeIssue(
  issue: RawIssue,
  line: number,
  label: boolean | undefined,
  profile: Profile,
): ValidationIssue {
  const rule = RULES[issue.rule];
  if (label === false && !rule.structural)
    return { line, severity: "warning", rule: issue.rule, message: issue.message, expected: true };
  const severity = PROFILE_SEVERITY[profile][issue.rule] ?? rule.severity;
  return { line, severity, rule: issue.rule, message: issue.message };
}

/** A UTF-8 byte-order mark at the very start of a file is not part of the first record. */
export function withoutBom(text: string, line: number): string {
  return line === 1 && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
