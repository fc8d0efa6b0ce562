import { readFile } from "node:fs/promises";
import { cutJson, type Trace } from "@vault-tuner/shared";
import { addressUrl, DEFAULT_DAEMON_URL } from "@vault-tuner/shared/daemon-address";
import type { TapRecord } from "./call-recorder";
import type { Spool } from "./spool";

const BATCH_DELAY_MS = 20;
const MAX_TRACES_PER_POST = 500;
/** A batch stays under this many bytes of JSON (a single larger call goes alone), well below the daemon's body limit. */
const MAX_POST_BYTES = 4 * 1024 * 1024;
/**
 * A call the daemon still finds too large when sent alone (413) goes again with its large values cut,
 * the cuts said in place and the trace marked truncated, so it can still be labelled (the values cut
 * are not kept: the daemon would not take them).
 */
const OVERSIZED_CALL_LIMITS = { chars: 16 * 1024, items: 200, depth: 16 };
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
    // Lowered when the daemon answers 413 (its body limit may be below ours); back to the full size
    // for the next delivery.
    let maxBytes = MAX_POST_BYTES;
    while (this.unsent.length > 0) {
      const first = this.unsent[0] as TapRecord;
      if (first.kind === "toolset") {
        const status = await this.send(url, "/v1/toolsets", JSON.stringify(first.toolsList), token);
        if (status === 413) this.refuse("a toolset larger than its body limit");
        this.acknowledge(1);
      } else {
        const batch = this.nextTraces(maxBytes);
        const status = await this.send(url, "/v1/traces", `{"traces":[${batch.join(",")}]}`, token);
        if (status !== 413) this.acknowledge(batch.length);
        else if (batch.length > 1) maxBytes = Math.floor(batch.reduce((bytes, json) => bytes + json.length, 0) / 2);
        else await this.sendCut(url, token);
      }
      await this.spool.markSent(this.delivered).catch((error: Error) => this.log(`marking sent: ${error.message}`));
    }
  }

  /** The leading traces, as JSON, up to MAX_TRACES_PER_POST and `maxBytes` (at least one). */
  private nextTraces(maxBytes: number): string[] {
    const batch: string[] = [];
    let bytes = 0;
    for (const record of this.unsent) {
      if (record.kind !== "trace" || batch.length >= MAX_TRACES_PER_POST) break;
      const json = JSON.stringify(record.trace);
      if (batch.length > 0 && bytes + json.length > maxBytes) break;
      batch.push(json);
      bytes += json.length;
    }
    return batch;
  }

  /** The first unsent trace, too large for the daemon whole, sent with its large values cut. */
  private async sendCut(url: string, token: string): Promise<void> {
    const trace = (this.unsent[0] as Extract<TapRecord, { kind: "trace" }>).trace;
    const cut: Trace = {
      ...trace,
      call: { ...trace.call, arguments: cutJson(trace.call.arguments, OVERSIZED_CALL_LIMITS).value },
      ...(trace.result ? { result: cutJson(trace.result, OVERSIZED_CALL_LIMITS).value } : {}),
      truncated: true,
    };
    const status = await this.send(url, "/v1/traces", JSON.stringify({ traces: [cut] }), token);
    if (status === 413) this.refuse(`a call too large even with its values cut (${trace.id})`);
    this.acknowledge(1);
  }

  private acknowledge(count: number): void {
    this.unsent.splice(0, count);
    this.delivered += count;
  }

  /** The daemon will never take this record; the spool file is kept so it is not lost, and delivery moves on. */
  private refuse(what: string): void {
    this.refused = true;
    this.log(`the daemon refused ${what} (kept in ${this.spool.file})`);
  }

  /** The URL given, else where the running daemon says it listens (read at every try: it may have restarted elsewhere), else the default. */
  private async daemonUrl(): Promise<string> {
    if (this.daemon.url) return this.daemon.url;
    const written = this.daemon.addressFile
      ? await readFile(this.daemon.addressFile, "utf8").then(addressUrl, () => undefined)
      : undefined;
    return written ?? DEFAULT_DAEMON_URL;
  }

  /** Posts a JSON body; resolves with the status when the daemon took it, refused it for good (400) or found it too large (413). */
  private async send(url: string, path: string, body: string, token: string): Promise<number> {
    const response = await fetch(`${url}${path}`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body,
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await response.text();
    if (response.status === 400) this.refuse(`a record: ${text.slice(0, 300)}`);
    else if (!response.ok && response.status !== 413)
      throw new Error(`${path} answered ${response.status}: ${text.slice(0, 200)}`);
    return response.status;
  }
}
