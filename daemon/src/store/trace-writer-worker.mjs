// The thread that commits traces. It runs apart from the HTTP thread so that the disk sync of one
// commit (about a millisecond or two) does not stop the daemon from reading the next requests, which
// then join the following commit. Plain JavaScript: a worker starts without the TypeScript loader.
import { parentPort, workerData } from "node:worker_threads";
import Database from "better-sqlite3";

const db = new Database(workerData.file);
db.pragma("synchronous = FULL");
db.pragma("busy_timeout = 5000");

const insert = db.prepare(
  `INSERT OR IGNORE INTO traces (id, recorded_at, recorded_ms, received_at, session, tool, toolset_hash, failed, suggestion, body)
   VALUES (@id, @recordedAt, @recordedMs, @receivedAt, @session, @tool, @toolsetHash, @failed, @suggestion, @body)`,
);
const readBack = db.prepare("SELECT body FROM traces WHERE id = ?").pluck();

/** A stored row that does not read back as it was written: the commit is rolled back, nothing is acknowledged. */
class ReadBackError extends Error {
  code = "READ_BACK_MISMATCH";
}

/**
 * Inserts every group in one transaction and reads each new row back before committing; says, per row,
 * whether it was new (false: its id was stored).
 */
const commit = db.transaction((groups) =>
  groups.map((rows) =>
    rows.map((row) => {
      if (insert.run(row).changes === 0) return false;
      if (readBack.get(row.id) !== row.body)
        throw new ReadBackError(`trace ${row.id} did not read back as it was written`);
      return true;
    }),
  ),
);

parentPort.on("message", (message) => {
  if (message.type === "close") {
    db.close();
    parentPort.close();
    return;
  }
  try {
    parentPort.postMessage({ seq: message.seq, inserted: commit(message.groups) });
  } catch (error) {
    parentPort.postMessage({
      seq: message.seq,
      error: error instanceof Error ? error.message : String(error),
      code: typeof error?.code === "string" ? error.code : undefined,
    });
  }
});
