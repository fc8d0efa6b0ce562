import { describe, expect, it } from "vitest";
import { eventLogLine, metricsFromLog } from "../../src/train/metrics-log";

describe("training curves from a job's log", () => {
  it("keeps step and eval events in order, the later value of a repeated step, and skips everything else", () => {
    const step = (n: number, loss: number) =>
      eventLogLine({ event: "step", time: n, step: n, total: 3, loss, kl: n / 10 });
    const lines = [
      "--- starting train job",
      eventLogLine({
        event: "start",
        time: 0,
        mode: "kto",
        model: "m",
        device: "cpu",
        examples: 10,
        total: 3,
        batch_size: 2,
        gradient_accumulation: 1,
      }),
      step(1, 0.7),
      step(2, 0.6),
      "--- interrupted: the daemon is stopping",
      step(2, 0.55),
      '[event] {"event":"step","step":"not a number"}',
      "[event] {not json",
      eventLogLine({ event: "eval", time: 3, step: 2, metrics: { eval_loss: 0.5 } }),
      step(3, 0.5),
    ];
    expect(
      metricsFromLog(lines).map((event) => [
        event.event,
        event.step,
        event.event === "step" ? event.loss : event.metrics.eval_loss,
      ]),
    ).toEqual([
      ["step", 1, 0.7],
      ["step", 2, 0.55],
      ["eval", 2, 0.5],
      ["step", 3, 0.5],
    ]);
  });
});
