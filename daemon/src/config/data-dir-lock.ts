import { openSync, readFileSync, rmSync, writeSync, closeSync } from "node:fs";
import { join } from "node:path";
import { processAlive } from "./process-alive";
import { runningDaemonUrl } from "./running-daemon";

/** Two daemons on one data dir would both write it: the second is refused, naming the first. */
export class DataDirInUseError extends Error {}

const LOCK_FILE = "daemon.lock";

/**
 * Takes the data dir for this daemon: `daemon.lock` made exclusively, holding this process's pid. A lock
 * whose process is gone (a daemon killed with -9) is taken over; one whose process lives is refused with
 * its pid and, when it says, its address. Resolves to the release, called when the daemon has stopped.
 */
export function lockDataDir(root: string): () => void {
  const file = join(root, LOCK_FILE);
  // A lock taken over from a dead process is made again at once; twice is enough for one race.
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, "wx", 0o600);
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return () => rmSync(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const holder = Number.parseInt(readText(file) ?? "", 10);
    if (Number.isInteger(holder) && holder > 0 && processAlive(holder)) {
      const url = runningDaemonUrl(root);
      throw new DataDirInUseError(
        `another daemon (pid ${holder}${url ? `, at ${url}` : ""}) already uses the data dir ${root}: stop it first, or give this one another --data-dir`,
      );
    }
    rmSync(file, { force: true });
  }
  throw new DataDirInUseError(`another daemon took the data dir ${root} while this one started`);
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}
