import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { execa } from "execa";

/** The project's python/ folder: the trainer package, its requirements and its tests. */
export const PYTHON_DIR = fileURLToPath(new URL("../../../python", import.meta.url));

export interface PythonEnv {
  python: string;
  venv: string;
  /** false when the environment was already up to date. */
  installed: boolean;
}

function venvPython(venv: string): string {
  return process.platform === "win32" ? join(venv, "Scripts", "python.exe") : join(venv, "bin", "python");
}

/**
 * What the environment was built from: when it changes, the environment is brought up to date. Every
 * requirements file of python/ counts, since one includes another (`-r requirements-cpu.txt`).
 */
function requirementsHash(requirements: string): string {
  const hash = createHash("sha256")
    .update(requirements)
    .update(readFileSync(requirements))
    .update(readFileSync(join(PYTHON_DIR, "pyproject.toml")));
  for (const file of readdirSync(PYTHON_DIR)
    .filter((name) => /^requirements-.*\.txt$/.test(name))
    .sort())
    hash.update(readFileSync(join(PYTHON_DIR, file)));
  return hash.digest("hex");
}

/** requirements-cuda.txt (adds bitsandbytes) where `nvidia-smi -L` lists a GPU, requirements-cpu.txt elsewhere. */
async function defaultRequirements(): Promise<string> {
  const gpus = await execa("nvidia-smi", ["-L"], { reject: false });
  return join(
    PYTHON_DIR,
    gpus.exitCode === 0 && /^GPU \d/m.test(gpus.stdout) ? "requirements-cuda.txt" : "requirements-cpu.txt",
  );
}

/**
 * Creates (or brings up to date) the trainer's virtual environment: `python -m venv`, then the pinned
 * requirements and the trainer package. Skipped when the stamp says nothing changed. Progress lines
 * (pip's "Collecting" / "Installing") go to `onProgress`. No shell: argument arrays only.
 */
export async function ensurePythonEnv(
  options: { venv?: string; requirements?: string; basePython?: string; onProgress?: (line: string) => void } = {},
): Promise<PythonEnv> {
  const venv = options.venv ?? join(PYTHON_DIR, ".venv");
  const requirements = options.requirements ?? (await defaultRequirements());
  const python = venvPython(venv);
  const stamp = join(venv, ".vault-tuner-requirements.sha256");
  const wanted = requirementsHash(requirements);
  if (existsSync(python) && existsSync(stamp) && readFileSync(stamp, "utf8").trim() === wanted)
    return { python, venv, installed: false };
  const say = options.onProgress ?? (() => undefined);
  if (!existsSync(python)) {
    say(`creating the Python environment in ${venv}`);
    await execa(options.basePython ?? process.env.VAULT_TUNER_PYTHON ?? "python3", ["-m", "venv", venv]);
  }
  say("installing the pinned trainer requirements (the first time takes a few minutes)");
  const pip = execa(
    python,
    ["-m", "pip", "install", "--disable-pip-version-check", "-r", requirements, "-e", PYTHON_DIR],
    { all: true, buffer: { all: true } },
  );
  let count = 0;
  for await (const line of pip.iterable({ from: "all" })) {
    if (/^(Collecting|Installing|Successfully)/.test(line)) say(`[${++count}] ${line}`);
  }
  await pip;
  writeFileSync(stamp, `${wanted}\n`);
  return { python, venv, installed: true };
}
