import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { TestDaemon } from "../daemon-harness";
import { daemonWithEvents, finishedJob, makeTinyModel } from "./job-fixtures";

/** One pipeline job: build a dataset from a seed file, train, export, evaluate and deploy, each step a job of its own. */
let work: string;
let daemon: TestDaemon;
let events: any[];
let stop: () => Promise<void>;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "vt-pipeline-"));
  ({ daemon, events, stop } = await daemonWithEvents(work));
}, 60_000);

afterAll(async () => {
  await stop?.();
  rmSync(work, { recursive: true, force: true });
});

it("runs build -> train -> export -> evaluate -> deploy as child jobs and ends succeeded", async () => {
  const model = await makeTinyModel(join(work, "tiny"));
  const created = await daemon.call("POST", "/v1/jobs", {
    body: {
      kind: "pipeline",
      build: {
        name: "piped",
        sources: { files: ["sources/starter-claudesidian-3.jsonl"] },
        holdout: 0.1,
        mutations: { perRecord: 1 },
      },
      train: { recipe: "tiny", model, maxSteps: 2, device: "cpu" },
      export: { quant: ["q8_0"] },
      evaluate: {
        set: "irrelevance",
        cases: ["irrelevance_thanks", "irrelevance_haiku"],
        maxTokens: 16,
        turnLimit: 1,
        gate: { failUnder: 0 },
      },
      deploy: { target: "embedded", file: "q8_0" },
    },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  expect(created.body).toMatchObject({ kind: "pipeline", state: "running" });
  const id = created.body.id;
  const done = await finishedJob(daemon, id, 480_000);
  expect(done.state, JSON.stringify(done.error)).toBe("succeeded");
  expect(Object.keys(done.artefacts)).toEqual(["dataset", "train", "export", "evaluate", "deploy"]);
  for (const step of ["train", "export", "evaluate", "deploy"]) {
    const child = (await daemon.call("GET", `/v1/jobs/${done.artefacts[step]}`)).body;
    expect(child, step).toMatchObject({
      kind: step === "evaluate" ? "eval" : step,
      state: "succeeded",
      request: { pipeline: id },
    });
  }
  // The evaluation ran on the very file the deploy step then loaded, and its report is listed.
  const evaluation = (await daemon.call("GET", `/v1/jobs/${done.artefacts.evaluate}`)).body;
  const deployment = (await daemon.call("GET", `/v1/jobs/${done.artefacts.deploy}`)).body;
  expect(evaluation.request.model).toBe(deployment.artefacts.gguf);
  expect(
    (await daemon.call("GET", "/v1/evals")).body.items.map((run: any) => [
      run.metadata.id,
      run.metadata.set.id,
      run.summary.total,
    ]),
  ).toEqual([[done.artefacts.evaluate, "irrelevance", 2]]);
  // The report knows what trained the model: the labelled rows of the dataset's training split, a point of the label curve.
  const card = (await daemon.call("GET", "/v1/datasets/piped")).body;
  const trainRows = card.counts.train.desirable + card.counts.train.undesirable - card.counts.train.repeated;
  expect(trainRows).toBeGreaterThan(0);
  const [run] = (await daemon.call("GET", "/v1/evals")).body.items;
  expect(run.metadata.training).toEqual({
    labels: trainRows,
    job: done.artefacts.train,
    dataset: "piped",
    file: "q8_0",
  });
  expect(readFileSync(join(daemon.dataDir, "evals", "runs", run.metadata.id, "report.md"), "utf8")).toContain(
    `- Model trained on ${trainRows} labelled rows (dataset \`piped\`, training job ${done.artefacts.train}); the q8_0 file was evaluated`,
  );
  expect(
    events.filter((event) => event.type === "job.state" && event.jobId === id).map((event) => event.state),
  ).toEqual(["running", "running", "running", "running", "running", "succeeded"]);
  const answer = await daemon.call("POST", "/v1/chat", {
    body: { messages: [{ role: "user", content: "Read Notes/a.md" }], maxTokens: 8 },
  });
  expect(answer.status).toBe(200);
  expect((await daemon.call("GET", "/v1/models")).body.items[0].deployments[0]).toMatchObject({
    jobId: done.artefacts.deploy,
    current: true,
  });
}, 600_000);

it("refuses a pipeline on a dataset that does not exist, or one that would deploy a file it does not export", async () => {
  const missing = await daemon.call("POST", "/v1/jobs", {
    body: { kind: "pipeline", dataset: "nope", train: { recipe: "tiny" } },
  });
  expect(missing.status).toBe(400);
  expect(missing.body.error.issues[0].path).toBe("dataset");
  const mismatch = await daemon.call("POST", "/v1/jobs", {
    body: {
      kind: "pipeline",
      dataset: "piped",
      train: { recipe: "tiny" },
      export: { quant: ["q8_0"] },
      deploy: { file: "q4_k_m" },
    },
  });
  expect(mismatch.status).toBe(400);
  expect(mismatch.body.error.issues[0]).toEqual({
    path: "deploy.file",
    message: "the export step writes q8_0, f16; deploy.file q4_k_m is not among them",
  });
  // A build step that reads outside the folders a build may read is refused up front, as POST /v1/datasets
  // refuses it, not accepted and failed later.
  const escaping = await daemon.call("POST", "/v1/jobs", {
    body: {
      kind: "pipeline",
      build: {
        name: "escaping",
        sources: { files: ["../../../etc/passwd"] },
      },
      train: { recipe: "tiny", model: "/m", device: "cpu" },
    },
  });
  expect(escaping.status).toBe(400);
  expect(escaping.body.error.issues[0].path).toBe("build.sources.files.0");
  const direct = await daemon.call("POST", "/v1/datasets", {
    body: { name: "escaping", sources: { files: ["../../../etc/passwd"] } },
  });
  expect(direct.body.error.issues[0].path).toBe("sources.files.0");
});
