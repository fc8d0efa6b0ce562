import { PipelineJobRequestSchema, type Job } from "@vault-tuner/shared";
import { describe, expect, it } from "vitest";
import { nextPipelineAction } from "../../src/jobs/pipeline-steps";

const request = PipelineJobRequestSchema.parse({
  kind: "pipeline",
  build: { name: "piped", sources: { traces: {} } },
  train: { recipe: "tiny", model: "/models/tiny", maxSteps: 5 },
  export: { quant: ["q8_0"] },
  deploy: { target: "embedded", file: "q8_0" },
});

function job(id: string, kind: Job["kind"], state: Job["state"]): Job {
  return {
    id,
    kind,
    state,
    request: { kind: "export", run: "x", quant: ["q8_0"], dtype: "float16", checkRows: 8 },
    createdAt: "",
    startedAt: null,
    finishedAt: null,
    attempts: 1,
    progress: null,
    error: state === "failed" ? { code: "convert-failed", message: "no" } : null,
    artefacts: {},
  };
}

describe("the order of a pipeline's steps", () => {
  it("builds first, then starts training on the built dataset with the pipeline's settings", () => {
    expect(nextPipelineAction("job_p", request, {}, () => undefined)).toEqual({ do: "build" });
    const train = nextPipelineAction("job_p", request, { dataset: "piped" }, () => undefined);
    expect(train).toEqual({
      do: "submit",
      step: "train",
      request: {
        kind: "train",
        mode: "kto",
        recipe: "tiny",
        model: "/models/tiny",
        maxSteps: 5,
        device: "auto",
        backend: "auto",
        dataset: "piped",
        pipeline: "job_p",
      },
    });
  });

  it("waits for a step in flight, then hands each finished step's job to the next", () => {
    const jobs = new Map([
      ["job_t", job("job_t", "train", "running")],
      ["job_e", job("job_e", "export", "succeeded")],
    ]);
    const lookup = (id: string) => jobs.get(id);
    expect(nextPipelineAction("job_p", request, { dataset: "piped", train: "job_t" }, lookup)).toEqual({
      do: "wait",
      step: "train",
      jobId: "job_t",
    });
    jobs.set("job_t", job("job_t", "train", "succeeded"));
    expect(nextPipelineAction("job_p", request, { dataset: "piped", train: "job_t" }, lookup)).toMatchObject({
      do: "submit",
      step: "export",
      request: { kind: "export", run: "job_t", quant: ["q8_0"], pipeline: "job_p" },
    });
    expect(
      nextPipelineAction("job_p", request, { dataset: "piped", train: "job_t", export: "job_e" }, lookup),
    ).toMatchObject({
      do: "submit",
      step: "deploy",
      request: { kind: "deploy", export: "job_e", target: "embedded", file: "q8_0" },
    });
  });

  it("stops with the failed step, and finishes when the last step succeeded (deploy only when asked)", () => {
    const jobs = new Map([
      ["job_t", job("job_t", "train", "succeeded")],
      ["job_e", job("job_e", "export", "failed")],
    ]);
    const lookup = (id: string) => jobs.get(id);
    expect(
      nextPipelineAction("job_p", request, { dataset: "piped", train: "job_t", export: "job_e" }, lookup),
    ).toMatchObject({ do: "stop", state: "failed", step: "export" });
    jobs.set("job_e", job("job_e", "export", "succeeded"));
    const withoutDeploy = { ...request, deploy: undefined };
    expect(
      nextPipelineAction("job_p", withoutDeploy, { dataset: "piped", train: "job_t", export: "job_e" }, lookup),
    ).toEqual({ do: "finish" });
  });

  it("takes a built dataset when it names one and builds nothing", () => {
    const existing = PipelineJobRequestSchema.parse({
      kind: "pipeline",
      dataset: "starter",
      train: { recipe: "tiny" },
    });
    expect(nextPipelineAction("job_p", existing, {}, () => undefined)).toMatchObject({
      do: "submit",
      step: "train",
      request: { dataset: "starter" },
    });
    expect(PipelineJobRequestSchema.safeParse({ kind: "pipeline", train: {} }).success).toBe(false);
  });
});

describe("a pipeline that evaluates before it deploys", () => {
  const gated = PipelineJobRequestSchema.parse({
    kind: "pipeline",
    dataset: "starter",
    train: { recipe: "tiny" },
    export: { quant: ["q8_0"] },
    evaluate: { set: "full-coverage", gate: { failUnder: 0.8 } },
    deploy: { file: "q8_0" },
  });
  const exported = { ...job("job_e", "export", "succeeded"), artefacts: { q8_0: "/runs/e/model-q8_0.gguf" } };

  it("evaluates the very file it will deploy, then deploys only after the evaluation succeeded", () => {
    const jobs = new Map<string, Job>([
      ["job_t", job("job_t", "train", "succeeded")],
      ["job_e", exported],
    ]);
    const lookup = (id: string) => jobs.get(id);
    expect(nextPipelineAction("job_p", gated, { train: "job_t", export: "job_e" }, lookup)).toEqual({
      do: "submit",
      step: "evaluate",
      request: {
        kind: "eval",
        backend: "embedded",
        concurrency: 1,
        set: "full-coverage",
        repeat: 1,
        temperature: 0.2,
        topP: 0.9,
        maxTokens: 1024,
        grammar: false,
        gate: { failUnder: 0.8 },
        model: "/runs/e/model-q8_0.gguf",
        pipeline: "job_p",
      },
    });
    jobs.set("job_v", job("job_v", "eval", "failed"));
    expect(
      nextPipelineAction("job_p", gated, { train: "job_t", export: "job_e", evaluate: "job_v" }, lookup),
    ).toMatchObject({ do: "stop", state: "failed", step: "evaluate" });
    jobs.set("job_v", job("job_v", "eval", "succeeded"));
    expect(
      nextPipelineAction("job_p", gated, { train: "job_t", export: "job_e", evaluate: "job_v" }, lookup),
    ).toMatchObject({ do: "submit", step: "deploy", request: { export: "job_e", file: "q8_0" } });
  });
});

describe("a pipeline that names no file", () => {
  const open = PipelineJobRequestSchema.parse({
    kind: "pipeline",
    dataset: "starter",
    train: { recipe: "tiny" },
    export: { quant: ["q8_0", "q4_k_m"] },
    evaluate: { set: "full-coverage" },
    deploy: { target: "embedded" },
  });
  const exported = {
    ...job("job_e", "export", "succeeded"),
    artefacts: { q8_0: "/runs/e/model-q8_0.gguf", q4_k_m: "/runs/e/model-q4_k_m.gguf", f16: "/runs/e/model-f16.gguf" },
  };
  const jobs = new Map<string, Job>([
    ["job_t", job("job_t", "train", "succeeded")],
    ["job_e", exported],
    ["job_v", job("job_v", "eval", "succeeded")],
  ]);
  const lookup = (id: string) => jobs.get(id);

  it("evaluates and deploys the file the export's quantization check recommended", () => {
    const recommended = () => "q8_0";
    expect(nextPipelineAction("job_p", open, { train: "job_t", export: "job_e" }, lookup, recommended)).toMatchObject({
      do: "submit",
      step: "evaluate",
      request: { model: "/runs/e/model-q8_0.gguf" },
    });
    expect(
      nextPipelineAction("job_p", open, { train: "job_t", export: "job_e", evaluate: "job_v" }, lookup, recommended),
    ).toMatchObject({ do: "submit", step: "deploy", request: { file: "q8_0" } });
  });

  it("falls back to Q4_K_M when the export was not checked", () => {
    expect(nextPipelineAction("job_p", open, { train: "job_t", export: "job_e" }, lookup)).toMatchObject({
      request: { model: "/runs/e/model-q4_k_m.gguf" },
    });
    expect(
      nextPipelineAction("job_p", open, { train: "job_t", export: "job_e", evaluate: "job_v" }, lookup),
    ).toMatchObject({ request: { file: "q4_k_m" } });
  });
});
