import { mkdirSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { DAEMON_ADDRESS_FILE } from "@vault-tuner/shared";

/** Where the daemon keeps its database, token, dataset exports and job folders. */
export interface DataDir {
  root: string;
  database: string;
  token: string;
  datasets: string;
  jobs: string;
  /** Where taps spool what they record (and the daemon imports it from at start). */
  spool: string;
  /** Where records the daemon could not take are set aside, with the reason. */
  quarantine: string;
  /** Where the running daemon says where it listens (removed when it stops). */
  address: string;
}

/** `--data-dir`, else `VAULT_TUNER_HOME`, else `~/.vault-tuner`. */
export function resolveDataDir(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return resolve(flag ?? (env.VAULT_TUNER_HOME || join(homedir(), ".vault-tuner")));
}

/** Creates the folders (private to the user) and names the files inside. */
export function prepareDataDir(root: string): DataDir {
  const dir: DataDir = {
    root,
    database: join(root, "vault-tuner.sqlite"),
    token: join(root, "token"),
    datasets: join(root, "datasets"),
    jobs: join(root, "jobs"),
    spool: join(root, "spool"),
    quarantine: join(root, "quarantine"),
    address: join(root, DAEMON_ADDRESS_FILE),
  };
  for (const folder of [dir.root, dir.datasets, dir.jobs, dir.spool])
    mkdirSync(folder, { recursive: true, mode: 0o700 });
  return dir;
}
