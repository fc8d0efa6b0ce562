/** The data dir cannot be written: the daemon does not start on it, and says what to do. */
export class DataDirUnwritableError extends Error {}

/** Why a write was refused, in words, by the system's code. */
const REASONS: Record<string, string> = {
  EROFS: "it is on a read-only file system",
  EACCES: "this user may not write it",
  EPERM: "this user may not write it",
  ENOSPC: "its disk is full",
  EDQUOT: "the user's disk quota is used up",
};

/**
 * `error` as a DataDirUnwritableError when it is the system refusing a write in the data dir (a
 * read-only mount, permissions, a full disk), else undefined: the raw error is no help to a user.
 */
export function unwritableDataDir(error: unknown, root: string): DataDirUnwritableError | undefined {
  const { code, path } = error as NodeJS.ErrnoException;
  const reason = code ? REASONS[code] : undefined;
  if (!reason) return undefined;
  return new DataDirUnwritableError(
    `the data dir ${root} cannot be written: ${reason} (${code}${path ? ` on ${path}` : ""}). Make it writable (or free space), or start with another --data-dir (or VAULT_TUNER_HOME).`,
  );
}
