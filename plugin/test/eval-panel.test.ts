import type { EvalRunSummary } from "@vault-tuner/shared";
import { describe, expect, it } from "vitest";
import { niceScale, project, tickLabel } from "../src/evals/chart-scale";
import { labelCurve } from "../src/evals/label-curve";
import { fileToDeploy, modelChoices, modelLabel } from "../src/evals/model-choices";
import { trainingCurves, trainingJobOf } from "../src/evals/training-curves";
import { jobProgressText } from "../src/jobs/job-progress-text";

describe("chart axes", () => {
  it("cover the values with round ticks, give a flat series a band, and map values to pixels", () => {
    expect(niceScale([0.213, 0.587])).toEqual({ min: 0.2, max: 0.6, ticks: [0.2, 0.3, 0.4, 0.5, 0.6] });
    expect(niceScale([1, 8])).toEqual({ min: 0, max: 8, ticks: [0, 2, 4, 6, 8] });
    expect(niceScale([0.5, 0.5]).ticks).toEqual([0.45, 0.5, 0.55]);
    expect(niceScale([])).toEqual({ min: 0, max: 1, ticks: [0, 1] });
    expect(project(5, { min: 0, max: 10 }, 100, 0)).toBe(50);
    expect([tickLabel(0), tickLabel(0.30000000000000004), tickLabel(12500), tickLabel(0.0001)]).toEqual([
      "0",
      "0.3",
      "1.3e+4",
      "1.0e-4",
    ]);
  });
});

describe("training curves", () => {
  const step = (n: number, extra: object) => ({ event: "step" as const, step: n, loss: 0.5 - n / 100, ...extra });
  it("chart loss, both rewards and KL from KTO steps, and leave out what SFT does not report", () => {
    const kto = trainingCurves([
      step(1, { kl: 0, rewards_chosen: 0.1, rewards_rejected: -0.1 }),
      step(2, { kl: 0.2, rewards_chosen: 0.3, rewards_rejected: -0.2 }),
      { event: "eval", step: 2 },
    ]);
    expect(kto.map((chart) => [chart.title, chart.series.map((line) => line.name)])).toEqual([
      ["Loss", ["loss"]],
      ["Rewards", ["desirable (chosen)", "undesirable (rejected)"]],
      ["KL", ["kl"]],
    ]);
    expect(kto[1]?.series[1]?.points).toEqual([
      [1, -0.1],
      [2, -0.2],
    ]);
    expect(trainingCurves([step(1, {}), step(2, {})]).map((chart) => chart.title)).toEqual(["Loss"]);
  });

  it("find the training job behind an evaluated GGUF file", () => {
    const models = [{ id: "job_a", exports: [{ files: [{ path: "/d/jobs/job_e/gguf/model-q8_0.gguf" }] }] }];
    expect(trainingJobOf(models, "/d/jobs/job_e/gguf/model-q8_0.gguf")).toBe("job_a");
    expect(trainingJobOf(models, "qwen2.5:0.5b")).toBeUndefined();
  });
});

describe("models to evaluate", () => {
  it("offer the served model first, then Ollama deployments, then every exported file but adapters, each once", () => {
    const file = (name: string, kind: string) => ({ name, kind, path: `/d/gguf/${name}` });
    const choices = modelChoices({
      serving: { gguf: "/d/gguf/model-q4_k_m.gguf", jobId: "job_dep" },
      items: [
        {
          id: "job_t",
          name: "tiny · KTO · mine · 12 labels · 2026-12-01",
          trainedAt: null,
          exports: [
            {
              jobId: "job_x",
              files: [
                file("model-q4_k_m.gguf", "q4_k_m"),
                file("model-q8_0.gguf", "q8_0"),
                file("adapter.gguf", "adapter"),
              ],
            },
          ],
          deployments: [{ target: "ollama", model: "vault-tools:x", host: "http://127.0.0.1:11434" }],
        },
      ],
    });
    expect(choices).toEqual([
      { label: "Served by the daemon: model-q4_k_m.gguf", backend: "embedded", model: "/d/gguf/model-q4_k_m.gguf" },
      { label: "Ollama: vault-tools:x", backend: "ollama", model: "vault-tools:x", url: "http://127.0.0.1:11434" },
      {
        label: "tiny · KTO · mine · 12 labels · 2026-12-01 · q8_0",
        backend: "embedded",
        model: "/d/gguf/model-q8_0.gguf",
      },
    ]);
  });

  it("say what the export's quantization check found, and deploy what it recommended", () => {
    const file = (kind: string, verdict?: "kept" | "drifted" | "erased") => ({
      name: `model-${kind}.gguf`,
      kind,
      path: `/d/gguf/model-${kind}.gguf`,
      ...(verdict ? { check: { verdict } } : {}),
    });
    const checked = {
      jobId: "job_x",
      recommended: "f16",
      files: [file("f16"), file("q8_0", "drifted"), file("q4_k_m", "erased")],
    };
    const reply = {
      serving: null,
      items: [{ id: "job_t", name: "my notes model", trainedAt: null, exports: [checked], deployments: [] }],
    };
    const labels = modelChoices(reply).map((choice) => choice.label);
    expect(labels).toEqual([
      "my notes model · f16 (recommended)",
      "my notes model · q8_0 (drifts from the trained model)",
      "my notes model · q4_k_m (quantization erased the training)",
    ]);
    // A run's model reads the same in the runs table; a file the daemon did not export, by its path.
    expect(modelLabel(reply, "/d/gguf/model-q8_0.gguf")).toBe("my notes model · q8_0");
    expect(modelLabel(reply, "/models/elsewhere/other.gguf")).toBe("models/elsewhere/other.gguf");
    expect(fileToDeploy(checked)).toBe("f16");
    // Not checked: the usual balance; checked without a recommendation: never an erased file.
    expect(fileToDeploy({ jobId: "job_y", files: [file("q8_0"), file("q4_k_m")] })).toBe("q4_k_m");
    expect(
      fileToDeploy({ jobId: "job_z", recommended: null, files: [file("q8_0", "drifted"), file("q4_k_m", "erased")] }),
    ).toBe("q8_0");
  });
});

describe("job progress in a Notice", () => {
  it("says the step, loss and time left, or the stage, and names the step of a pipeline", () => {
    expect(jobProgressText("train", { step: 3, total: 8, loss: 0.51234, etaS: 125 })).toBe(
      "step 3/8, loss 0.512, about 2 min left",
    );
    expect(jobProgressText("export", { stage: "quantize q8_0", step: 2, total: 4 }, true)).toBe(
      "Exporting: quantize q8_0 (2/4)",
    );
    expect(jobProgressText("eval", { stage: "3 passed, 1 failed", step: 4, total: 10, etaS: 4000 })).toBe(
      "3 passed, 1 failed (4/10), about 67 min left",
    );
    expect(jobProgressText("train", {})).toBeUndefined();
    // Setting up the trainer's environment has no count to show.
    expect(
      jobProgressText(
        "train",
        { stage: "installing the pinned trainer requirements (the first time takes a few minutes)" },
        true,
      ),
    ).toBe("Training: installing the pinned trainer requirements (the first time takes a few minutes)");
  });
});

describe("the label-efficiency curve", () => {
  const run = (
    id: string,
    set: string,
    created: string,
    rate: number | null,
    training?: { labels: number; file?: string },
  ) =>
    ({
      metadata: { id, created_at: created, set: { id: set }, ...(training ? { training } : {}) },
      summary: { pass_rate: rate, pass_rate_ci95: [Math.max(0, (rate ?? 0) - 0.1), Math.min(1, (rate ?? 0) + 0.1)] },
    }) as unknown as EvalRunSummary;

  it("has a point per label count on the set, the newest run of each, in label order; runs of unknown training are left out", () => {
    const runs = [
      run("b200", "full-coverage", "2026-12-01T03:00:00Z", 0.45, { labels: 200, file: "q8_0" }),
      run("base", "full-coverage", "2026-12-01T01:00:00Z", 0),
      run("a25-old", "full-coverage", "2026-12-01T01:30:00Z", 0.2, { labels: 25 }),
      run("a25-new", "full-coverage", "2026-12-01T02:30:00Z", 0.3, { labels: 25 }),
      run("other-set", "combos", "2026-12-01T02:00:00Z", 0.5, { labels: 100 }),
      run("zero", "full-coverage", "2026-12-01T00:30:00Z", 0.38, { labels: 0, file: "f16" }),
    ];
    expect(
      labelCurve(runs, "full-coverage").map((point) => [point.labels, point.runId, point.rate, point.file]),
    ).toEqual([
      [0, "zero", 0.38, "f16"],
      [25, "a25-new", 0.3, undefined],
      [200, "b200", 0.45, "q8_0"],
    ]);
    expect(labelCurve(runs, "full-coverage")[0]).toMatchObject({
      low: expect.closeTo(0.28),
      high: expect.closeTo(0.48),
    });
    expect(labelCurve(runs, "irrelevance")).toEqual([]);
  });
});
