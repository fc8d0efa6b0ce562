import { readFile } from "node:fs/promises";
import type { TapRecord } from "./call-recorder";
import type { Spool } from "./spool";

const BATCH_DELAY_MS = 20;
const MAX_TRACES_PER_POST = 500;
const REQUEST_TIMEOUT_MS = 5_000;
const MAX_RETRY_MS = 30_000;

/**
 * Takes records from the recorder, spools them, and delivers them to the daemon in order and in
 * batches. When the daemon cannot be reached it retries with backoff; what it could not deliver stays
 * in the spool for the daemon to import at its next start. Nothing here ever touches the relay.
 */
export class Shipper {
  private readonly queue: TapRecord[] = [];
  /** Records spooled but not yet acknowledged by the daemon, in order. */
  private readonly unsent: TapRecord[] = [];
  private delivered = 0;
  private timer: NodeJS.Timeout | undefined;
  private retryMs = 500;
  private working: Promise<void> = Promise.resolve();
  private refused = false;

  constructor(
    private readonly spool: Spool,
    private readonly daemon: { url?: string; tokenFile?: string },
    private readonly log: (message: string) => void,
  ) {}

  add(record: TapRecord): void {
    this.queue.push(record);
    this.schedule(BATCH_DELAY_MS);
  }

  /** Spools what is queued and tries one last delivery, within `timeoutMs`. */
  async close(timeoutMs: number): Promise<void> {
    clearTimeout(this.timer);
    const finish = (async () => {
      await this.run();
      await this.spool.close(this.refused ? -1 : this.delivered);
    })().catch((error: Error) => this.log(`closing the spool failed: ${error.message}`));
    await Promise.race([finish, new Promise((resolve) => setTimeout(resolve, timeoutMs).unref())]);
  }

  private schedule(delay: number): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.run();
    }, delay);
  }

  /** One pass at a time: spool the queue, then deliver what is unsent. */
  private run(): Promise<void> {
    this.working = this.working.then(async () => {
      try {
        if (this.queue.length > 0) {
          const batch = this.queue.splice(0);
          await this.spool.append(batch);
          this.unsent.push(...batch);
        }
        if (this.unsent.length > 0 && this.daemon.url) await this.deliver();
        this.retryMs = 500;
      } catch (error) {
        this.log(`delivery failed, retrying in ${this.retryMs} ms: ${(error as Error).message}`);
        const delay = this.retryMs;
        this.retryMs = Math.min(this.retryMs * 2, MAX_RETRY_MS);
        this.schedule(delay);
      }
    });
    return this.working;
  }

  private async deliver(): Promise<void> {
    const token = this.daemon.tokenFile ? (await readFile(this.daemon.tokenFile, "utf8")).trim() : "";
    while (this.unsent.length > 0) {
      const first = this.unsent[0] as TapRecord;
      let count: number;
      if (first.kind === "toolset") {
        await this.post("/v1/toolsets", first.toolsList, token);
        count = 1;
      } else {
        let end = 0;
        while (end < this.unsent.length && end < MAX_TRACES_PER_POST && this.unsent[end]?.kind === "trace") end++;
        const traces = this.unsent.slice(0, end).map((record) => (record as Extract<TapRecord, { kind: "trace" }>).trace);
        await this.post("/v1/traces", { traces }, token);
        count = end;
      }
      this.unsent.splice(0, count);
      this.delivered += count;
      await this.spool.markSent(this.delivered);
    }
  }

  private async post(path: string, body: unknown, token: string): Promise<void> {
    const response = await fetch(`${this.daemon.url}${path}`, {
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
