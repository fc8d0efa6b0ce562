import { describe, expect, it } from "vitest";
import { progressOf } from "../../src/train/trainer-progress";

describe("a job's stored progress", () => {
  it("counts stages from 0 done, and keeps a stage of no count (the trainer's setup) as its words alone", () => {
    expect(progressOf({ event: "stage", time: 0, stage: "convert", index: 2, total: 5, eta_s: 30 }, null)).toEqual({
      stage: "convert",
      step: 1,
      total: 5,
      etaS: 30,
    });
    expect(
      progressOf(
        { event: "stage", time: 0, stage: "creating the Python environment in /x/.venv", index: 0, total: 0 },
        null,
      ),
    ).toEqual({ stage: "creating the Python environment in /x/.venv" });
  });

  it("finishes the last stage when the trainer is done, and says nothing new when the count already did", () => {
    const checking = { stage: "check", step: 4, total: 5 };
    expect(progressOf({ event: "done", time: 9 }, checking)).toEqual({ stage: "check", step: 5, total: 5, etaS: 0 });
    const lastStep = { step: 3, total: 3, loss: 0.4 };
    expect(progressOf({ event: "done", time: 9 }, lastStep)).toBe(lastStep);
    expect(progressOf({ event: "checkpoint", time: 9, step: 3, path: "/run/checkpoint-3" }, lastStep)).toBe(lastStep);
  });
});
