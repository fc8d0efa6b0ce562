import { describeError, type Label } from "@vault-tuner/shared";
import { DaemonError } from "../connection/daemon-client";
import type { QueuedLabel } from "../settings/plugin-settings";

export interface LabelQueueDeps {
  /** PUT /v1/traces/:id/label. */
  send(traceId: string, body: Label): Promise<void>;
  /** Saves the queue with the plugin's data; called before a label is reported as kept. */
  persist(queue: QueuedLabel[]): Promise<void>;
  initial: QueuedLabel[];
  now?: () => string;
}

export interface FlushResult {
  sent: number;
  /** Labels the daemon refused (an unknown trace...): dropped, each with why. */
  refused: { traceId: string; message: string }[];
  /** Still waiting, because the daemon is down or refuses the token. */
  waiting: number;
  /** Why the rest waits, when some does. */
  reason?: string;
}

/**
 * Labels go to the daemon through this queue, so none is lost while it is down: each is saved with the
 * plugin's data first, then sent, oldest first, and removed once the daemon has it. A later label of the
 * same trace replaces one still waiting (the last word counts, and it arrives once). Flushes never run
 * two at a time, so nothing is sent twice.
 */
export class LabelQueue {
  private queue: QueuedLabel[];
  private flushing: Promise<FlushResult> | undefined;
  private readonly now: () => string;

  constructor(private readonly deps: LabelQueueDeps) {
    this.queue = [...deps.initial];
    this.now = deps.now ?? (() => new Date().toISOString());
  }

  get pending(): readonly QueuedLabel[] {
    return this.queue;
  }

  /** Keeps the label (saved before this returns), then tries to send everything waiting. */
  label(traceId: string, body: Label): Promise<FlushResult> {
    return this.labelMany([{ traceId, body }]);
  }

  /** Several labels (a whole session) kept with one save, then sent. */
  async labelMany(labels: { traceId: string; body: Label }[]): Promise<FlushResult> {
    const now = this.now();
    const ids = new Set(labels.map((item) => item.traceId));
    // One change a trace waits: a later one folds into what waited, so a thumbs after a note keeps the note.
    const waiting = new Map(
      this.queue.filter((item) => ids.has(item.traceId)).map((item) => [item.traceId, item.body]),
    );
    this.queue = [
      ...this.queue.filter((item) => !ids.has(item.traceId)),
      ...labels.map(({ traceId, body }) => ({ traceId, body: laterChange(waiting.get(traceId), body), queuedAt: now })),
    ];
    await this.deps.persist(this.queue);
    return this.flush();
  }

  /** Sends what waits, oldest first; stops at the first sign the daemon is away. */
  flush(): Promise<FlushResult> {
    this.flushing ??= this.sendAll().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  private async sendAll(): Promise<FlushResult> {
    const result: FlushResult = { sent: 0, refused: [], waiting: 0 };
    while (this.queue.length > 0) {
      const item = this.queue[0] as QueuedLabel;
      try {
        await this.deps.send(item.traceId, item.body);
        result.sent += 1;
      } catch (error) {
        if (!(error instanceof DaemonError) || error.kind !== "refused") {
          result.reason = describeError(error);
          break;
        }
        result.refused.push({ traceId: item.traceId, message: error.message });
      }
      // Removed only now, and only this entry: a newer label of the same trace queued meanwhile stays.
      this.queue = this.queue.filter((entry) => entry !== item);
      await this.deps.persist(this.queue);
    }
    result.waiting = this.queue.length;
    return result;
  }
}

/** Two label changes of one trace as one: what the later one names wins; a correction only stays with "undesirable". */
export function laterChange(earlier: Label | undefined, later: Label): Label {
  if (!earlier) return later;
  const { correction, ...merged } = { ...earlier, ...later };
  return merged.label === "undesirable" && correction !== undefined ? { ...merged, correction } : merged;
}
