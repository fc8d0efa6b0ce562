import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeTrace, startTestDaemon } from "../daemon-harness";
import { spawnDaemon } from "../spawn-daemon";

/** A small filesystem of its own (tmpfs), which a test can fill; undefined where mounting is not allowed. */
function smallDisk(): { path: string; unmount(): void } | undefined {
  const path = mkdtempSync(join(tmpdir(), "vault-tuner-disk-"));
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=4m", "tmpfs", path], { stdio: "pipe" });
  } catch {
    return undefined;
  }
  return { path, unmount: () => execFileSync("umount", ["-l", path]) };
}

/** Writes a file until the disk has no space left. */
function fill(file: string): void {
  const chunk = Buffer.alloc(64 * 1024, 1);
  try {
    for (;;) writeFileSync(file, chunk, { flag: "a" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOSPC") throw error;
  }
}

describe("a full disk, a read-only data dir", () => {
  const disk = smallDisk();
  it.skipIf(!disk)(
    "answers writes it could not store with 507 disk-full, keeps what it had, and takes writes again once there is room",
    async () => {
      if (!disk) return;
      const daemon = await startTestDaemon({ dataDir: join(disk.path, "data") });
      try {
        await daemon.call("POST", "/v1/traces", { body: { traces: [makeTrace({ id: "kept" })] } });
        const filler = join(disk.path, "filler");
        fill(filler);
        const refused = await daemon.call("POST", "/v1/traces", {
          body: { traces: [makeTrace({ id: "new", result: { content: ["x".repeat(200_000)], isError: false } })] },
        });
        expect(refused.status).toBe(507);
        expect(refused.body.error).toEqual({ code: "disk-full", message: expect.stringContaining("is full") });
        const build = await daemon.call("POST", "/v1/datasets", {
          body: { name: "full", sources: { traces: {} }, holdout: 0, balance: "none" },
        });
        expect(build.status, JSON.stringify(build.body)).toBe(507);
        expect((await daemon.allTraces()).map((trace) => trace.id)).toEqual(["kept"]);
        expect((await daemon.call("GET", "/v1/health", { auth: false })).status).toBe(200);

        rmSync(filler);
        const again = await daemon.call("POST", "/v1/traces", { body: { traces: [makeTrace({ id: "new" })] } });
        expect(again.status).toBe(201);
        expect((await daemon.allTraces()).map((trace) => trace.id).sort()).toEqual(["kept", "new"]);
      } finally {
        await daemon.stop();
        disk.unmount();
      }
    },
  );

  const readOnly = smallDisk();
  it.skipIf(!readOnly)("does not start on a read-only data dir, and says so without a stack", async () => {
    if (!readOnly) return;
    try {
      const dataDir = join(readOnly.path, "data");
      const daemon = await startTestDaemon({ dataDir });
      await daemon.stop();
      execFileSync("mount", ["-o", "remount,ro", readOnly.path]);
      const refused = await spawnDaemon(dataDir).catch((error: Error) => error);
      expect(String(refused)).toMatch(/exited with 5 before listening/);
      expect(String(refused)).toContain(`the data dir ${dataDir} cannot be written: it is on a read-only file system`);
      expect(String(refused)).not.toMatch(/\n\s+at /);
    } finally {
      readOnly.unmount();
    }
  });
});
