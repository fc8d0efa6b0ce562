import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openEmbeddedModel } from "../../src/inference/embedded-model";
import { ensurePythonEnv, PYTHON_DIR } from "../../src/train/python-env";
import { runCli } from "../run-cli";

/**
 * The whole export path on a model the test makes: a tiny random Llama with a sentencepiece tokenizer
 * trains two KTO steps on the starter dataset, `vault-tuner export` merges, converts and quantizes it,
 * and node-llama-cpp (the embedded backend) must then decode exactly as transformers does.
 */
const STARTER = join(PYTHON_DIR, "..", "datasets", "starter-claudesidian-3");
const MESSAGES = [{ role: "user", content: "Read Notes/a.md and list the folder Projects" }];

let dir: string;
let python: string;
let exported: { code: number; stdout: string; stderr: string };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "vt-export-"));
  python = (await ensurePythonEnv()).python;
  // 256 wide, so Q4_K_M has whole 256-value blocks to quantize instead of falling back to other types.
  await execa(python, [
    join(PYTHON_DIR, "tests", "tiny_model.py"),
    "--dataset",
    STARTER,
    "--out",
    join(dir, "tiny"),
    "--hidden-size",
    "256",
  ]);
  await execa(
    python,
    [
      "-m",
      "vault_tuner_train",
      "kto",
      "--config",
      "tiny",
      "--dataset",
      STARTER,
      "--model",
      join(dir, "tiny"),
      "--output",
      join(dir, "run"),
      "--max-steps",
      "2",
      "--device",
      "cpu",
    ],
    { cwd: PYTHON_DIR },
  );
  // 32-bit: a random model's top logits can be near ties, which 16-bit rounding in llama.cpp's matrix
  // products may flip; at f32 both runtimes compute the same numbers to within float error.
  exported = await runCli(["export", "--run", join(dir, "run"), "--output", join(dir, "gguf"), "--dtype", "float32"]);
}, 600_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function transformersGreedy(): Promise<{
  prompt: string;
  prompt_tokens: number[];
  greedy: number[];
  top: [number, number][][];
}> {
  const { stdout } = await execa(python, [
    join(PYTHON_DIR, "tests", "greedy_reference.py"),
    join(dir, "gguf", "merged"),
    JSON.stringify(MESSAGES),
    "--max-new-tokens",
    "16",
  ]);
  return JSON.parse(stdout);
}

/**
 * How close two logits may be and still count as a tie that rounding may break either way: llama.cpp
 * keeps its KV cache in f16 (its default), so logits of about 1 differ from transformers' fp32 ones by up
 * to some 1e-3. This tiny model's top two logits are typically 0.005 to 0.1 apart.
 */
const TIE = 0.01;

/**
 * The GGUF's greedy tokens must be transformers' own. A random tiny model has near-ties, where the two
 * runtimes' summation orders may break the tie differently: a different token is accepted only where
 * transformers ranks it within TIE of its choice, and the paths part there.
 */
function expectSameGreedy(tokens: number[], reference: { greedy: number[]; top: [number, number][][] }): void {
  expect(tokens.length).toBeGreaterThan(0);
  for (const [step, token] of tokens.entries()) {
    if (step >= reference.greedy.length) break;
    if (token === reference.greedy[step]) continue;
    const ranked = reference.top[step] ?? [];
    const best = ranked[0]?.[1] ?? Number.NaN;
    const mine = ranked.find(([candidate]) => candidate === token)?.[1];
    expect(
      mine,
      `step ${step}: the GGUF chose ${token}, transformers ${reference.greedy[step]} (top: ${JSON.stringify(ranked)})`,
    ).toBeDefined();
    expect(best - (mine as number), `step ${step}: not a tie`).toBeLessThanOrEqual(TIE);
    return;
  }
  expect(tokens.slice(0, reference.greedy.length)).toEqual(reference.greedy.slice(0, tokens.length));
}

describe("vault-tuner export", () => {
  it("writes the unquantized, Q4_K_M, Q8_0 and adapter GGUFs, showing each stage", () => {
    expect(exported.code, exported.stderr).toBe(0);
    for (const stage of [
      "[1/6] merge",
      "[2/6] convert",
      "[3/6] quantize q4_k_m",
      "[4/6] quantize q8_0",
      "[5/6] adapter",
      "[6/6] check",
    ])
      expect(exported.stderr).toContain(stage);
    const manifest = JSON.parse(readFileSync(join(dir, "gguf", "export.json"), "utf8")) as {
      files: { name: string; kind: string; sha256: string }[];
    };
    expect(manifest.files.map((file) => [file.name, file.kind])).toEqual([
      ["model-f32.gguf", "f32"],
      ["model-q4_k_m.gguf", "q4_k_m"],
      ["model-q8_0.gguf", "q8_0"],
      ["adapter-f16.gguf", "adapter"],
    ]);
    for (const file of manifest.files) {
      expect(
        createHash("sha256")
          .update(readFileSync(join(dir, "gguf", file.name)))
          .digest("hex"),
      ).toBe(file.sha256);
      expect(exported.stdout).toContain(file.name);
    }
  });

  it("checks each quantized file against the 32-bit one on held-out rows of the run's dataset and records its choice", () => {
    expect(exported.stdout).toMatch(
      /^quantization check: greedy answers on 8 held-out prompts against the 16-bit file$/m,
    );
    expect(exported.stderr).toContain("quantization check [3/3]: greedy answers of model-q8_0.gguf");
    const check = JSON.parse(readFileSync(join(dir, "gguf", "quant-check.json"), "utf8")) as {
      rows: number;
      files: { kind: string; verdict: string }[];
      recommended: string;
    };
    expect(check.files.map((file) => file.kind)).toEqual(["q4_k_m", "q8_0"]);
    for (const file of check.files)
      expect(exported.stdout).toMatch(
        new RegExp(`^  ${file.kind} +agreement +[\\d.]+%  same calls +[\\d.]+%  ${file.verdict}`, "m"),
      );
    // The smallest file that kept the training, else the reference.
    expect(check.recommended).toBe(
      check.files.find((file) => file.verdict === "kept" && file.kind === "q4_k_m")
        ? "q4_k_m"
        : check.files.find((file) => file.verdict === "kept")
          ? "q8_0"
          : "f32",
    );
    expect(exported.stdout).toContain(`recommended: ${check.recommended}`);
    // What to do with it next names the recommended file.
    expect(exported.stdout).toContain(
      `next: npx vault-tuner eval run --set full-coverage --backend embedded --model ${join(dir, "gguf", `model-${check.recommended}.gguf`)}\n`,
    );
    expect(JSON.parse(readFileSync(join(dir, "gguf", "export.json"), "utf8")).recommended).toBe(check.recommended);
  });

  it("gives a GGUF that node-llama-cpp tokenizes as transformers does, and decodes greedily as it does up to ties within rounding", async () => {
    const reference = await transformersGreedy();
    expect(reference.greedy.length).toBeGreaterThan(0);
    const model = await openEmbeddedModel(join(dir, "gguf", "model-f32.gguf"), { contextSize: 512 });
    try {
      expect(model.tokenize(reference.prompt)).toEqual(reference.prompt_tokens);
      expectSameGreedy(await model.greedy(reference.prompt_tokens, 16), reference);
      const training = JSON.parse(readFileSync(join(dir, "run", "training.json"), "utf8")) as {
        chat_template_sha256: string;
      };
      expect(
        createHash("sha256")
          .update(model.chatTemplate ?? "")
          .digest("hex"),
      ).toBe(training.chat_template_sha256);
    } finally {
      await model.close();
    }
  }, 120_000);

  it("gives quantized GGUFs that load and decode in node-llama-cpp", async () => {
    const reference = await transformersGreedy();
    for (const name of ["model-q8_0.gguf", "model-q4_k_m.gguf"]) {
      const model = await openEmbeddedModel(join(dir, "gguf", name), { contextSize: 512 });
      try {
        const tokens = await model.greedy(reference.prompt_tokens, 8);
        expect(tokens.length, name).toBeGreaterThan(0);
        expect(model.detokenize(tokens).length, name).toBeGreaterThan(0);
      } finally {
        await model.close();
      }
    }
  }, 120_000);

  it("refuses unknown quantizations before doing any work", async () => {
    const refused = await runCli([
      "export",
      "--run",
      join(dir, "run"),
      "--output",
      join(dir, "other"),
      "--quant",
      "q3_k_s",
    ]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("--quant q3_k_s: choose from q4_k_m, q5_k_m, q8_0");
  });

  it("names the problem when the run folder is not a training run", async () => {
    const failed = await runCli(["export", "--run", join(dir, "tiny"), "--output", join(dir, "other")]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/is not a training run .*\n\s+give the --output folder of a finished kto or sft run/);
  });
});
