import { execa } from "execa";
import { ensureLlamaCppTools } from "../../export/llama-cpp-tools";
import { ensurePythonEnv, PYTHON_DIR } from "../../train/python-env";
import type { Output } from "../output";
import { EXIT_OK, UsageError } from "../usage-error";

/** `vault-tuner python setup` creates the trainer's environment; `python test` also runs its tests (pytest arguments pass through). */
export async function runPython(args: { positionals: string[] }, output: Output): Promise<number> {
  const [action, ...rest] = args.positionals;
  if (action !== "setup" && action !== "test") throw new UsageError('give "setup" or "test"');
  const started = Date.now();
  const env = await ensurePythonEnv({ onProgress: (line) => output.err(`[${((Date.now() - started) / 1000).toFixed(0)} s] ${line}\n`) });
  output.err(`python environment ${env.installed ? "ready" : "up to date"}: ${env.venv}\n`);
  if (action === "setup") return EXIT_OK;
  // The export tests convert and quantize with the same llama.cpp tools `vault-tuner export` uses.
  const tools = await ensureLlamaCppTools({ onProgress: (line) => output.err(`${line}\n`) });
  const toolEnv = { VAULT_TUNER_LLAMA_CPP: tools.sources, VAULT_TUNER_LIBLLAMA: tools.libllama, VAULT_TUNER_LLAMA_CPP_RELEASE: tools.release };
  const tests = await execa(env.python, ["-m", "pytest", "-q", ...rest], { cwd: PYTHON_DIR, stdio: "inherit", reject: false, env: toolEnv });
  return tests.exitCode ?? 1;
}
