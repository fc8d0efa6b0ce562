import { describe, expect, it } from "vitest";
import type { Example } from "../../src/datasets/example";
import { SeededRandom } from "../../src/datasets/shaping/seeded-random";
import { interleave, ktoWeights, splitBySession } from "../../src/datasets/shaping/split-and-balance";

function examples(desirable: number, undesirable: number, sessions = 1000): Example[] {
  return Array.from({ length: desirable + undesirable }, (_, i) => ({
    source: `e${i}`,
    session: `s${i % sessions}`,
    label: i < desirable,
    prompt: [],
    completion: { calls: [], text: "x" },
    toolset: "claudesidian-3",
  }));
}

describe("ktoWeights", () => {
  it("leaves balanced classes alone and brings any ratio into TRL's 1:1 to 4:3 band", () => {
    expect(ktoWeights(100, 100)).toEqual({ desirable: 1, undesirable: 1 });
    expect(ktoWeights(130, 100)).toEqual({ desirable: 1, undesirable: 1 });
    const random = new SeededRandom(1);
    for (let i = 0; i < 500; i++) {
      const d = 1 + random.int(5000);
      const u = 1 + random.int(5000);
      const w = ktoWeights(d, u);
      const ratio = (w.desirable * d) / (w.undesirable * u);
      expect(ratio, `${d}:${u}`).toBeGreaterThanOrEqual(1);
      expect(ratio, `${d}:${u}`).toBeLessThanOrEqual(4 / 3);
      expect(Math.min(w.desirable, w.undesirable), "only one weight moves").toBe(1);
    }
  });
});

describe("interleave", () => {
  it("oversamples the smaller class so that every pair, hence every even batch, is mixed", () => {
    const { rows, repeated } = interleave(examples(30, 7), true, new SeededRandom(2));
    expect(rows).toHaveLength(60);
    expect(repeated).toBe(23);
    expect(rows.map((row) => row.label)).toEqual(rows.map((_, i) => i % 2 === 0));
    const undesirable = rows.filter((row) => !row.label).map((row) => row.source);
    expect(new Set(undesirable).size, "every undesirable example used").toBe(7);
  });

  it("without oversampling keeps each example once and puts the surplus last", () => {
    const { rows, repeated } = interleave(examples(3, 8), false, new SeededRandom(2));
    expect(repeated).toBe(0);
    expect(rows.map((row) => row.label)).toEqual([
      true,
      false,
      true,
      false,
      true,
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
  });
});

describe("splitBySession", () => {
  it("holds out whole sessions, about the share asked for", () => {
    const all = examples(500, 500, 100);
    const split = splitBySession(all, 0.2, new SeededRandom(3));
    const trainSessions = new Set(split.train.map((e) => e.session));
    expect(split.holdout.every((e) => !trainSessions.has(e.session))).toBe(true);
    expect(split.holdout.length).toBe(200);
    expect(split.train.length + split.holdout.length).toBe(1000);
  });

  it("keeps one session in train however small the data", () => {
    const split = splitBySession(examples(2, 2, 1), 0.5, new SeededRandom(3));
    expect(split.train).toHaveLength(4);
    expect(split.holdoutSessions).toBe(0);
  });
});
