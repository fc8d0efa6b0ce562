import { closeSync, openSync } from "node:fs";
import Database from "better-sqlite3";
import { describeError } from "@vault-tuner/shared";
import { MIGRATIONS } from "./migrations";

export type Db = Database.Database;

/** The database file cannot be used as it is: the daemon does not start on it, and says how to recover. */
export class DatabaseDamagedError extends Error {}

/** What to do about a damaged store, in the words a user acts on. */
function recoveryHint(file: string): string {
  return `stop every daemon on this data dir, move ${file} (and its -wal and -shm files) aside, and start again: the daemon makes a new, empty store (recorded calls and labels then start over; datasets, jobs and models on disk stay). To save what can be read, sqlite3's .recover makes a copy.`;
}

/**
 * Opens (creating if needed) the store and brings its schema up to date. WAL with `synchronous = FULL`:
 * a commit is on disk before it returns, which is what lets the daemon acknowledge a trace only once it
 * would survive a crash or a power cut.
 */
export function openDatabase(file: string): Db {
  // Created private before SQLite opens it; its -wal and -shm files copy these permissions.
  closeSync(openSync(file, "a", 0o600));
  let db: Db;
  try {
    db = new Database(file);
    db.pragma("journal_mode = WAL");
    // A damaged page would answer some reads with errors and let writes through: refuse it at the door.
    const check = db.pragma("quick_check", { simple: true });
    if (check !== "ok") throw new DatabaseDamagedError(`the store ${file} is damaged (quick_check: ${String(check)})`);
  } catch (error) {
    if (error instanceof DatabaseDamagedError)
      throw new DatabaseDamagedError(`${error.message}: ${recoveryHint(file)}`);
    // The header itself: SQLite does not even take it for a database.
    throw new DatabaseDamagedError(
      `the store ${file} cannot be opened (${describeError(error)}): ${recoveryHint(file)}`,
    );
  }
  db.pragma("synchronous = FULL");
  db.pragma("foreign_keys = ON");
  db.pragma("busy_timeout = 5000");
  migrate(db);
  return db;
}

function migrate(db: Db): void {
  const current = db.pragma("user_version", { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new Error(
      `the database is at schema version ${current}, newer than this daemon knows (${MIGRATIONS.length}); update Vault Tuner`,
    );
  }
  for (let version = current; version < MIGRATIONS.length; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version] as string);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}
