/** A write the data dir's disk refused, as the status, code and words a user acts on. */
export interface StorageFailure {
  status: number;
  code: string;
  message: string;
}

/** Error codes (Node's and SQLite's) that mean the disk is full. */
const DISK_FULL = new Set(["ENOSPC", "EDQUOT", "SQLITE_FULL"]);
/** ... and that mean the data dir cannot be written at all (SQLite's SQLITE_READONLY_* codes too). */
const READ_ONLY = new Set(["EROFS"]);

/**
 * What a failed write was, when the disk refused it: 507 for a full disk, 503 for a data dir that
 * cannot be written, 500 `store-damaged` for a row that did not read back. Nothing was acknowledged, so the client can retry once space is freed. undefined
 * for any other failure.
 */
export function storageFailure(error: unknown): StorageFailure | undefined {
  const code = (error as { code?: unknown })?.code;
  if (typeof code !== "string") return undefined;
  if (DISK_FULL.has(code))
    return {
      status: 507,
      code: "disk-full",
      message:
        "the disk holding the daemon's data dir is full; nothing of this request was stored: free space and retry",
    };
  if (code === "READ_BACK_MISMATCH")
    return {
      status: 500,
      code: "store-damaged",
      message:
        "the store did not give back what it was given, so nothing of this request was kept: the database may be damaged; stop the daemon and restart it (it checks the store at start)",
    };
  if (READ_ONLY.has(code) || code.startsWith("SQLITE_READONLY"))
    return {
      status: 503,
      code: "data-dir-read-only",
      message:
        "the daemon's data dir cannot be written (read-only or not the daemon's to write); nothing of this request was stored",
    };
  return undefined;
}
