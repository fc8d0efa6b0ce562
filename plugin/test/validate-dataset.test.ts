import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { COPILOT_DATASET } from "../../shared/test/reference-data";
import { validateDatasetText } from "../src/validate-dataset";

describe("validateDatasetText (the plugin's in-vault check)", () => {
  it("sums up the seed copilot dataset with its most frequent error and where it first occurs", () => {
    const summary = validateDatasetText(readFileSync(COPILOT_DATASET, "utf8"));
    expect(summary).toMatch(
      /^1438 records \(719 good \/ 719 bad\), 1565 calls: \d+ errors\. session-memory-empty x575 \(first on line 1\)/,
    );
  });

  it("says so when a dataset is clean", () => {
    expect(validateDatasetText("")).toBe("0 records (0 good / 0 bad), 0 calls: no errors, 0 warnings.");
  });
});
