import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TrainJobRequestSchema } from "@vault-tuner/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BASE_MANIFEST, basesDir } from "../../src/bases/base-store";
import { prepareDataDir, type DataDir } from "../../src/config/data-dir";
import { describePlatform } from "../../src/platform/detect-platform";
import { dataParallelProcesses } from "../../src/train/data-parallel";
import { trainJob } from "../../src/train/train-job";
import { fakeJobContext } from "../jobs/fake-job-context";
import { placeStarterDataset } from "../jobs/job-fixtures";

let work: string;
let dataDir: DataDir;
const probes = { platform: "linux" as const, arch: "x64", totalMemoryBytes: 64 * 2 ** 30 };
const onGpu = () => trainJob({ dataDir, platform: describePlatform({ ...probes, nvidiaSmi: "NVIDIA H200, 143771" }) });
const onCpu = () => trainJob({ dataDir, platform: describePlatform({ ...probes, nvidiaSmi: undefined }) });
const twoGpus = describePlatform({ ...probes, nvidiaSmi: "NVIDIA H200, 143771\nNVIDIA H200, 143771" });
const request = (fields: Record<string, unknown>) =>
  TrainJobRequestSchema.parse({ kind: "train", dataset: "starter", ...fields });

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "vt-train-job-"));
  dataDir = prepareDataDir(join(work, "data"));
  placeStarterDataset(dataDir.root, "starter");
  mkdirSync(join(basesDir(dataDir.root), "gemma-3-270m"), { recursive: true });
  writeFileSync(join(basesDir(dataDir.root), "gemma-3-270m", BASE_MANIFEST), "{}");
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("the training stage's job", () => {
  it("resolves auto to the machine's preset and an imported base's name to its folder", () => {
    const prepared = onGpu().prepare(request({ model: "gemma-3-270m" }), { planned: false });
    expect(prepared.recipe).toBe("20b");
    expect(prepared.model).toBe(join(basesDir(dataDir.root), "gemma-3-270m"));
    // A hub name or a path is taken as given.
    expect(onGpu().prepare(request({ recipe: "7b", model: "org/model" }), { planned: false })).toMatchObject({
      recipe: "7b",
      model: "org/model",
    });
  });

  it("refuses what cannot train: a dataset not built, a recipe with no model, a large recipe on a CPU", () => {
    expect(() => onGpu().prepare(request({ dataset: "absent", model: "m" }), { planned: false })).toThrow(
      expect.objectContaining({ path: "dataset" }),
    );
    // A pipeline that builds the dataset first: not there yet, and that is fine.
    expect(onGpu().prepare(request({ dataset: "absent", model: "m" }), { planned: true }).dataset).toBe("absent");
    expect(() => onGpu().prepare(request({ recipe: "tiny" }), { planned: false })).toThrow(
      expect.objectContaining({ path: "model", message: expect.stringContaining("recipe tiny names no model") }),
    );
    expect(() => onCpu().prepare(request({ recipe: "default", model: "m" }), { planned: false })).toThrow(
      expect.objectContaining({ path: "recipe", message: expect.stringContaining("no GPU to train on") }),
    );
    expect(onCpu().prepare(request({ recipe: "default", model: "m", device: "cpu" }), { planned: false }).recipe).toBe(
      "default",
    );
  });

  it("runs the trainer, logging its command and events, and maps the trainer's own failure", async () => {
    const { context, logs } = fakeJobContext(dataDir.jobs, "job_t1");
    const error = await onCpu()
      .run(request({ recipe: "tiny", model: join(work, "no-such-model"), device: "cpu", maxSteps: 1 }), context)
      .catch((thrown: unknown) => thrown);
    expect(logs.find((line) => line.startsWith("--- trainer pid"))).toMatch(
      /python -m vault_tuner_train kto --config tiny --dataset .*starter --output .*job_t1\/run/,
    );
    expect(logs.some((line) => line.startsWith('[event] {"time":') && line.includes('"event":"error"'))).toBe(true);
    const failure = onCpu().failure(error);
    expect(failure?.error.code).toMatch(/^[a-z-]+$/);
    expect(failure?.error.message).toContain("no-such-model");
    expect(onCpu().failure(new Error("other"))).toBeUndefined();
    expect(onCpu().resumable).toBe(true);
  }, 120_000);

  it("trains on every GPU the trainer can see: one process each, through torchrun", async () => {
    const torch = { device: "auto", backend: "auto" } as const;
    expect(dataParallelProcesses(torch, twoGpus, {})).toBe(2);
    expect(dataParallelProcesses(torch, twoGpus, { CUDA_VISIBLE_DEVICES: "1" })).toBe(1);
    expect(dataParallelProcesses(torch, twoGpus, { CUDA_VISIBLE_DEVICES: "" })).toBe(1);
    expect(dataParallelProcesses({ ...torch, device: "cpu" }, twoGpus, {})).toBe(1);
    expect(dataParallelProcesses({ ...torch, backend: "mlx" }, twoGpus, {})).toBe(1);
    expect(dataParallelProcesses(torch, describePlatform({ ...probes, nvidiaSmi: undefined }), {})).toBe(1);

    // On this machine (no GPU) the two processes start on the CPU and report the missing model once.
    const { context, logs } = fakeJobContext(dataDir.jobs, "job_t2");
    const job = trainJob({ dataDir, platform: twoGpus });
    const error = await job
      .run(request({ recipe: "tiny", model: join(work, "no-such-model"), maxSteps: 1 }), context)
      .catch((thrown: unknown) => thrown);
    expect(logs.find((line) => line.startsWith("--- trainer pid"))).toMatch(
      /python -m torch\.distributed\.run --standalone --nproc-per-node 2 -m vault_tuner_train kto --config tiny /,
    );
    expect(logs.filter((line) => line.startsWith("[event]") && line.includes('"event":"error"'))).toHaveLength(1);
    expect(job.failure(error)?.error.message).toContain("no-such-model");
  }, 180_000);
});
