import { CoverageCounter, describeError } from "@vault-tuner/shared";
import { readLines } from "@vault-tuner/shared/node";
import { renderCoverage } from "../format/coverage-text";
import type { Output } from "../output";
import { EXIT_OK, UsageError } from "../usage-error";
import { catalogOption, datasetPath } from "./dataset-input";

export async function runCoverage(
  args: { values: Record<string, unknown>; positionals: string[] },
  output: Output,
): Promise<number> {
  const path = datasetPath(args.positionals);
  const counter = new CoverageCounter(catalogOption(args.values.catalog));
  try {
    for await (const line of readLines(path)) {
      if (line.text === undefined) counter.unreadableLine();
      else counter.addLine(line.text, line.line);
    }
  } catch (error) {
    throw new UsageError(`cannot read ${path}: ${describeError(error)}`);
  }
  const report = counter.report();
  output.out(args.values.json === true ? `${JSON.stringify(report)}\n` : renderCoverage(path, report));
  return EXIT_OK;
}
