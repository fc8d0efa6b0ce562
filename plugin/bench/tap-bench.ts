/**
 * npm run bench:tap [-- --calls N]
 * Latency the tap adds to a tool call: the same scripted client makes N sequential `tools/call`s to a
 * server that answers at once, straight and through tap.cjs (recording to a running daemon), and
 * prints percentiles of both and their difference.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { spawnDaemon } from "../../daemon/test/spawn-daemon";
import { buildTap, ScriptedClient } from "../test/tap/tap-harness";

const { values } = parseArgs({ options: { calls: { type: "string", default: "5000" } } });
const ROUNDS = 5;
const calls = Math.ceil(Number(values.calls) / ROUNDS);
const server = [process.execPath, fileURLToPath(new URL("./echo-mcp-server.mjs", import.meta.url))];

async function measure(command: string[]): Promise<number[]> {
  const client = new ScriptedClient(command);
  await client.request(1, "initialize", {
    protocolVersion: "2025-06-18",
    capabilities: {},
    clientInfo: { name: "bench", version: "1" },
  });
  await client.request(2, "tools/list", {});
  for (let i = 0; i < 200; i++)
    await client.request(100 + i, "tools/call", { name: "echo", arguments: { text: `warm ${i}` } });
  const latencies: number[] = [];
  for (let i = 0; i < calls; i++) {
    const started = process.hrtime.bigint();
    await client.request(1000 + i, "tools/call", { name: "echo", arguments: { text: `call ${i}` } });
    latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  await client.close();
  return latencies.sort((a, b) => a - b);
}

const at = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;

const dataDir = mkdtempSync(join(tmpdir(), "vault-tuner-tap-bench-"));
const daemon = await spawnDaemon(dataDir);
try {
  const spool = join(dataDir, "spool");
  const token = join(dataDir, "token");
  const paths: [string, string[]][] = [
    ["direct", server],
    [
      "bare relay (no recording)",
      [process.execPath, fileURLToPath(new URL("./bare-relay.mjs", import.meta.url)), ...server],
    ],
    [
      "tap, recording to the daemon",
      [process.execPath, buildTap(), "--spool", spool, "--daemon", daemon.url, "--token-file", token, "--", ...server],
    ],
    [
      "tap, daemon down (spool only)",
      [
        process.execPath,
        buildTap(),
        "--spool",
        spool,
        "--daemon",
        "http://127.0.0.1:9",
        "--token-file",
        token,
        "--",
        ...server,
      ],
    ],
  ];
  process.stdout.write(
    `machine: ${cpus().length} x ${cpus()[0]?.model}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; ${calls * ROUNDS} sequential calls per path, in ${ROUNDS} alternating rounds\n`,
  );
  // Alternating rounds, so warm-up and whatever else the machine does fall on every path alike.
  const results = paths.map(() => [] as number[]);
  for (let round = 0; round < ROUNDS; round++)
    for (const [i, [, command]] of paths.entries()) results[i]?.push(...(await measure(command)));
  for (const sorted of results) sorted.sort((a, b) => a - b);
  const direct = results[0] as number[];
  process.stdout.write("\n| path | p50 ms | p90 ms | p99 ms | added p50 | added p99 |\n|---|---|---|---|---|---|\n");
  for (const [i, [name]] of paths.entries()) {
    const sorted = results[i] as number[];
    const added = (p: number) => (i === 0 ? "" : (at(sorted, p) - at(direct, p)).toFixed(3));
    process.stdout.write(
      `| ${name} | ${at(sorted, 50).toFixed(3)} | ${at(sorted, 90).toFixed(3)} | ${at(sorted, 99).toFixed(3)} | ${added(50)} | ${added(99)} |\n`,
    );
  }
  const stored = await (
    await fetch(`${daemon.url}/v1/traces?limit=100`, {
      headers: { authorization: `Bearer ${readFileSync(token, "utf8").trim()}` },
    })
  ).json();
  process.stdout.write(
    `\nthe daemon holds the recorded calls: ${(stored as { items: unknown[] }).items.length === 100 ? "yes" : "NO"}\n`,
  );
} finally {
  daemon.child.kill("SIGTERM");
  await daemon.exited;
  rmSync(dataDir, { recursive: true, force: true });
}
