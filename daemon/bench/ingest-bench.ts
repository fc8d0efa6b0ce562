/**
 * npm run bench:ingest [-- --singles N --batches N --concurrency N]
 * Starts `vault-tuner daemon` as its own process over a fresh data dir and posts traces to it over
 * loopback, as recorders do: single-trace requests, then batches of 100. Prints acknowledged traces/s,
 * request latency percentiles and the daemon's memory.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { Agent, request as httpRequest } from "node:http";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { Trace } from "@vault-tuner/shared";
import { makeTrace } from "../test/daemon-harness";
import { spawnDaemon } from "../test/spawn-daemon";

const { values } = parseArgs({
  options: {
    singles: { type: "string", default: "5000" },
    batches: { type: "string", default: "300" },
    concurrency: { type: "string", default: "8" },
  },
});
const singles = Number(values.singles);
const batches = Number(values.batches);
const concurrency = Number(values.concurrency);
// node:http with keep-alive, as the recorders post; fetch would spend more of the 2 cores than the daemon.
const agent = new Agent({ keepAlive: true, maxSockets: 64 });

function post(url: URL, token: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        path: "/v1/traces",
        method: "POST",
        agent,
        headers: {
          authorization: `Bearer ${token}`,
          "content-type": "application/json",
          "content-length": Buffer.byteLength(body),
        },
      },
      (response) => {
        response.resume();
        response.on("end", () => resolve(response.statusCode ?? 0));
      },
    );
    request.on("error", reject);
    request.end(body);
  });
}

/** A realistic recorded call: the harness's 3.x `readContent` trace with a note of about 500 bytes as its result. */
function trace(id: string, i: number): Trace {
  const note = JSON.stringify({ success: true, data: { content: `# Note ${i}\n${"Some text. ".repeat(40)}` } });
  return makeTrace({
    id,
    session: `bench-${Math.floor(i / 20)}`,
    recordedAt: new Date(Date.UTC(2026, 10, 27, 0, 0, 0, i)).toISOString(),
    result: { content: [{ type: "text", text: note }], isError: false },
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/** Posts `requests` requests of `size` traces from `concurrency` parallel clients; returns figures. */
async function run(url: string, token: string, label: string, requests: number, size: number, clients: number) {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  const client = async () => {
    for (let r = next++; r < requests; r = next++) {
      const body = JSON.stringify({
        traces: Array.from({ length: size }, (_, k) => trace(`${label}-${r}-${k}`, r * size + k)),
      });
      const t0 = performance.now();
      const status = await post(new URL(url), token, body);
      if (status !== 201) throw new Error(`${label}: status ${status}`);
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: clients }, client));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    label,
    clients,
    size,
    requests,
    traces: requests * size,
    seconds,
    tracesPerSecond: (requests * size) / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  };
}

function memoryOf(pid: number): { rssMiB: number; peakMiB: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
  return { rssMiB: kib("VmRSS") / 1024, peakMiB: kib("VmHWM") / 1024 };
}

const dataDir = mkdtempSync(join(tmpdir(), "vault-tuner-bench-"));
const { child, url, exited } = await spawnDaemon(dataDir);
try {
  const token = readFileSync(join(dataDir, "token"), "utf8").trim();
  process.stdout.write(
    `machine: ${cpus().length} x ${cpus()[0]?.model}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}\n`,
  );
  process.stdout.write(`daemon: ${url}, SQLite WAL synchronous=FULL (every acknowledged trace synced to disk)\n`);
  await run(url, token, "warmup", 200, 1, concurrency);
  const results = [
    await run(url, token, "single-serial", Math.ceil(singles / 5), 1, 1),
    await run(url, token, "single", singles, 1, concurrency),
    await run(url, token, "batch100", batches, 100, Math.max(1, concurrency / 2)),
  ];
  const memory = memoryOf(child.pid as number);
  process.stdout.write(
    "\n| traces per request | clients | requests | traces/s | p50 ms | p99 ms |\n|---|---|---|---|---|---|\n",
  );
  for (const r of results) {
    process.stdout.write(
      `| ${r.size} | ${r.clients} | ${r.requests} | ${Math.round(r.tracesPerSecond)} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} |\n`,
    );
  }
  process.stdout.write(
    `\ndaemon memory: RSS ${memory.rssMiB.toFixed(0)} MiB now, peak ${memory.peakMiB.toFixed(0)} MiB\n`,
  );
} finally {
  child.kill("SIGTERM");
  await exited;
  rmSync(dataDir, { recursive: true, force: true });
}
