import { closeSync, mkdtempSync, openSync, readFileSync, statSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeTrace } from "./daemon-harness";
import { spawnDaemon } from "./spawn-daemon";

/** A data dir whose store holds `count` traces, written by a daemon that then stopped cleanly. */
async function storeWithTraces(count: number): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), "vt-damage-"));
  const daemon = await spawnDaemon(dataDir);
  const token = readFileSync(join(dataDir, "token"), "utf8").trim();
  const traces = Array.from({ length: count }, (_, index) =>
    makeTrace({ id: `t${index}`, result: { content: [{ type: "text", text: "x".repeat(2000) }], isError: false } }),
  );
  const posted = await fetch(`${daemon.url}/v1/traces`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ traces }),
  });
  expect(posted.status).toBe(201);
  daemon.child.kill("SIGTERM");
  expect(await daemon.exited).toBe(0);
  return dataDir;
}

function overwrite(file: string, offset: number, bytes: Buffer): void {
  const fd = openSync(file, "r+");
  writeSync(fd, bytes, 0, bytes.length, offset);
  closeSync(fd);
}

describe("a damaged store", () => {
  it("is refused at start with what to do, whether its header or one of its pages is damaged", async () => {
    const header = await storeWithTraces(5);
    overwrite(join(header, "vault-tuner.sqlite"), 0, Buffer.alloc(16, 0x41));
    const refused = await spawnDaemon(header).catch((error: Error) => error);
    expect(String(refused)).toMatch(/exited with 4 before listening/);
    expect(String(refused)).toMatch(/cannot be opened .*move .*vault-tuner\.sqlite.* aside/s);
    expect(String(refused)).not.toMatch(/\n\s+at /);

    const page = await storeWithTraces(200);
    const file = join(page, "vault-tuner.sqlite");
    // A page in the middle of the traces' table, overwritten with garbage.
    overwrite(file, Math.floor(statSync(file).size / 4096 / 2) * 4096 + 8, Buffer.alloc(512, 0xff));
    const damaged = await spawnDaemon(page).catch((error: Error) => error);
    expect(String(damaged)).toMatch(/exited with 4 before listening/);
    expect(String(damaged)).toMatch(/is damaged \(quick_check: .+\): stop every daemon/s);
  }, 120_000);
});
