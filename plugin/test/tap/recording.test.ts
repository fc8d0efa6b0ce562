import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { startTestDaemon } from "../../../daemon/test/daemon-harness";
import { buildTap, filesystemServer, ScriptedClient } from "./tap-harness";

const vault = mkdtempSync(join(tmpdir(), "vault-tuner-fs-"));
mkdirSync(join(vault, "Notes"));
writeFileSync(join(vault, "Notes", "a.md"), "# A\nfirst note\n");

async function session(client: ScriptedClient, calls: number): Promise<void> {
  await client.open("claude-ai", "0.9");
  for (let i = 0; i < calls; i++) {
    const path = i % 3 === 2 ? join(vault, "missing.md") : join(vault, "Notes", "a.md");
    await client.request(10 + i, "tools/call", { name: "read_text_file", arguments: { path } });
  }
}

function tapCommand(spool: string, daemonUrl: string, tokenFile: string): string[] {
  return [
    process.execPath,
    buildTap(),
    "--spool",
    spool,
    "--daemon",
    daemonUrl,
    "--token-file",
    tokenFile,
    "--",
    ...filesystemServer(vault),
  ];
}

describe("recording through the tap", () => {
  it("delivers each call with its arguments, result, latency, client, server and toolset", {
    timeout: 30_000,
  }, async () => {
    const daemon = await startTestDaemon();
    try {
      const spool = join(daemon.dataDir, "spool");
      const client = new ScriptedClient(tapCommand(spool, daemon.url, daemon.daemon.tokenFile));
      await session(client, 3);
      client.send({
        jsonrpc: "2.0",
        id: 50,
        method: "tools/call",
        params: { name: "read_text_file", arguments: { path: join(vault, "Notes", "a.md") } },
      });
      client.send({ jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: 50, reason: "stop" } });
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await client.close()).toBe(0);
      const traces = await daemon.allTraces();
      expect(traces).toHaveLength(4);
      const ok = traces.find((trace) => trace.call.arguments.path.endsWith("a.md") && trace.result);
      expect(ok.source).toEqual({
        transport: "stdio-tap",
        client: "claude-ai",
        server: "secure-filesystem-server",
        serverVersion: expect.any(String),
      });
      expect(ok.call.name).toBe("read_text_file");
      expect(JSON.stringify(ok.result.content)).toContain("first note");
      expect(ok.latencyMs).toBeGreaterThanOrEqual(0);
      expect(ok.toolsetHash).toMatch(/^[0-9a-f]{64}$/);
      expect(traces.find((trace) => trace.call.arguments.path.endsWith("missing.md")).failed).toBe(true);
      expect(traces.find((trace) => trace.error)?.error.code).toBe(-32800);
      expect(readdirSync(spool), "a fully delivered run leaves no spool").toEqual([]);
    } finally {
      await daemon.stop();
    }
  });

  it("finds the daemon where its data dir says it listens, and a restarted daemon at its new port", {
    timeout: 60_000,
  }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "vault-tuner-moved-"));
    const first = await startTestDaemon({ dataDir });
    expect(JSON.parse(readFileSync(join(dataDir, "daemon.json"), "utf8"))).toMatchObject({
      url: first.url,
      pid: process.pid,
    });
    // No --daemon: what `recorder install` writes into the client's config.
    const client = new ScriptedClient([
      process.execPath,
      buildTap(),
      "--spool",
      join(dataDir, "spool"),
      "--token-file",
      join(dataDir, "token"),
      "--",
      ...filesystemServer(vault),
    ]);
    await session(client, 2);
    await expect.poll(async () => (await first.allTraces()).length, { timeout: 15_000 }).toBe(2);
    await first.stop();
    expect(existsSync(join(dataDir, "daemon.json")), "a stopped daemon takes its address away").toBe(false);
    const second = await startTestDaemon({ dataDir });
    try {
      await client.request(30, "tools/call", {
        name: "read_text_file",
        arguments: { path: join(vault, "Notes", "a.md") },
      });
      await expect.poll(async () => (await second.allTraces()).length, { timeout: 15_000 }).toBe(3);
      expect(await client.close()).toBe(0);
    } finally {
      await second.stop();
    }
  });

  it("spools while the daemon is down; the daemon imports the spool when it starts", { timeout: 30_000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "vault-tuner-down-"));
    const spool = join(dataDir, "spool");
    const client = new ScriptedClient(tapCommand(spool, "http://127.0.0.1:9", join(dataDir, "token")));
    await session(client, 5);
    expect(await client.close()).toBe(0);
    const files = readdirSync(spool);
    expect(files.some((name) => name.endsWith(".jsonl"))).toBe(true);
    const daemon = await startTestDaemon({ dataDir });
    try {
      const traces = await daemon.allTraces();
      expect(traces).toHaveLength(5);
      expect(traces.every((trace) => trace.toolsetHash)).toBe(true);
      expect(readdirSync(spool), "imported spool files of finished taps are removed").toEqual([]);
    } finally {
      await daemon.stop();
    }
  });

  it("loses no completed call when the tap is killed -9 mid-session", { timeout: 30_000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "vault-tuner-kill-"));
    const spool = join(dataDir, "spool");
    const client = new ScriptedClient(tapCommand(spool, "http://127.0.0.1:9", join(dataDir, "token")));
    await session(client, 6);
    // Give the tap its batching delay and a disk sync, as a client would between two calls (up to 10 s
    // on a loaded machine; the spool folder itself appears with the first write).
    const file = () => (existsSync(spool) ? readdirSync(spool).find((name) => name.endsWith(".jsonl")) : undefined);
    for (
      let i = 0;
      i < 500 &&
      !(
        file() &&
        readFileSync(join(spool, file() as string), "utf8")
          .split("\n")
          .filter(Boolean).length >= 7
      );
      i++
    )
      await new Promise((resolve) => setTimeout(resolve, 20));
    client.child.kill("SIGKILL");
    await new Promise((resolve) => client.child.once("exit", resolve));
    const daemon = await startTestDaemon({ dataDir });
    try {
      expect(await daemon.allTraces()).toHaveLength(6);
    } finally {
      await daemon.stop();
    }
    expect(existsSync(join(spool, file() ?? "none"))).toBe(false);
  });
});

describe("a tap that cannot record", () => {
  it("still relays when its spool folder cannot be created", { timeout: 30_000 }, async () => {
    const blocker = join(mkdtempSync(join(tmpdir(), "vault-tuner-blocked-")), "file");
    writeFileSync(blocker, "a file where the spool folder should go");
    const client = new ScriptedClient([
      process.execPath,
      buildTap(),
      "--spool",
      join(blocker, "spool"),
      "--daemon",
      "http://127.0.0.1:9",
      "--",
      ...filesystemServer(vault),
    ]);
    await session(client, 2);
    expect(client.bytes().toString()).toContain("first note");
    expect(await client.close()).toBe(0);
    expect(client.stderr).not.toMatch(/vault-tuner tap|\[vault-tuner/);
  });
});
