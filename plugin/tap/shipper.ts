import { readFile } from "node:fs/promises";
import { addressUrl, DEFAULT_DAEMON_URL } from "@vault-tuner/shared/daemon-address";
import type { TapRecord } from "./call-recorder";
import type { Spool } from "./spool";

const BATCH_DELAY_MS = 20;
const MAX_TRACES_PER_POST = 500;
const REQUEST_TIMEOUT_MS = 5_000;
const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 30_000;

/**
 * Takes records from the recorder, spools them, and delivers them to the daemon in order and in
 * batches. Spooling never waits for delivery, so a slow or dead daemon cannot keep a record off the
 * disk. When the daemon cannot be reached the tap retries with backoff; what it could not deliver
 * stays in the spool for the daemon to import at its next start. Nothing here touches the relay.
 */
export class Shipper {
  private readonly queue: TapRecord[] = [];
  /** Records spooled but not yet acknowledged by the daemon, in order. */
  private readonly unsent: TapRecord[] = [];
  private delivered = 0;
  private batchTimer: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private retryMs = FIRST_RETRY_MS;
  private spooling: Promise<void> = Promise.resolve();
  private delivering: Promise<void> | undefined;
  private refused = false;

  constructor(
    private readonly spool: Spool,
    private readonly daemon: { url?: string; addressFile?: string; tokenFile?: string },
    private readonly log: (message: string) => void,
  ) {}

  add(record: TapRecord): void {
    this.queue.push(record);
    this.batchTimer ??= setTimeout(() => {
      this.batchTimer = undefined;
      void this.flushToSpool();
    }, BATCH_DELAY_MS);
  }

  /** Spools what is queued, then gives delivery until `timeoutMs` is up; undelivered records stay spooled. */
  async close(timeoutMs: number): Promise<void> {
    clearTimeout(this.batchTimer);
    clearTimeout(this.retryTimer);
    const finish = (async () => {
      await this.flushToSpool();
      this.startDelivery();
      while (this.delivering) await this.delivering;
      await this.spool.close(this.refused || this.unsent.length > 0 ? -1 : this.delivered);
    })().catch((error: Error) => this.log(`closing: ${error.message}`));
    // A timer that holds the process open: the tap must still exit with the upstream's code afterwards.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([finish, new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
    clearTimeout(timer);
  }

  private flushToSpool(): Promise<void> {
    this.spooling = this.spooling.then(async () => {
      if (this.queue.length === 0) return;
      const batch = this.queue.splice(0);
      try {
        await this.spool.append(batch);
      } catch (error) {
        this.log(`spooling failed (records are only in memory): ${(error as Error).message}`);
      }
      this.unsent.push(...batch);
      this.startDelivery();
    });
    return this.spooling;
  }

  /** One delivery at a time; a failure schedules the next try with backoff. */
  private startDelivery(): void {
    if (this.delivering || this.retryTimer || this.unsent.length === 0) return;
    this.delivering = this.deliver()
      .then(() => {
        this.retryMs = FIRST_RETRY_MS;
      })
      .catch((error: Error) => {
        this.log(`delivery failed, retrying in ${this.retryMs} ms: ${error.message}`);
        this.retryTimer = setTimeout(() => {
          this.retryTimer = undefined;
          this.startDelivery();
        }, this.retryMs);
        this.retryMs = Math.min(this.retryMs * 2, MAX_RETRY_MS);
      })
      .finally(() => {
        this.delivering = undefined;
      });
  }

  private async deliver(): Promise<void> {
    const token = this.daemon.tokenFile ? (await readFile(this.daemon.tokenFile, "utf8")).trim() : "";
    const url = await this.daemonUrl();
    while (this.unsent.length > 0) {
      const first = this.unsent[0] as TapRecord;
      let count: number;
      if (first.kind === "toolset") {
        await this.post(url, "/v1/toolsets", first.toolsList, token);
        count = 1;
      } else {
        let end = 0;
        while (end < this.unsent.length && end < MAX_TRACES_PER_POST && this.unsent[end]?.kind === "trace") end++;
        const traces = this.unsent
          .slice(0, end)
          .map((record) => (record as Extract<TapRecord, { kind: "trace" }>).trace);
        await this.post(url, "/v1/traces", { traces }, token);
        count = end;
      }
      this.unsent.splice(0, count);
      this.delivered += count;
      await this.spool.markSent(this.delivered).catch((error: Error) => this.log(`marking sent: ${error.message}`));
    }
  }

  /** The URL given, else where the running daemon says it listens (read at every try: it may have restarted elsewhere), else the default. */
  private async daemonUrl(): Promise<string> {
    if (this.daemon.url) return this.daemon.url;
    const written = this.daemon.addressFile
      ? await readFile(this.daemon.addressFile, "utf8").then(addressUrl, () => undefined)
      : undefined;
    return written ?? DEFAULT_DAEMON_URL;
  }

  private async post(url: string, path: string, body: unknown, token: string): Promise<void> {
    const response = await fetch(`${url}${path}`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await response.text();
    if (response.status === 400) {
      // The daemon will never take this record; keep the spool file so it is not lost, and move on.
      this.refused = true;
      this.log(`the daemon refused a record (kept in ${this.spool.file}): ${text.slice(0, 300)}`);
      return;
    }
    if (!response.ok) throw new Error(`${path} answered ${response.status}: ${text.slice(0, 200)}`);
  }
}
