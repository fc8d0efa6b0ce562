import { DatasetValidator, PROFILES, type Profile, type ValidationIssue, describeError } from "@vault-tuner/shared";
import { readLines } from "@vault-tuner/shared/node";
import { JsonIssueStream } from "../format/validate-json";
import { TextReport } from "../format/validate-text";
import type { Output } from "../output";
import { EXIT_FINDINGS, EXIT_OK, UsageError } from "../usage-error";
import { catalogOption, datasetPath } from "./dataset-input";

export async function runValidate(
  args: { values: Record<string, unknown>; positionals: string[] },
  output: Output,
): Promise<number> {
  const path = datasetPath(args.positionals);
  const profile = (args.values.profile as string | undefined) ?? "strict";
  if (!(PROFILES as readonly string[]).includes(profile))
    throw new UsageError(`--profile must be ${PROFILES.join(" or ")}, got "${profile}"`);
  const catalog = catalogOption(args.values.catalog);
  const validator = new DatasetValidator({ catalog, profile: profile as Profile });
  const json = args.values.json === true;
  // JSON output streams every finding as it is found (it is for programs, and memory must not grow with
  // the file); text output groups them by rule and keeps a sample of each.
  const jsonOut = json ? new JsonIssueStream(output) : undefined;
  const text = new TextReport(path, args.values.all === true);
  const take = (found: ValidationIssue[]) => {
    if (found.length === 0) return;
    if (jsonOut) jsonOut.add(found);
    else text.add(found);
  };
  try {
    for await (const line of readLines(path)) {
      take(
        line.text === undefined
          ? validator.unreadableLine(line.line, line.problem, line.message)
          : validator.addLine(line.text, line.line).issues,
      );
    }
  } catch (error) {
    throw new UsageError(`cannot read ${path}: ${describeError(error)}`);
  }
  const summary = validator.summary();
  if (jsonOut) jsonOut.end(summary);
  else output.out(text.render(summary));
  return summary.errors > 0 ? EXIT_FINDINGS : EXIT_OK;
}
