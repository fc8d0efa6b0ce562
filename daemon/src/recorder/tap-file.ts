import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const PROJECT_ROOT = fileURLToPath(new URL("../../..", import.meta.url));

/**
 * Writes tap.cjs to `target` with the project's own esbuild config, so the client runs the same file
 * the plugin ships. The tap must exist before a config points at it: a missing file would break the
 * client's vault server.
 */
export function writeTapFile(target: string): string {
  const scratch = mkdtempSync(join(tmpdir(), "vault-tuner-plugin-build-"));
  try {
    execFileSync(process.execPath, ["esbuild.config.mjs", "production"], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, VAULT_TUNER_TAP_OUTFILE: target, VAULT_TUNER_PLUGIN_OUTFILE: join(scratch, "main.js") },
      stdio: "pipe",
    });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  if (!existsSync(target)) throw new Error(`building the tap did not produce ${target}`);
  return target;
}
