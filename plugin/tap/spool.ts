import { mkdir, open, rm, writeFile, type FileHandle } from "node:fs/promises";
import { join } from "node:path";
import type { TapRecord } from "./call-recorder";

/**
 * The tap's write-ahead log: every record is appended to `<runId>.jsonl` and synced to disk before the
 * tap tries to send it, so a killed tap or a down daemon loses nothing. `<runId>.sent` holds how many
 * records the daemon has acknowledged. The daemon imports spool files at start; the tap removes its
 * own when everything was delivered.
 */
export class Spool {
  readonly file: string;
  private readonly sentFile: string;
  private handle: Promise<FileHandle> | undefined;
  private written = 0;

  constructor(
    private readonly folder: string,
    runId: string,
  ) {
    this.file = join(folder, `${runId}.jsonl`);
    this.sentFile = join(folder, `${runId}.sent`);
  }

  /** Appends and syncs; resolves once the records would survive a crash. */
  async append(records: TapRecord[]): Promise<void> {
    // Created on first use, inside the shipper's error handling: a spool folder that cannot be made
    // costs the recording, never the relay.
    this.handle ??= mkdir(this.folder, { recursive: true, mode: 0o700 }).then(() => open(this.file, "a", 0o600));
    const handle = await this.handle;
    await handle.appendFile(records.map((record) => `${JSON.stringify(record)}\n`).join(""));
    await handle.sync();
    this.written += records.length;
  }

  async markSent(count: number): Promise<void> {
    await writeFile(this.sentFile, `${count}\n`, { mode: 0o600 });
  }

  /** Closes the file; removes both files when every written record was delivered. */
  async close(delivered: number): Promise<void> {
    if (this.handle) await (await this.handle).close();
    if (delivered === this.written)
      await Promise.all([rm(this.file, { force: true }), rm(this.sentFile, { force: true })]);
  }
}
