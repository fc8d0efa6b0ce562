import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Trace } from "@vault-tuner/shared";
import { startDaemon, type RunningDaemon } from "../src/http/server";

export interface TestDaemon {
  daemon: RunningDaemon;
  url: string;
  token: string;
  dataDir: string;
  /** fetch against the daemon with the token (unless `auth: false`). */
  call(
    method: string,
    path: string,
    options?: { body?: unknown; headers?: Record<string, string>; auth?: boolean },
  ): Promise<{ status: number; body: any; headers: Headers }>;
  /** Every stored trace matching a query string (`&tool=x`...), following the cursors, newest first. */
  allTraces(query?: string): Promise<any[]>;
  stop(): Promise<void>;
}

/** A real daemon on a free loopback port over a fresh temporary data dir. */
export async function startTestDaemon(
  options: { bodyLimit?: number; dataDir?: string; logLevel?: string; logStream?: NodeJS.WritableStream } = {},
): Promise<TestDaemon> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "vault-tuner-test-"));
  const daemon = await startDaemon({
    dataDir,
    port: 0,
    logLevel: options.logLevel ?? "silent",
    logStream: options.logStream,
    bodyLimit: options.bodyLimit,
  });
  const token = readFileSync(daemon.tokenFile, "utf8").trim();
  const call: TestDaemon["call"] = async (method, path, { body, headers = {}, auth = true } = {}) => {
    const allHeaders: Record<string, string> = { ...headers };
    if (auth) allHeaders.authorization = `Bearer ${token}`;
    if (body !== undefined) allHeaders["content-type"] ??= "application/json";
    const response = await fetch(`${daemon.url}${path}`, {
      method,
      headers: allHeaders,
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
  };
  return {
    daemon,
    url: daemon.url,
    token,
    dataDir,
    call,
    async allTraces(query = "") {
      const items: any[] = [];
      let cursor: string | null = null;
      do {
        const reply: { status: number; body: any } = await call(
          "GET",
          `/v1/traces?limit=100${query}${cursor ? `&cursor=${cursor}` : ""}`,
        );
        if (reply.status !== 200)
          throw new Error(`listing traces answered ${reply.status}: ${JSON.stringify(reply.body)}`);
        items.push(...reply.body.items);
        cursor = reply.body.nextCursor;
      } while (cursor);
      return items;
    },
    async stop() {
      await daemon.close();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

let counter = 0;

/** A well-formed 3.x wire call (`contentManager` with a `mode`), recorded by the tap. */
export function makeTrace(overrides: Partial<Trace> = {}): Trace {
  counter++;
  return {
    recordedAt: new Date(Date.UTC(2026, 10, 27, 10, 0, 0, counter)).toISOString(),
    source: { transport: "stdio-tap", client: "claude-ai", server: "claudesidian-mcp-notes" },
    session: "session-a",
    call: {
      name: "contentManager",
      arguments: {
        mode: "readContent",
        context: {
          sessionId: "session_1731000000000_abc123def",
          workspaceId: "default",
          sessionDescription: "Reading meeting notes",
          sessionMemory: "The user keeps meeting notes in Meetings/.",
          toolContext: "Open the standup note",
          primaryGoal: "Summarise the standup",
          subgoal: "Read the note",
        },
        sessionId: "session_1731000000000_abc123def",
        filePath: `Meetings/standup-${counter}.md`,
      },
    },
    result: { content: [{ type: "text", text: '{"success":true,"data":{"content":"# Standup"}}' }], isError: false },
    latencyMs: 12,
    ...overrides,
  };
}
