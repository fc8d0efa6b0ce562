import { describe, expect, it } from "vitest";
import {
  binomial,
  bootstrapMeanInterval,
  passHatK,
  signTest,
  wilsonInterval,
} from "../../src/evals/scoring/statistics";

describe("evaluation statistics", () => {
  it("gives Wilson intervals that stay inside [0, 1] and match the textbook values", () => {
    // 8 of 10: Wilson 95% is 0.4902 to 0.9433.
    expect(wilsonInterval(8, 10)).toEqual([0.4902, 0.9433]);
    expect(wilsonInterval(0, 47)[0]).toBe(0);
    expect(wilsonInterval(0, 47)[1]).toBeCloseTo(0.0756, 3);
    expect(wilsonInterval(47, 47)[1]).toBe(1);
    expect(wilsonInterval(0, 0)).toEqual([0, 1]);
  });

  it("computes pass^k as C(c,k)/C(n,k) averaged over cases", () => {
    expect(binomial(5, 2)).toBe(10);
    // One case passing 2 of 4 tries: pass^1 = 0.5, pass^2 = 1/6; one passing 4 of 4: 1 and 1.
    const cases = [
      { tries: 4, passes: 2 },
      { tries: 4, passes: 4 },
    ];
    expect(passHatK(cases, 1)).toBe(0.75);
    expect(passHatK(cases, 2)).toBeCloseTo((1 / 6 + 1) / 2, 4);
    expect(passHatK(cases, 4)).toBe(0.5);
    expect(passHatK(cases, 5)).toBeUndefined();
  });

  it("runs an exact two-sided sign test that ignores ties", () => {
    // 9 better, 1 worse: p = 2 * (1 + 10) / 1024.
    expect(signTest([...Array(9).fill(1), -1, 0, 0])).toEqual({ better: 9, worse: 1, pValue: 0.0215 });
    expect(signTest([1, -1, 1, -1]).pValue).toBe(1);
    expect(signTest([0, 0]).pValue).toBe(1);
    // Three of three is not enough evidence at 0.05.
    expect(signTest([1, 1, 1]).pValue).toBe(0.25);
  });

  it("bootstraps an interval around the mean of per-case rates, the same every time", () => {
    const values = [1, 1, 0.5, 0, 1, 0.75, 0.25, 1];
    const interval = bootstrapMeanInterval(values);
    const mean = values.reduce((a, b) => a + b) / values.length;
    expect(interval[0]).toBeLessThan(mean);
    expect(interval[1]).toBeGreaterThan(mean);
    expect(bootstrapMeanInterval(values)).toEqual(interval);
  });
});
