import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatasetCardSchema, type RegisteredModel } from "@vault-tuner/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { caseLookup, referenceAnswer } from "../../src/evals/backends/reference-backend";
import { loadPromptSet } from "../../src/evals/prompt-sets";
import { readReport } from "../../src/evals/report-store";
import { modelCard } from "../../src/publish/model-card";
import { startScriptedServer } from "../evals/scripted-openai";
import { runCli } from "../run-cli";

/**
 * The card's evaluation table comes from reports the evaluator really wrote: a "base" that answers the
 * first 12 cases of the full-coverage set in words, and a "tuned" model that calls the tools on all 20.
 */
const set = loadPromptSet("full-coverage");
const lookup = caseLookup(set);
const cases = set.cases.slice(0, 20).map((evalCase) => evalCase.id);
const wordy = new Set(cases.slice(0, 12));
const dataset = DatasetCardSchema.parse(
  JSON.parse(readFileSync(join(__dirname, "../../../datasets/starter-claudesidian-3/card.json"), "utf8")),
);

let server: Awaited<ReturnType<typeof startScriptedServer>>;
let work: string;
beforeAll(async () => {
  server = await startScriptedServer((request) => {
    const found = lookup(request.messages as any);
    if (!found) return { content: "?" };
    if (request.model === "base-model" && wordy.has(found.evalCase.id)) return { content: "I would move that note." };
    const answer = referenceAnswer(found.evalCase, found.turn);
    return {
      content: answer.content,
      ...((answer.toolCalls as unknown[]).length ? { tool_calls: answer.toolCalls as unknown[] } : {}),
    };
  });
  work = mkdtempSync(join(tmpdir(), "vault-tuner-card-"));
});
afterAll(() => server.close());

async function evaluate(model: string): Promise<string> {
  const out = join(work, `${model}.json`);
  const args = ["eval", "run", "--set", "full-coverage", "--backend", "openai", "--url", server.url];
  await runCli([...args, "--model", model, "--cases", cases.join(","), "--out", out, "--quiet"]);
  return out;
}

const model: RegisteredModel = {
  id: "job_20261201_aaaa",
  name: "qwen2.5-0.5b · KTO · starter · 2026-12-01",
  defaultName: "qwen2.5-0.5b · KTO · starter · 2026-12-01",
  trainedAt: "2026-12-01T10:00:00.000Z",
  dataset: { name: "starter-claudesidian-3", card: dataset },
  recipe: "default",
  base: "Qwen/Qwen2.5-0.5B-Instruct",
  metrics: { steps: 120, trainLoss: 0.4123, runtimeS: 300 },
  chatTemplateSha256: "ab".repeat(32),
  exports: [],
  deployments: [],
};
const files = [
  { path: "model-q4_k_m.gguf", bytes: 397_000_000, kind: "q4_k_m" },
  { path: "adapter/adapter_model.safetensors", bytes: 35_200_000, kind: "adapter" },
];

describe("the model card", () => {
  it("carries the base-versus-tuned table of stored reports, with intervals and the paired change", async () => {
    const base = readReport(await evaluate("base-model"));
    const tuned = readReport(await evaluate("tuned-model"));
    expect(base.summary.pass_rate).toBe(0.4);
    expect(tuned.summary.pass_rate).toBe(1);
    const card = modelCard({
      model,
      mode: "kto",
      dataset,
      license: "apache-2.0",
      evaluations: [{ tuned, base }],
      files,
      datasetIncluded: false,
    });
    const [, header] = card.split("---\n");
    expect(parse(header as string)).toEqual({
      base_model: "Qwen/Qwen2.5-0.5B-Instruct",
      license: "apache-2.0",
      library_name: "peft",
      tags: ["vault-tuner", "obsidian", "tool-use", "kto", "gguf"],
    });
    const [low, high] = base.summary.pass_rate_ci95.map((value) => `${(value * 100).toFixed(1)}%`);
    const row = card.split("\n").find((line) => line.includes("`full-coverage`"));
    expect(row).toContain(`40.0% [${low}, ${high}] (\`base-model\`)`);
    expect(row).toContain("100.0% [");
    expect(row).toContain("+60.0 points; 12 cases better, 0 worse");
    expect(card).toContain(
      `${dataset.counts.train.desirable + dataset.counts.train.undesirable} labelled rows (${dataset.counts.train.desirable} desirable`,
    );
    expect(card).toContain("The training rows are not published");
    expect(card).toContain("echo 'FROM ./model-q4_k_m.gguf' > Modelfile");
    expect(card).toContain("| `model-q4_k_m.gguf` | q4_k_m | 397.0 MB |");
    // Counts only: no recorded prompt, answer or call of the evaluation leaves with the card.
    for (const record of [...base.records, ...tuned.records]) {
      if (record.final_answer.length > 20) expect(card).not.toContain(record.final_answer);
      for (const call of record.calls) expect(card).not.toContain(JSON.stringify(call.arguments));
    }
  }, 120_000);

  it("says plainly what it does not know: no report, no license, a local base", () => {
    const card = modelCard({
      model: { ...model, base: "/home/me/models/my-base" },
      mode: "sft",
      dataset: undefined,
      license: null,
      evaluations: [],
      files: [{ path: "merged/model.safetensors", bytes: 988_000_000, kind: "merged" }],
      datasetIncluded: false,
    });
    const header = parse(card.split("---\n")[1] as string);
    expect(header).toEqual({ license: "other", tags: ["vault-tuner", "obsidian", "tool-use", "sft"] });
    expect(card).toContain("Not evaluated yet");
    expect(card).toContain("whose license was not found in its files");
    expect(card).toContain("the dataset's card was not found");
    expect(card).not.toContain("ollama create");
  });
});
