import { chmodSync, existsSync, mkdirSync, renameSync, statSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

/**
 * Writes beside, then renames over: a reader (or a crash) sees the old file or the new one, never half
 * of one. An existing file keeps its permissions (client configs hold API keys and are often private);
 * a new one gets `newFileMode`. The folder is made when missing.
 */
export function writeFileAtomically(path: string, text: string, newFileMode = 0o644): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.vault-tuner-${process.pid}.tmp`;
  const mode = existsSync(path) ? statSync(path).mode & 0o777 : newFileMode;
  writeFileSync(temporary, text, { mode });
  chmodSync(temporary, mode);
  renameSync(temporary, path);
}
