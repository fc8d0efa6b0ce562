import { readFileSync } from "node:fs";
import { join } from "node:path";
import { addressUrl, DAEMON_ADDRESS_FILE } from "@vault-tuner/shared";

/** Where the daemon running on this data dir says it listens (its daemon.json), if one does. */
export function runningDaemonUrl(dataDir: string): string | undefined {
  try {
    return addressUrl(readFileSync(join(dataDir, DAEMON_ADDRESS_FILE), "utf8"));
  } catch {
    return undefined;
  }
}
