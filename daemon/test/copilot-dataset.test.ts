import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { CoverageReport, ValidationIssue, ValidationSummary } from "@vault-tuner/shared";
import { COPILOT_DATASET, REFERENCE_DATA } from "../../shared/test/reference-data";
import { runCli } from "./run-cli";

/**
 * The seed's copilot dataset, which its own validator passed. Counts here are cross-checked by a direct
 * count over the raw file that shares no code with the validator.
 */
function independentCounts() {
  let desirableCalls = 0;
  let emptyMemory = 0;
  const catalog = new Set(Object.keys(JSON.parse(readFileSync(`${REFERENCE_DATA}anchor/tool_schemas.json`, "utf8"))));
  let unknownCalls = 0;
  for (const line of readFileSync(COPILOT_DATASET, "utf8").split("\n").filter(Boolean)) {
    const record = JSON.parse(line);
    for (const message of record.conversations) {
      const parts = (message.content as string).split(/^tool_call: /m).slice(1);
      for (const part of parts) {
        const name = part.slice(0, part.indexOf("\n")).trim();
        if (!catalog.has(name)) unknownCalls++;
        if (record.label) {
          desirableCalls++;
          if (part.includes('"sessionMemory": ""')) emptyMemory++;
        }
      }
    }
  }
  return { desirableCalls, emptyMemory, unknownCalls };
}

describe("validate --profile strict on the seed's copilot dataset", () => {
  it("reports every desirable call with an empty sessionMemory and every unknown tool the seed missed", async () => {
    const { code, stdout } = await runCli(["validate", COPILOT_DATASET, "--profile", "strict", "--json"]);
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as { records: number; issues: ValidationIssue[]; summary: ValidationSummary };
    const independent = independentCounts();
    expect(independent).toEqual({ desirableCalls: 886, emptyMemory: 575, unknownCalls: 66 });

    const emptyMemoryErrors = report.issues.filter((i) => i.rule === "session-memory-empty" && i.severity === "error");
    expect(emptyMemoryErrors).toHaveLength(575);
    const unknown = report.issues.filter((i) => i.rule === "tool-unknown");
    expect(unknown).toHaveLength(66);
    // All 66 sit in rows labelled false: reported, as the defects those rows are meant to show.
    expect(unknown.every((i) => i.expected === true)).toBe(true);
    expect(report.summary).toMatchObject({ records: 1438, desirable: 719, undesirable: 719, calls: 1565 });
    expect(report.issues.every((i) => i.line >= 1 && i.line <= 1438)).toBe(true);
  });

  it("prints a grouped report for people", async () => {
    const { code, stdout } = await runCli(["validate", COPILOT_DATASET]);
    expect(code).toBe(1);
    expect(stdout).toContain("session-memory-empty (575): Summarise what happened so far");
    expect(stdout).toMatch(/line 1: conversations\[1\] contentManager_createContent: context.sessionMemory is empty/);
    expect(stdout).toContain("tool-unknown (66)");
    expect(stdout).toMatch(/FAILED: \d+ errors/);
  });
});

describe("coverage on the seed's copilot dataset", () => {
  it("counts 1,438 examples, 719/719, and covers all 47 catalog tools", async () => {
    const { code, stdout } = await runCli(["coverage", COPILOT_DATASET, "--json"]);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as CoverageReport;
    expect(report).toMatchObject({
      examples: 1438,
      desirable: 719,
      undesirable: 719,
      labelRatio: 1,
      calls: 1565,
      invalidCalls: 66,
      catalogTools: 47,
      coveredTools: 47,
    });
    expect(report.neverCalled).toEqual([]);
    expect(report.invalidNames.reduce((sum, entry) => sum + entry.count, 0)).toBe(66);
    expect(report.invalidNames.find((entry) => entry.name === "contentManager_updateContent")).toMatchObject({
      count: 4,
    });
  });

  it("prints per-agent tables for people", async () => {
    const { stdout } = await runCli(["coverage", COPILOT_DATASET]);
    expect(stdout).toContain("label ratio     719:719");
    expect(stdout).toContain("tools covered   47 of 47");
    expect(stdout).toMatch(
      /contentManager\n\s+Tool\s+Count\s+Good\s+Bad\n\s+contentManager_readContent\s+80\s+56\s+24/,
    );
    expect(stdout).toContain("Every catalog tool is called.");
  });
});
