import type { ValidationIssue, ValidationSummary } from "@vault-tuner/shared";
import type { Output } from "../output";

const FLUSH_AT = 64 * 1024;

/**
 * Writes `{"issues": [...], "records": N, "summary": {...}}` as the findings arrive, in chunks, so a
 * file with millions of findings never sits in memory. One JSON object in the end, as documented.
 */
export class JsonIssueStream {
  private buffer = '{"issues":[';
  private first = true;

  constructor(private readonly output: Output) {}

  add(issues: ValidationIssue[]): void {
    for (const issue of issues) {
      this.buffer += (this.first ? "" : ",") + JSON.stringify(issue);
      this.first = false;
    }
    if (this.buffer.length >= FLUSH_AT) this.flush();
  }

  end(summary: ValidationSummary): void {
    this.buffer += `],"records":${summary.records},"summary":${JSON.stringify(summary)}}\n`;
    this.flush();
  }

  private flush(): void {
    this.output.out(this.buffer);
    this.buffer = "";
  }
}
