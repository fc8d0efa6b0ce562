import { Worker } from "node:worker_threads";
import type { TraceRowInput } from "./trace-rows";

interface Reply {
  seq: number;
  inserted?: boolean[][];
  error?: string;
  /** SQLite's code for the failure (SQLITE_FULL...), so the reply can say what happened. */
  code?: string;
}

/** A commit the store refused, with SQLite's code. */
export class TraceWriteError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

/** Main-thread handle on the commit thread: one commit at a time, answered in order. */
export class TraceWriter {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, { resolve(inserted: boolean[][]): void; reject(error: Error): void }>();
  private seq = 0;
  private failure: Error | undefined;

  constructor(databaseFile: string) {
    this.worker = new Worker(new URL("./trace-writer-worker.mjs", import.meta.url), {
      workerData: { file: databaseFile },
    });
    this.worker.on("message", (reply: Reply) => {
      const waiter = this.waiting.get(reply.seq);
      this.waiting.delete(reply.seq);
      if (reply.error !== undefined)
        waiter?.reject(new TraceWriteError(`storing traces failed: ${reply.error}`, reply.code));
      else waiter?.resolve(reply.inserted as boolean[][]);
    });
    this.worker.on("error", (error) => this.failAll(error));
    this.worker.on("exit", (code) => this.failAll(new Error(`the trace writer stopped (exit ${code})`)));
  }

  /** Commits all groups in one transaction; resolves once it is on disk. */
  commit(groups: TraceRowInput[][]): Promise<boolean[][]> {
    if (this.failure) return Promise.reject(this.failure);
    const seq = ++this.seq;
    return new Promise((resolve, reject) => {
      this.waiting.set(seq, { resolve, reject });
      this.worker.postMessage({ type: "commit", seq, groups });
    });
  }

  /** Lets the commit in flight finish, then closes the writer's database connection. */
  async close(): Promise<void> {
    if (this.failure) return;
    const exited = new Promise<void>((resolve) => this.worker.once("exit", () => resolve()));
    this.worker.postMessage({ type: "close" });
    await exited;
  }

  private failAll(error: Error): void {
    this.failure ??= error;
    for (const waiter of this.waiting.values()) waiter.reject(error);
    this.waiting.clear();
  }
}
