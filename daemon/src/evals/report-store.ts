import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { writeFileAtomically } from "../config/write-file-atomically";
import { EvalReportSchema, type EvalReport, describeError } from "@vault-tuner/shared";
import { reportMarkdown } from "./report-markdown";

/** Reports live in the data dir under evals/runs/<id>/ (report.json and report.md), for the CLI, the daemon and the plugin alike. */
export function reportsDir(dataDir: string): string {
  return join(dataDir, "evals", "runs");
}

export interface SavedReport {
  json: string;
  markdown: string;
}

/** Writes the JSON and the Markdown note, each complete or not at all. */
export function saveReport(
  report: EvalReport,
  json: string,
  markdown = join(dirname(json), `${basenameWithout(json)}.md`),
): SavedReport {
  writeFileAtomically(json, `${JSON.stringify(report, null, 2)}\n`);
  writeFileAtomically(markdown, reportMarkdown(report));
  return { json, markdown };
}

export function saveToDataDir(report: EvalReport, dataDir: string): SavedReport {
  const folder = join(reportsDir(dataDir), report.metadata.id);
  return saveReport(report, join(folder, "report.json"), join(folder, "report.md"));
}

/** Reads and checks a report file; a file that is not one says so, with the field. */
export function readReport(file: string): EvalReport {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new Error(
      `${file}: ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : `not valid JSON: ${describeError(error)}`}`,
    );
  }
  const parsed = EvalReportSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${file}: not an evaluation report (${issue?.path.join(".") || "top level"}: ${issue?.message})`);
  }
  return parsed.data;
}

/** The runs stored in the data dir, newest first (a folder without a readable report is skipped). */
export function listReports(dataDir: string): EvalReport[] {
  const folder = reportsDir(dataDir);
  if (!existsSync(folder)) return [];
  const reports: EvalReport[] = [];
  for (const id of readdirSync(folder)) {
    const file = join(folder, id, "report.json");
    if (!existsSync(file)) continue;
    try {
      reports.push(readReport(file));
    } catch {
      // Half-written or foreign files are not listed; reading one by id reports why.
    }
  }
  return reports.sort((a, b) => b.metadata.created_at.localeCompare(a.metadata.created_at));
}

function basenameWithout(file: string): string {
  return (file.split(/[\\/]/).pop() ?? file).replace(/\.json$/, "");
}
