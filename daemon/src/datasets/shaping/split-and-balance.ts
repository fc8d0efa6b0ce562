import type { Example } from "../example";
import type { SeededRandom } from "./seeded-random";

export interface Split {
  train: Example[];
  holdout: Example[];
  trainSessions: number;
  holdoutSessions: number;
}

/**
 * Holds out whole sessions until about `fraction` of the examples are held out, so no conversation
 * is in both parts. At least one session always stays in train.
 */
export function splitBySession(examples: Example[], fraction: number, random: SeededRandom): Split {
  const bySession = new Map<string, Example[]>();
  for (const example of examples) bySession.set(example.session, [...(bySession.get(example.session) ?? []), example]);
  const sessions = random.shuffle([...bySession.keys()].sort());
  const target = Math.round(fraction * examples.length);
  const held = new Set<string>();
  let heldCount = 0;
  for (const session of sessions) {
    if (heldCount >= target || held.size === sessions.length - 1) break;
    held.add(session);
    heldCount += bySession.get(session)?.length ?? 0;
  }
  const split: Split = {
    train: [],
    holdout: [],
    trainSessions: sessions.length - held.size,
    holdoutSessions: held.size,
  };
  for (const example of examples) (held.has(example.session) ? split.holdout : split.train).push(example);
  return split;
}

/**
 * Orders examples desirable, undesirable, desirable, undesirable... so that every batch of any even
 * size, read in file order as TRL's KTOTrainer reads it, holds both classes equally. With `oversample`
 * the smaller class is repeated (reshuffled each round) until the classes are even; otherwise the
 * surplus of the larger class ends the file.
 */
export function interleave(
  examples: Example[],
  oversample: boolean,
  random: SeededRandom,
): { rows: Example[]; repeated: number } {
  let desirable = random.shuffle(examples.filter((example) => example.label));
  let undesirable = random.shuffle(examples.filter((example) => !example.label));
  let repeated = 0;
  if (oversample && desirable.length > 0 && undesirable.length > 0) {
    const grow = (small: Example[], size: number) => {
      const grown = [...small];
      while (grown.length < size) grown.push(...random.shuffle(small).slice(0, size - grown.length));
      repeated += size - small.length;
      return grown;
    };
    if (desirable.length < undesirable.length) desirable = grow(desirable, undesirable.length);
    else undesirable = grow(undesirable, desirable.length);
  }
  const rows: Example[] = [];
  for (let i = 0; i < Math.max(desirable.length, undesirable.length); i++) {
    if (i < desirable.length) rows.push(desirable[i] as Example);
    if (i < undesirable.length) rows.push(undesirable[i] as Example);
  }
  return { rows, repeated };
}

/**
 * TRL's KTO paper and trainer want (desirable_weight x desirable) : (undesirable_weight x undesirable)
 * between 1:1 and 4:3; this gives the smallest change of one weight that gets there (rounded up to
 * four decimals, so the ratio stays inside the band).
 */
export function ktoWeights(desirable: number, undesirable: number): { desirable: number; undesirable: number } {
  if (desirable === 0 || undesirable === 0) return { desirable: 1, undesirable: 1 };
  const ratio = (wD: number, wU: number) => (wD * desirable) / (wU * undesirable);
  const step = 1e-4;
  const ceil4 = (value: number) => Number((Math.ceil(value / step - 1e-9) * step).toFixed(4));
  if (ratio(1, 1) < 1) {
    let weight = ceil4(undesirable / desirable);
    // Rounding can land a hair outside the band in floating point, where TRL would still complain.
    while (ratio(weight, 1) < 1) weight = Number((weight + step).toFixed(4));
    return { desirable: weight, undesirable: 1 };
  }
  if (ratio(1, 1) > 4 / 3) {
    let weight = ceil4((3 * desirable) / (4 * undesirable));
    while (ratio(1, weight) > 4 / 3) weight = Number((weight + step).toFixed(4));
    return { desirable: 1, undesirable: weight };
  }
  return { desirable: 1, undesirable: 1 };
}
