import { execa } from "execa";
import { ensurePythonEnv, PYTHON_DIR } from "../../python/python-env";
import type { Output } from "../output";
import { EXIT_OK, UsageError } from "../usage-error";

/** `vault-tuner python setup` creates the trainer's environment; `python test` also runs its tests. */
export async function runPython(args: { positionals: string[] }, output: Output): Promise<number> {
  const [action, ...rest] = args.positionals;
  if (action !== "setup" && action !== "test") throw new UsageError('give "setup" or "test"');
  const started = Date.now();
  const env = await ensurePythonEnv({ onProgress: (line) => output.err(`[${((Date.now() - started) / 1000).toFixed(0)} s] ${line}\n`) });
  output.err(`python environment ${env.installed ? "ready" : "up to date"}: ${env.venv}\n`);
  if (action === "setup") return EXIT_OK;
  const tests = await execa(env.python, ["-m", "pytest", "-q", ...rest], { cwd: PYTHON_DIR, stdio: "inherit", reject: false });
  return tests.exitCode ?? 1;
}
