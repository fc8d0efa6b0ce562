import type { ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { spawnDaemon } from "./spawn-daemon";

const running: { child: ChildProcess }[] = [];
afterAll(() => {
  for (const daemon of running) daemon.child.kill("SIGKILL");
});

describe("one daemon a data dir", () => {
  it("refuses a second daemon on the same data dir, naming the first's pid and address", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "vt-lock-"));
    const first = await spawnDaemon(dataDir);
    running.push(first);
    const second = await spawnDaemon(dataDir).catch((error: Error) => error);
    expect(second).toBeInstanceOf(Error);
    expect(String(second)).toMatch(/exited with 3 before listening/);
    expect(String(second)).toContain(`pid ${first.child.pid}, at ${first.url}`);
    // The first is untouched: it still answers, and its address is still its own.
    expect((await fetch(`${first.url}/v1/health`)).status).toBe(200);
    expect(JSON.parse(readFileSync(join(dataDir, "daemon.json"), "utf8")).url).toBe(first.url);
  }, 60_000);

  it("takes over the lock of a daemon that died without releasing it, and releases its own at stop", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "vt-lock-"));
    // No process has this pid: a daemon killed with -9 left it.
    writeFileSync(join(dataDir, "daemon.lock"), "999999999\n");
    const daemon = await spawnDaemon(dataDir);
    expect((await fetch(`${daemon.url}/v1/health`)).status).toBe(200);
    expect(readFileSync(join(dataDir, "daemon.lock"), "utf8").trim()).toBe(String(daemon.child.pid));
    daemon.child.kill("SIGTERM");
    expect(await daemon.exited).toBe(0);
    expect(existsSync(join(dataDir, "daemon.lock"))).toBe(false);
  }, 60_000);
});
