import type { RuleId } from "./rules";

/** One finding, located by the file's physical line (1-based). */
export interface ValidationIssue {
  line: number;
  severity: "error" | "warning";
  rule: RuleId;
  message: string;
  /** A tool-level defect in a row labelled false: what an undesirable example is meant to show. */
  expected?: true;
}

/** A finding before it is placed on a line and given its final severity. */
export interface RawIssue {
  rule: RuleId;
  message: string;
}
