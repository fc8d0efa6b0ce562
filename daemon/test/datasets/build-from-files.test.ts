import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatasetBuildRequestSchema, type DatasetBuildRequest } from "@vault-tuner/shared";
import { afterAll, describe, expect, it } from "vitest";
import { COPILOT_DATASET } from "../../../shared/test/reference-data";
import { buildDataset, DatasetExistsError } from "../../src/datasets/build-dataset";
import { firstUser, readRows, validateFile } from "./read-rows";

const out = mkdtempSync(join(tmpdir(), "vault-tuner-datasets-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

function build(request: Omit<DatasetBuildRequest, "sources"> & { sources?: DatasetBuildRequest["sources"] }) {
  const options = DatasetBuildRequestSchema.parse({ sources: { files: [COPILOT_DATASET] }, ...request });
  return buildDataset(options, { outputRoot: out });
}

describe("a KTO dataset built from the seed copilot file", async () => {
  const card = await build({ name: "copilot", profile: "strict", mutations: { perRecord: 1 }, seed: 7 });
  const folder = join(out, "copilot");
  const train = readRows(folder);
  const holdout = readRows(folder, "holdout.jsonl");

  it("alternates desirable and undesirable, so every even batch holds both equally", () => {
    expect(train.length).toBeGreaterThan(1000);
    for (const [i, row] of train.entries()) expect(row.label, `row ${i}`).toBe(i % 2 === 0);
    expect(card.counts.train.desirable).toBe(card.counts.train.undesirable);
    expect(card.weights).toEqual({ desirable: 1, undesirable: 1 });
  });

  it("keeps every held-out request out of train", () => {
    const trainRequests = new Set(train.map(firstUser));
    const leaked = holdout.filter((row) => trainRequests.has(firstUser(row)));
    expect(holdout.length).toBeGreaterThan(50);
    expect(leaked).toEqual([]);
    expect(card.counts.holdout.sessions).toBeGreaterThan(0);
  });

  it("validates clean under the profile it was built with", () => {
    for (const file of ["train.jsonl", "holdout.jsonl"]) {
      const summary = validateFile(folder, file, "strict");
      expect(summary.errors, file).toBe(0);
      expect(summary.records).toBe(file === "train.jsonl" ? train.length : holdout.length);
    }
  });

  it("adds the seed's closing answers after valid calls only, on the same side of the split", () => {
    const answers = [...train, ...holdout].filter((row) => row.source.startsWith("answer:"));
    expect(answers.length).toBeGreaterThan(100);
    const sourcesOfCalls = new Set([...train, ...holdout].map((row) => row.source));
    for (const row of answers) {
      expect(row.label).toBe(true);
      expect(row.completion[0].tool_calls ?? []).toEqual([]);
      expect(row.prompt.at(-1).role).toBe("tool");
      // The calls' own example is there too (its answer never outlives a dropped call).
      expect(sourcesOfCalls.has(row.source.slice("answer:".length)), row.source).toBe(true);
    }
    const trainRequests = new Set(train.map(firstUser));
    expect(holdout.filter((row) => row.source.startsWith("answer:") && trainRequests.has(firstUser(row)))).toEqual([]);
  });

  it("drops the seed's desirable records with empty sessionMemory and says so", () => {
    expect(card.dropped.byRule["session-memory-empty"]).toBeGreaterThan(400);
    expect(card.counts.invalid.desirable).toBe(Object.values(card.dropped.byRule).reduce((a, b) => a + b, 0));
    const memories = train
      .filter((row) => row.label)
      .flatMap((row) => row.completion[0].tool_calls ?? [])
      .map((call: any) => JSON.parse(call.function.arguments).context?.sessionMemory);
    expect(memories.length).toBeGreaterThan(300);
    expect(memories.filter((memory: unknown) => memory === "")).toEqual([]);
  });

  it("renders each row as the full conversation, the call, and the toolset file the trainer shows the model", () => {
    const row = train[0];
    expect(row.prompt[0].role).toBe("system");
    expect(row.prompt[0].content).toContain("<session_context>");
    expect(row.prompt.some((message: any) => message.role === "user")).toBe(true);
    expect(row.completion).toHaveLength(1);
    expect(row.completion[0].role).toBe("assistant");
    expect(row.toolset).toBe("claudesidian-3");
    const tools = JSON.parse(readFileSync(join(folder, "toolsets/claudesidian-3.json"), "utf8"));
    expect(tools).toHaveLength(47);
    expect(tools[0]).toMatchObject({
      type: "function",
      function: { name: expect.any(String), parameters: { type: "object" } },
    });
  });

  it("counts and marks mutation negatives, each carrying its defect", () => {
    const mutants = train.filter((row) => String(row.source).startsWith("mutation:"));
    expect(mutants.length).toBeGreaterThan(100);
    expect(mutants.every((row) => row.label === false)).toBe(true);
    expect(Object.keys(card.counts.mutations).sort()).toEqual([
      "empty-session-memory",
      "invented-tool",
      "missing-context-field",
      "missing-required-parameter",
      "wrong-tool",
      "wrong-type",
    ]);
  });

  it("records sources, hashes and coverage in the card", () => {
    expect(card.sources.files[0]?.records).toBe(1438);
    expect(card.sources.files[0]?.sha256).toMatch(/^[0-9a-f]{64}$/);
    const bytes = readFileSync(join(folder, "train.jsonl"));
    expect(card.files["train.jsonl"]?.sha256).toBe(createHash("sha256").update(bytes).digest("hex"));
    expect(card.files["train.jsonl"]?.rows).toBe(train.length);
    expect(card.coverage.catalogTools).toBe(47);
    expect(card.coverage.covered).toBeGreaterThan(30);
    expect(JSON.parse(readFileSync(join(folder, "card.json"), "utf8"))).toEqual(card);
    expect(readFileSync(join(folder, "card.md"), "utf8")).toContain("| train |");
  });
});

describe("building", () => {
  it("is reproducible from its seed, and a different seed orders differently", async () => {
    const a = await build({ name: "seed-a", seed: 3 });
    const b = await build({ name: "seed-b", seed: 3 });
    const c = await build({ name: "seed-c", seed: 4 });
    expect(a.files["train.jsonl"]?.sha256).toBe(b.files["train.jsonl"]?.sha256);
    expect(a.files["train.jsonl"]?.sha256).not.toBe(c.files["train.jsonl"]?.sha256);
  });

  it("refuses to replace a dataset unless asked, and replaces it whole when asked", async () => {
    await build({ name: "twice" });
    await expect(build({ name: "twice" })).rejects.toBeInstanceOf(DatasetExistsError);
    const again = await build({ name: "twice", overwrite: true, holdout: 0 });
    expect(again.counts.holdout).toMatchObject({ desirable: 0, undesirable: 0 });
    expect(readRows(join(out, "twice"), "holdout.jsonl")).toEqual([]);
  });

  it("without oversampling, alternates while both classes last and reports the weights TRL wants", async () => {
    const card = await build({ name: "no-balance", balance: "none", profile: "strict" });
    const rows = readRows(join(out, "no-balance"));
    const minority = Math.min(card.counts.train.desirable, card.counts.train.undesirable);
    const interleaved = rows.slice(0, 2 * minority);
    expect(interleaved.map((row) => row.label)).toEqual(interleaved.map((_, i) => i % 2 === 0));
    expect(card.counts.train.repeated).toBe(0);
    const { desirable: wd, undesirable: wu } = card.weights;
    const weighted = (wd * card.counts.train.desirable) / (wu * card.counts.train.undesirable);
    expect(weighted).toBeGreaterThanOrEqual(1);
    expect(weighted).toBeLessThanOrEqual(4 / 3);
  });

  it("writes SFT rows from desirable examples only, and ChatML text rows that validate", async () => {
    await build({ name: "sft", format: "sft", profile: "strict" });
    const sft = readRows(join(out, "sft"));
    expect(sft.length).toBeGreaterThan(150);
    expect(sft.every((row) => Array.isArray(row.messages) && !("label" in row))).toBe(true);
    await build({ name: "text", format: "chatml-text", profile: "strict" });
    const text = readRows(join(out, "text"));
    expect(text[0].conversations.at(-1).content).toMatch(/^tool_call: \w+\narguments: \{/);
    expect(validateFile(join(out, "text"), "train.jsonl", "strict").errors).toBe(0);
  });

  it("drops unreadable lines with their rule and line, keeping the rest", async () => {
    const file = join(out, "mixed.jsonl");
    const good = readFileSync(COPILOT_DATASET, "utf8").split("\n").slice(0, 4).join("\n");
    writeFileSync(file, `${good}\n{broken\n\n{"conversations": [], "label": true}\n"just a string"\n`);
    const card = await buildDataset(
      DatasetBuildRequestSchema.parse({ name: "mixed", sources: { files: [file] }, holdout: 0 }),
      { outputRoot: out },
    );
    expect(card.sources.files[0]?.records).toBe(7);
    expect(card.dropped.byRule).toMatchObject({ "json-parse": 1, "conversations-empty": 1, "record-not-object": 1 });
    expect(card.dropped.examples.find((drop) => drop.rule === "json-parse")?.source).toMatch(/mixed\.jsonl:5$/);
    expect(card.counts.train.desirable + card.counts.train.undesirable).toBeGreaterThan(0);
  });
});
