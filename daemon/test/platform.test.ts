import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describePlatform } from "../src/platform/detect-platform";
import { startTestDaemon, type TestDaemon } from "./daemon-harness";
import { placeStarterDataset } from "./jobs/job-fixtures";

const GiB = 2 ** 30;

describe("platform detection", () => {
  it("takes an NVIDIA card from nvidia-smi and picks the largest preset its memory fits", () => {
    const platform = describePlatform({
      platform: "linux",
      arch: "x64",
      totalMemoryBytes: 64 * GiB,
      nvidiaSmi: "NVIDIA GeForce RTX 4090, 24564\n",
    });
    expect(platform).toMatchObject({
      kind: "nvidia",
      device: "cuda",
      backend: "torch",
      memoryGiB: 24,
      recommendedRecipe: "13b",
    });
    expect(platform.reason).toBe("nvidia-smi lists NVIDIA GeForce RTX 4090 (24 GiB)");
    expect(platform.presets.filter((preset) => preset.fits).map((preset) => preset.recipe)).toEqual([
      "3b",
      "7b",
      "13b",
    ]);
    expect(
      describePlatform({
        platform: "linux",
        arch: "x64",
        totalMemoryBytes: 0,
        nvidiaSmi: "NVIDIA GeForce RTX 3060, 12288\nNVIDIA H100 80GB HBM3, 81559\n",
      }).recommendedRecipe,
    ).toBe("20b");
    expect(
      describePlatform({
        platform: "linux",
        arch: "x64",
        totalMemoryBytes: 0,
        nvidiaSmi: "NVIDIA GeForce GTX 1650, 4096\n",
      }).recommendedRecipe,
    ).toBeNull();
  });

  it("trains with MLX on Apple Silicon, sized to three quarters of the unified memory", () => {
    const platform = describePlatform({
      platform: "darwin",
      arch: "arm64",
      totalMemoryBytes: 32 * GiB,
      nvidiaSmi: undefined,
    });
    expect(platform).toMatchObject({
      kind: "apple",
      device: "mps",
      backend: "mlx",
      memoryGiB: 24,
      recommendedRecipe: "13b",
    });
  });

  it("falls back to the CPU, with the reason, when there is neither", () => {
    const platform = describePlatform({
      platform: "linux",
      arch: "x64",
      totalMemoryBytes: 24 * GiB,
      nvidiaSmi: undefined,
    });
    expect(platform).toMatchObject({
      kind: "cpu",
      device: "cpu",
      recommendedRecipe: null,
      reason: "no NVIDIA GPU (nvidia-smi is missing or failed) and not Apple Silicon",
    });
    expect(
      describePlatform({ platform: "linux", arch: "x64", totalMemoryBytes: GiB, nvidiaSmi: "No devices were found\n" })
        .reason,
    ).toBe("nvidia-smi lists no GPU, and this is not Apple Silicon");
  });
});

describe("the daemon on this machine (no GPU)", () => {
  let daemon: TestDaemon;
  beforeAll(async () => {
    daemon = await startTestDaemon();
    placeStarterDataset(daemon.dataDir, "starter");
  });
  afterAll(() => daemon.stop());

  it("reports the CPU platform at GET /v1/platform", async () => {
    const reply = await daemon.call("GET", "/v1/platform");
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ kind: "cpu", device: "cpu", recommendedRecipe: null });
  });

  it("refuses to train a preset on the CPU, saying why and what would run", async () => {
    for (const recipe of ["auto", "7b"]) {
      const reply = await daemon.call("POST", "/v1/jobs", { body: { kind: "train", dataset: "starter", recipe } });
      expect(reply.status).toBe(400);
      expect(reply.body.error.issues[0]).toEqual({
        path: "recipe",
        message: expect.stringContaining("this machine has no GPU to train on (no NVIDIA GPU"),
      });
      expect(reply.body.error.message).toContain('use recipe "tiny" with a small model');
    }
    expect((await daemon.call("GET", "/v1/jobs")).body.items).toEqual([]);
  });
});
