import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
// @ts-expect-error: a plain script, no types
import { prunable } from "../../scripts/slim-llama-builds.mjs";
import { PYTHON_DIR } from "../../src/train/python-env";

const LINUX = ["linux-arm64", "linux-armv7l", "linux-x64", "linux-x64-cuda", "linux-x64-cuda-ext", "linux-x64-vulkan"];

describe("npm run slim", () => {
  it("keeps the builds this machine can load and names the rest", () => {
    expect(prunable(LINUX, { platform: "linux", arch: "x64", nvidia: false, cpuOnly: false })).toEqual([
      "linux-arm64",
      "linux-armv7l",
      "linux-x64-cuda",
      "linux-x64-cuda-ext",
    ]);
    expect(prunable(LINUX, { platform: "linux", arch: "x64", nvidia: true, cpuOnly: false })).toEqual([
      "linux-arm64",
      "linux-armv7l",
    ]);
    expect(prunable(LINUX, { platform: "linux", arch: "x64", nvidia: false, cpuOnly: true })).toEqual([
      "linux-arm64",
      "linux-armv7l",
      "linux-x64-cuda",
      "linux-x64-cuda-ext",
      "linux-x64-vulkan",
    ]);
    expect(prunable(LINUX, { platform: "linux", arch: "arm64", nvidia: false, cpuOnly: false })).toEqual([
      "linux-armv7l",
      "linux-x64",
      "linux-x64-cuda",
      "linux-x64-cuda-ext",
      "linux-x64-vulkan",
    ]);
    expect(
      prunable(["mac-arm64-metal", "mac-x64"], { platform: "darwin", arch: "arm64", nvidia: false, cpuOnly: false }),
    ).toEqual(["mac-x64"]);
  });

  it("says what it would remove here without removing it with --dry-run", () => {
    const out = execFileSync(
      process.execPath,
      [join(PYTHON_DIR, "..", "daemon", "scripts", "slim-llama-builds.mjs"), "--dry-run"],
      { encoding: "utf8" },
    );
    expect(out).toMatch(/^kept @node-llama-cpp\/linux-x64 \(\d+ MiB\)$/m);
    expect(out).toMatch(/^would free \d+ MiB; npm ci installs them all again$/m);
    expect(out).not.toMatch(/^removed /m);
  });
});
