import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { builtinCatalog } from "@vault-tuner/shared";
import { describe, expect, it } from "vitest";
import { referenceBackend } from "../../src/evals/backends/reference-backend";
import { loadPromptSet, listPromptSets, BUILTIN_SETS_DIR } from "../../src/evals/prompt-sets";
import { runEval } from "../../src/evals/run-eval";
import { NEXUS_COMMANDS } from "../../src/vault-server/nexus/nexus-commands";
import { builtinSetSources, setFileText } from "../../scripts/eval-sets/write-sets";
import { runCli } from "../run-cli";

const SEED_PROMPTS = join(BUILTIN_SETS_DIR, "..", "..", "..", "shared", "data", "anchor", "prompts");

describe("built-in prompt sets", () => {
  it("are committed exactly as their definitions generate them (npm run eval:sets)", () => {
    for (const source of builtinSetSources())
      expect(readFileSync(join(BUILTIN_SETS_DIR, `${source.id}.json`), "utf8")).toBe(setFileText(source));
  });

  it("cover every catalog tool (and every Nexus command the sandbox runs) and can each be passed: every case passes its own reference solution", async () => {
    expect(listPromptSets().map((set) => [set.id, set.cases])).toEqual([
      ["combos", 8],
      ["full-coverage", 47],
      ["irrelevance", 10],
      ["nexus-combos", 8],
      ["nexus-discovery", 5],
      ["nexus-full-coverage", 43],
      ["nexus-irrelevance", 10],
    ]);
    const catalogTools = builtinCatalog("claudesidian-3")
      ?.tools.map((tool) => tool.name)
      .sort();
    expect(
      loadPromptSet("full-coverage")
        .cases.map((evalCase) => evalCase.expect.calls[0]?.tool)
        .sort(),
    ).toEqual(catalogTools);
    // Nexus: every command the sandbox runs is some full-coverage case's expected command.
    expect(
      loadPromptSet("nexus-full-coverage")
        .cases.map((evalCase) => evalCase.expect.calls[0]?.tool)
        .sort(),
    ).toEqual(Object.keys(NEXUS_COMMANDS).sort());
    for (const id of listPromptSets().map((set) => set.id)) {
      const set = loadPromptSet(id);
      const report = await runEval({ set, backend: referenceBackend(set), concurrency: 8 });
      expect({
        id,
        failures: report.records
          .filter((record) => record.status !== "passed")
          .map((record) => `${record.case_id}: ${record.failure_reasons.join("; ")}`),
      }).toEqual({ id, failures: [] });
    }
  });

  it("catches a case whose expectation its reference does not meet", async () => {
    const work = mkdtempSync(join(tmpdir(), "vault-tuner-sets-"));
    const set = JSON.parse(readFileSync(join(BUILTIN_SETS_DIR, "full-coverage.json"), "utf8"));
    set.id = "edited";
    const append = set.cases.find((evalCase: any) => evalCase.id === "contentManager_appendContent");
    append.reference[0][0].arguments.filePath = "Inbox/Other.md";
    writeFileSync(join(work, "edited.json"), JSON.stringify(set));
    const checked = await runCli([
      "eval",
      "check",
      "--set",
      join(work, "edited.json"),
      "--cases",
      "contentManager_appendContent,contentManager_readContent",
    ]);
    expect(checked.code).toBe(2);
    expect(checked.stdout).toContain("contentManager_appendContent: fails its own reference");
    expect(checked.stdout).toContain("1/2 cases pass their reference solution");
  });

  it("refuses a broken set before running anything, saying where", async () => {
    const work = mkdtempSync(join(tmpdir(), "vault-tuner-sets-"));
    const set = JSON.parse(readFileSync(join(BUILTIN_SETS_DIR, "combos.json"), "utf8"));
    set.cases[2].expect.calls[0].tool = "memoryManager_loadWorkspaces";
    writeFileSync(join(work, "typo.json"), JSON.stringify(set));
    const typo = await runCli([
      "eval",
      "run",
      "--set",
      join(work, "typo.json"),
      "--backend",
      "openai",
      "--url",
      "http://127.0.0.1:9/v1",
      "--model",
      "m",
    ]);
    expect(typo.code).toBe(1);
    expect(typo.stderr).toContain(
      'cases[2] (combo_workspace_status): unknown tool "memoryManager_loadWorkspaces" in claudesidian-3; did you mean "memoryManager_loadWorkspace"?',
    );
    set.cases[2].expect.calls[0] = { tool: "memoryManager_loadWorkspace", args: { id: { exactly: "x" } } };
    writeFileSync(join(work, "shape.json"), JSON.stringify(set));
    const shape = await runCli([
      "eval",
      "run",
      "--set",
      join(work, "shape.json"),
      "--backend",
      "openai",
      "--url",
      "http://127.0.0.1:9/v1",
      "--model",
      "m",
    ]);
    expect(shape.code).toBe(1);
    expect(shape.stderr).toMatch(
      /shape\.json: cases\[2\]\.expect\.calls\[0\]\.args\.id: .* \(case "combo_workspace_status"\)/,
    );
    set.cases[2].expect.calls[0] = { tool: "memoryManager_loadWorkspace", args: {} };
    set.cases[2].vault.files["../outside.md"] = "x";
    writeFileSync(join(work, "escape.json"), JSON.stringify(set));
    const outside = await runCli(["eval", "check", "--set", join(work, "escape.json")]);
    expect(outside.code).toBe(1);
    expect(outside.stderr).toContain(
      'cases[2] (combo_workspace_status): vault path "../outside.md" must be relative to the vault and stay inside it',
    );
  });
});

describe("importing the seed's prompt files", () => {
  it("imports every prompt that can pass, skips the one expecting a tool that does not exist, and says so", async () => {
    const work = mkdtempSync(join(tmpdir(), "vault-tuner-import-"));
    const files = ["baseline.json", "full_coverage.json", "tool_combos.json"].map((name) => join(SEED_PROMPTS, name));
    const imported = await runCli(["eval", "import", ...files, "--id", "seed", "--data-dir", work]);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain(`imported 60 cases into ${join(work, "evals", "sets", "seed.json")}`);
    expect(imported.stderr).toContain("skipped memory_snapshot_check: ");
    expect(imported.stderr).toContain("expects memoryManager_getSessionMemory, which claudesidian-3 does not have");
    const set = loadPromptSet("seed", work);
    expect(set.source).toEqual({ kind: "imported", from: "baseline.json, full_coverage.json, tool_combos.json" });
    const combo = set.cases.find((evalCase) => evalCase.id === "combo_workspace_health");
    expect(combo).toMatchObject({
      kind: "combo",
      expect: {
        order: "any",
        finalState: "unjudged",
        calls: [
          { tool: "memoryManager_loadWorkspace" },
          { tool: "vaultLibrarian_searchContent" },
          { tool: "contentManager_appendContent" },
        ],
      },
    });
    expect(listPromptSets(work).map((item) => item.id)).toContain("seed");
  });
});
