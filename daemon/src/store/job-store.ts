import { randomBytes } from "node:crypto";
import type { Job, JobProgress, JobRequest, JobState } from "@vault-tuner/shared";
import type { Db } from "./open-database";

interface JobRow {
  id: string;
  kind: Job["kind"];
  state: JobState;
  request: string;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  attempts: number;
  progress: string | null;
  error: string | null;
  artefacts: string;
}

function toJob(row: JobRow): Job {
  return {
    id: row.id,
    kind: row.kind,
    state: row.state,
    request: JSON.parse(row.request) as JobRequest,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    attempts: row.attempts,
    progress: row.progress ? (JSON.parse(row.progress) as JobProgress) : null,
    error: row.error ? (JSON.parse(row.error) as Job["error"]) : null,
    artefacts: JSON.parse(row.artefacts) as Record<string, string>,
  };
}

/** Jobs and their states, durable: every change is committed before the daemon reports it. */
export class JobStore {
  constructor(private readonly db: Db) {}

  create(request: JobRequest, now: string): Job {
    const id = `job_${now.replace(/\D/g, "").slice(0, 14)}_${randomBytes(4).toString("hex")}`;
    this.db
      .prepare("INSERT INTO jobs (id, kind, state, request, created_at) VALUES (?, ?, 'queued', ?, ?)")
      .run(id, request.kind, JSON.stringify(request), now);
    return this.get(id) as Job;
  }

  get(id: string): Job | undefined {
    const row = this.db.prepare<[string], JobRow>("SELECT * FROM jobs WHERE id = ?").get(id);
    return row ? toJob(row) : undefined;
  }

  /** Newest first. */
  list(filter: { state?: JobState; kind?: Job["kind"]; limit: number }): Job[] {
    const rows = this.db
      .prepare<[string | null, string | null, string | null, string | null, number], JobRow>(
        "SELECT * FROM jobs WHERE (? IS NULL OR state = ?) AND (? IS NULL OR kind = ?) ORDER BY seq DESC LIMIT ?",
      )
      .all(filter.state ?? null, filter.state ?? null, filter.kind ?? null, filter.kind ?? null, filter.limit);
    return rows.map(toJob);
  }

  /** The oldest queued job: jobs run in the order they were asked for. */
  nextQueued(): Job | undefined {
    const row = this.db.prepare<[], JobRow>("SELECT * FROM jobs WHERE state = 'queued' ORDER BY seq LIMIT 1").get();
    return row ? toJob(row) : undefined;
  }

  started(id: string, now: string): void {
    this.db
      .prepare(
        "UPDATE jobs SET state = 'running', started_at = ?, finished_at = NULL, attempts = attempts + 1, error = NULL WHERE id = ?",
      )
      .run(now, id);
  }

  finished(id: string, state: Exclude<JobState, "queued" | "running">, now: string, error: Job["error"] = null): void {
    this.db
      .prepare("UPDATE jobs SET state = ?, finished_at = ?, error = ? WHERE id = ?")
      .run(state, now, error ? JSON.stringify(error) : null, id);
  }

  requeue(id: string): void {
    this.db.prepare("UPDATE jobs SET state = 'queued', finished_at = NULL, error = NULL WHERE id = ?").run(id);
  }

  setProgress(id: string, progress: JobProgress): void {
    this.db.prepare("UPDATE jobs SET progress = ? WHERE id = ?").run(JSON.stringify(progress), id);
  }

  setArtefacts(id: string, artefacts: Record<string, string>): void {
    this.db.prepare("UPDATE jobs SET artefacts = ? WHERE id = ?").run(JSON.stringify(artefacts), id);
  }

  /**
   * At start-up: jobs the previous daemon left running were cut off with it (their trainers stop by
   * themselves when the daemon goes). They become interrupted and are not restarted on their own.
   */
  interruptRunning(now: string): string[] {
    const ids = this.db
      .prepare<[], { id: string }>("SELECT id FROM jobs WHERE state = 'running'")
      .all()
      .map((row) => row.id);
    const error = JSON.stringify({
      code: "interrupted",
      message: "the daemon stopped while this job ran",
      hint: "resume it (POST /v1/jobs/:id/resume or vault-tuner jobs resume ID) to continue from its last checkpoint",
    });
    this.db
      .prepare("UPDATE jobs SET state = 'interrupted', finished_at = ?, error = ? WHERE state = 'running'")
      .run(now, error);
    return ids;
  }
}
