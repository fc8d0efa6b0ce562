import { closeSync, openSync } from "node:fs";
import Database from "better-sqlite3";
import { MIGRATIONS } from "./migrations";

export type Db = Database.Database;

/**
 * Opens (creating if needed) the store and brings its schema up to date. WAL with `synchronous = FULL`:
 * a commit is on disk before it returns, which is what lets the daemon acknowledge a trace only once it
 * would survive a crash or a power cut.
 */
export function openDatabase(file: string): Db {
  // Created private before SQLite opens it; its -wal and -shm files copy these permissions.
  closeSync(openSync(file, "a", 0o600));
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
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
