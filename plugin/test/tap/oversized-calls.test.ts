import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MAX_JSON_DEPTH } from "@vault-tuner/shared";
import { describe, expect, it } from "vitest";
import { startTestDaemon, type TestDaemon } from "../../../daemon/test/daemon-harness";
import { nestedObjectText } from "../../../daemon/test/nested-json";
import { buildTap, filesystemServer, ScriptedClient, recordingFlags } from "./tap-harness";

const vault = mkdtempSync(join(tmpdir(), "vault-tuner-fs-"));
mkdirSync(join(vault, "Notes"));
writeFileSync(join(vault, "Notes", "a.md"), "# A\nfirst note\n");
const notePath = join(vault, "Notes", "a.md");

function tappedClient(daemon: TestDaemon): ScriptedClient {
  return new ScriptedClient([
    process.execPath,
    buildTap(),
    ...recordingFlags(daemon),
    "--",
    ...filesystemServer(vault),
  ]);
}

async function open(client: ScriptedClient): Promise<void> {
  await client.request(1, "initialize", { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "c" } });
  client.send({ jsonrpc: "2.0", method: "notifications/initialized" });
  await client.request(2, "tools/list", {});
}

/** Waits until the daemon holds `count` traces (delivery runs behind the relay). */
async function tracesOnceThere(daemon: TestDaemon, count: number): Promise<any[]> {
  for (let tries = 0; tries < 100; tries++) {
    const traces = await daemon.allTraces();
    if (traces.length >= count) return traces;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the daemon never got ${count} traces (has ${(await daemon.allTraces()).length})`);
}

describe("calls too deep or too large for the daemon", () => {
  it("records a call nested 5,000 deep with the deeper values replaced by a marker, relays it, and goes on", {
    timeout: 30_000,
  }, async () => {
    const daemon = await startTestDaemon();
    try {
      const client = tappedClient(daemon);
      await open(client);
      // Written by hand: JSON.stringify cannot go this deep.
      const raw = `{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"read_text_file","arguments":{"path":${JSON.stringify(notePath)},"deep":${nestedObjectText(5_000)}}}}\n`;
      const answered = new Promise((resolve) => client.child.stdout.once("data", resolve));
      client.child.stdin.write(raw);
      await answered;
      expect(
        JSON.stringify(
          await client.request(4, "tools/call", { name: "read_text_file", arguments: { path: notePath } }),
        ),
      ).toContain("first note");
      expect(await client.close()).toBe(0);

      const traces = await tracesOnceThere(daemon, 2);
      const deep = (await daemon.call("GET", `/v1/traces/${traces.find((t) => t.call.arguments.deep)?.id}`)).body.trace;
      expect(deep.truncated).toBe(true);
      let value = deep.call.arguments.deep;
      let depth = 1;
      for (; typeof value === "object"; depth++) value = value.a;
      expect(value).toBe(`[nested deeper than ${MAX_JSON_DEPTH} levels]`);
      expect(depth).toBe(MAX_JSON_DEPTH);
      expect(traces.find((t) => !t.call.arguments.deep)?.truncated).toBeUndefined();
    } finally {
      await daemon.stop();
    }
  });

  it("splits batches over the daemon's body limit, and sends a call too large alone with its values cut", {
    timeout: 30_000,
  }, async () => {
    const daemon = await startTestDaemon({ bodyLimit: 64 * 1024 });
    try {
      const client = tappedClient(daemon);
      await open(client);
      // Forty 2 kB calls in one write: recorded together, one batch of about 80 kB.
      const pad = "p".repeat(1_900);
      const calls = Array.from({ length: 40 }, (_, i) => ({
        jsonrpc: "2.0",
        id: 10 + i,
        method: "tools/call",
        params: { name: "read_text_file", arguments: { path: notePath, pad } },
      }));
      client.send(...calls);
      await client.request(99, "ping");
      await client.request(50, "tools/call", {
        name: "read_text_file",
        arguments: { path: notePath, big: "b".repeat(200_000) },
      });
      await client.request(51, "tools/call", { name: "read_text_file", arguments: { path: notePath } });
      expect(await client.close()).toBe(0);

      const traces = await tracesOnceThere(daemon, 42);
      expect(traces).toHaveLength(42);
      const big = (await daemon.call("GET", `/v1/traces/${traces.find((t) => t.call.arguments.big)?.id}`)).body.trace;
      expect(big.truncated).toBe(true);
      expect(big.call.arguments.big).toMatch(/^b{16384}… \[183616 more characters\]$/);
      expect(traces.filter((t) => t.call.arguments.pad === pad)).toHaveLength(40);
      expect(readdirSync(join(daemon.dataDir, "spool")), "everything was delivered").toEqual([]);
    } finally {
      await daemon.stop();
    }
  });
});
