import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ExportJobRequestSchema } from "@vault-tuner/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prepareDataDir, type DataDir } from "../../src/config/data-dir";
import { exportJob } from "../../src/export/export-job";
import { Store } from "../../src/store/store";
import { fakeJobContext, storedJob } from "../jobs/fake-job-context";

let work: string;
let dataDir: DataDir;
let store: Store;
const job = () => exportJob({ dataDir, jobs: store.jobs });
const request = (run: string) => ExportJobRequestSchema.parse({ kind: "export", run, quant: ["q8_0"] });
const trainRequest = {
  kind: "train",
  dataset: "starter",
  mode: "kto",
  recipe: "tiny",
  device: "cpu",
  backend: "auto",
} as const;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "vt-export-job-"));
  dataDir = prepareDataDir(join(work, "data"));
  store = Store.open(dataDir.database);
});

afterAll(() => {
  store.close();
  rmSync(work, { recursive: true, force: true });
});

describe("the export stage's job", () => {
  it("exports only a succeeded training job; a pipeline's planned step has none yet", () => {
    expect(() => job().prepare(request("job_absent"), { planned: false })).toThrow(
      expect.objectContaining({ path: "run", message: "no training job job_absent" }),
    );
    const running = storedJob(store.jobs, trainRequest, "running");
    expect(() => job().prepare(request(running.id), { planned: false })).toThrow(
      `training job ${running.id} is running; export needs a succeeded one`,
    );
    const notTraining = storedJob(
      store.jobs,
      {
        kind: "eval",
        set: "combos",
        backend: "embedded",
        model: "deployed",
        repeat: 1,
        concurrency: 1,
        temperature: 0,
        topP: 1,
        maxTokens: 10,
        grammar: false,
      },
      "succeeded",
    );
    expect(() => job().prepare(request(notTraining.id), { planned: false })).toThrow(
      `no training job ${notTraining.id}`,
    );
    const trained = storedJob(store.jobs, trainRequest, "succeeded", { run: join(work, "run") });
    expect(job().prepare(request(trained.id), { planned: false })).toMatchObject({
      run: trained.id,
      quant: ["q8_0"],
      dtype: "float16",
      checkRows: 8,
    });
    expect(job().prepare({ ...request("job_later"), run: "" }, { planned: true }).run).toBe("");
    expect(job().resumable).toBe(false);
  });

  it("fails with the trainer's code when the run left no folder to export", async () => {
    const trained = storedJob(store.jobs, trainRequest, "succeeded");
    const error = await job()
      .run(request(trained.id), fakeJobContext(dataDir.jobs, "job_x1").context)
      .catch((thrown: unknown) => thrown);
    expect(job().failure(error)).toEqual({
      error: { code: "run-missing", message: `training job ${trained.id} left no run folder`, hint: "train again" },
    });
  });
});
