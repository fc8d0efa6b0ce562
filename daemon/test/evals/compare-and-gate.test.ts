import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { referenceAnswer, caseLookup } from "../../src/evals/backends/reference-backend";
import { loadPromptSet } from "../../src/evals/prompt-sets";
import { runCli } from "../run-cli";
import { startScriptedServer } from "./scripted-openai";

/**
 * Runs of the full-coverage set by scripted models of known quality: "good" answers every case with its
 * reference, "weak" does the same but says words instead of calling on 30 of the 47 cases, "flaky" fails
 * every second try of each case. Comparisons, gates and pass^k are checked on these.
 */
const set = loadPromptSet("full-coverage");
const lookup = caseLookup(set);
const weakCases = new Set(set.cases.slice(0, 30).map((evalCase) => evalCase.id));
const flakyTries = new Map<string, number>();

let server: Awaited<ReturnType<typeof startScriptedServer>>;
let work: string;
beforeAll(async () => {
  server = await startScriptedServer(
    (request) => {
      const found = lookup(request.messages as any);
      if (!found) return { content: "?" };
      if (request.model === "weak" && weakCases.has(found.evalCase.id)) return { content: "I did it." };
      if (request.model === "flaky" && found.turn === 1) {
        const tries = (flakyTries.get(found.evalCase.id) ?? 0) + 1;
        flakyTries.set(found.evalCase.id, tries);
        if (tries % 2 === 0) return { content: "Sorry, not now." };
      }
      const answer = referenceAnswer(found.evalCase, found.turn);
      return {
        content: answer.content,
        ...((answer.toolCalls as unknown[]).length ? { tool_calls: answer.toolCalls as unknown[] } : {}),
      };
    },
    { delayMs: 20 },
  );
  work = mkdtempSync(join(tmpdir(), "vault-tuner-compare-"));
});
afterAll(() => server.close());

const run = (model: string, out: string, extra: string[] = []) =>
  runCli([
    "eval",
    "run",
    "--set",
    "full-coverage",
    "--backend",
    "openai",
    "--url",
    server.url,
    "--model",
    model,
    "--out",
    join(work, out),
    "--quiet",
    "--concurrency",
    "8",
    ...extra,
  ]);

describe("comparing runs and gating on them", () => {
  it("reports a significant regression case by case, and gates on it", async () => {
    expect((await run("good", "good.json")).code).toBe(0);
    expect(server.inFlightPeak()).toBeGreaterThan(1);
    const weak = await run("weak", "weak.json");
    expect(weak.code).toBe(2);
    const weakReport = JSON.parse(readFileSync(join(work, "weak.json"), "utf8"));
    expect(weakReport.summary).toMatchObject({ total: 47, passed: 17, failed: 30, pass_rate: 0.3617 });
    expect(weakReport.summary.by_check.selection).toMatchObject({ total: 47, passed: 17 });

    const compared = await runCli([
      "eval",
      "compare",
      join(work, "good.json"),
      join(work, "weak.json"),
      "--fail-on-regression",
    ]);
    expect(compared.code).toBe(2);
    expect(compared.stdout).toContain("47 paired cases: 0 better in B, 30 worse; change -63.8 points.");
    expect(compared.stdout).toMatch(/p = 0: significant at 0.05/);
    expect(compared.stdout).toContain("contentManager_readContent | 100.0% | 0.0% | broken");

    const gated = await run("weak", "weak-gated.json", ["--no-regression-vs", join(work, "good.json")]);
    expect(gated.code).toBe(2);
    expect(gated.stdout).toContain("gate: FAILED: significantly worse than");
    const underBar = await run("good", "good-gated.json", [
      "--fail-under",
      "90%",
      "--no-regression-vs",
      join(work, "weak.json"),
    ]);
    expect(underBar.code).toBe(0);
    expect(underBar.stdout).toContain("gate: passed");
    expect((await run("weak", "weak-bar.json", ["--fail-under", "0.5"])).stdout).toContain(
      "gate: FAILED: pass rate 36.2% is under the required 50.0%",
    );
  });

  it("does not call a small difference significant", async () => {
    const few = await runCli(["eval", "compare", join(work, "good.json"), join(work, "good-gated.json")]);
    expect(few.stdout).toContain("0 better in B, 0 worse");
    expect(few.stdout).toContain("not significant at 0.05");
  });

  it("pairs different selections of an unchanged set without calling it changed, and tells unscored cases from missing ones", async () => {
    const first = ["contentManager_readContent", "vaultManager_listDirectory"];
    await run("good", "some.json", ["--cases", first.join(",")]);
    await run("good", "others.json", ["--cases", ["vaultManager_listDirectory", "agentManager_listAgents"].join(",")]);
    const compared = await runCli(["eval", "compare", join(work, "some.json"), join(work, "others.json")]);
    expect(compared.stdout).not.toContain("warning:");
    expect(compared.stdout).toContain("only in A: contentManager_readContent");
    expect(compared.stdout).toContain("only in B: agentManager_listAgents");

    // A run whose every request failed scored nothing: its cases are unscored there, not absent.
    const down = await runCli([
      "eval",
      "run",
      "--set",
      "full-coverage",
      "--backend",
      "openai",
      "--url",
      "http://127.0.0.1:9",
      "--model",
      "good",
      "--out",
      join(work, "down.json"),
      "--quiet",
      "--cases",
      first.join(","),
      "--retries",
      "0",
      "--timeout",
      "2",
    ]);
    expect(down.code).toBe(3);
    const againstDown = await runCli(["eval", "compare", join(work, "down.json"), join(work, "some.json"), "--json"]);
    expect(JSON.parse(againstDown.stdout)).toMatchObject({
      paired_cases: 0,
      only_in_a: [],
      only_in_b: [],
      unscored_in_a: first,
      unscored_in_b: [],
    });

    // A case whose task changed between the runs is named.
    const changed = JSON.parse(readFileSync(join(work, "others.json"), "utf8"));
    changed.metadata.set.case_sha256.vaultManager_listDirectory = "0".repeat(64);
    writeFileSync(join(work, "others-changed.json"), JSON.stringify(changed));
    expect(
      (await runCli(["eval", "compare", join(work, "some.json"), join(work, "others-changed.json")])).stdout,
    ).toContain("warning: prompt set full-coverage changed between the runs (vaultManager_listDirectory)");
  });

  it("reports pass^k over repeated tries, with a bootstrap interval over cases", async () => {
    const before = Date.now();
    const flaky = await run("flaky", "flaky.json", [
      "--repeat",
      "2",
      "--cases",
      "contentManager_readContent,vaultManager_listDirectory,memoryManager_listSessions,agentManager_listAgents",
      "--concurrency",
      "1",
    ]);
    const report = JSON.parse(readFileSync(join(work, "flaky.json"), "utf8"));
    // Dated by its start: 8 tries of at least 20 ms each came after it.
    expect(report.metadata.duration_s).toBeGreaterThanOrEqual(0.1);
    expect(Date.parse(report.metadata.created_at) - before).toBeLessThan(report.metadata.duration_s * 1000);
    expect(flaky.code).toBe(2);
    expect(report.summary).toMatchObject({
      total: 8,
      passed: 4,
      cases: 4,
      repeats: 2,
      interval_method: "bootstrap-cases",
    });
    // Every case passed exactly one of its two tries: pass^1 = 0.5, pass^2 = 0.
    expect(report.summary.pass_hat_k).toEqual({ 1: 0.5, 2: 0 });
  });
});
