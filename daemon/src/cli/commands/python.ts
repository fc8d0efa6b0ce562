import { execa } from "execa";
import { ensureLlamaCppTools } from "../../export/llama-cpp-tools";
import { ensurePythonEnv, PYTHON_DIR } from "../../train/python-env";
import type { Output } from "../output";
import { EXIT_OK, UsageError } from "../usage-error";

/** The checks `python lint` runs, in order: ruff's formatter and linter (configured in pyproject.toml), then pylint for import cycles only. */
const LINTERS = [
  ["-m", "ruff", "format", "--check", "."],
  ["-m", "ruff", "check", "."],
  ["-m", "pylint", "--disable=all", "--enable=cyclic-import", "--score=n", "vault_tuner_train", "tests", "bench"],
];
const FIXERS = [
  ["-m", "ruff", "format", "."],
  ["-m", "ruff", "check", "--fix", "."],
];

/**
 * `vault-tuner python setup` creates the trainer's environment; `python test` also runs its tests (pytest
 * arguments pass through); `python lint` checks formatting, lint and import cycles (`--fix` applies what can be).
 */
export async function runPython(args: { positionals: string[] }, output: Output): Promise<number> {
  const [action, ...rest] = args.positionals;
  if (action !== "setup" && action !== "test" && action !== "lint")
    throw new UsageError('give "setup", "test" or "lint"');
  const started = Date.now();
  const env = await ensurePythonEnv({
    onProgress: (line) => output.err(`[${((Date.now() - started) / 1000).toFixed(0)} s] ${line}\n`),
  });
  output.err(`python environment ${env.installed ? "ready" : "up to date"}: ${env.venv}\n`);
  if (action === "setup") return EXIT_OK;
  if (action === "lint") {
    for (const command of rest.includes("--fix") ? [...FIXERS, ...LINTERS] : LINTERS) {
      const run = await execa(env.python, command, { cwd: PYTHON_DIR, stdio: "inherit", reject: false });
      if (run.exitCode !== 0) return run.exitCode ?? 1;
    }
    return EXIT_OK;
  }
  // The export tests convert and quantize with the same llama.cpp tools `vault-tuner export` uses.
  const tools = await ensureLlamaCppTools({ onProgress: (line) => output.err(`${line}\n`) });
  const toolEnv = {
    VAULT_TUNER_LLAMA_CPP: tools.sources,
    VAULT_TUNER_LIBLLAMA: tools.libllama,
    VAULT_TUNER_LLAMA_CPP_RELEASE: tools.release,
  };
  const tests = await execa(env.python, ["-m", "pytest", "-q", ...rest], {
    cwd: PYTHON_DIR,
    stdio: "inherit",
    reject: false,
    env: toolEnv,
  });
  return tests.exitCode ?? 1;
}
