/** The statistics the evaluator reports: intervals, pass^k and a paired test. No dependencies, exact where it is cheap. */

const Z_95 = 1.959963984540054;

/** Wilson score interval for `successes` of `trials` at 95%: honest near 0 and 1, unlike the normal approximation. */
export function wilsonInterval(successes: number, trials: number): [number, number] {
  if (trials === 0) return [0, 1];
  const p = successes / trials;
  const z2 = Z_95 * Z_95;
  const centre = (p + z2 / (2 * trials)) / (1 + z2 / trials);
  const half = (Z_95 * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials))) / (1 + z2 / trials);
  return [round(Math.max(0, centre - half)), round(Math.min(1, centre + half))];
}

/** C(n, k) as a float (exact for the sizes of prompt sets). */
export function binomial(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let result = 1;
  for (let i = 1; i <= Math.min(k, n - k); i++) result = (result * (n - i + 1)) / i;
  return result;
}

/**
 * pass^k (tau-bench): the chance that k tries drawn from a case's n all pass, C(c,k)/C(n,k), averaged
 * over cases. Cases with fewer than k tries are left out.
 */
export function passHatK(cases: { tries: number; passes: number }[], k: number): number | undefined {
  const eligible = cases.filter((item) => item.tries >= k);
  if (eligible.length === 0) return undefined;
  return round(
    eligible.reduce((sum, item) => sum + binomial(item.passes, k) / binomial(item.tries, k), 0) / eligible.length,
  );
}

/**
 * Two-sided exact sign test over paired differences (McNemar's exact test when each case is pass/fail):
 * ties are dropped; the p-value is the chance of a split at least this uneven if neither side is better.
 */
export function signTest(differences: number[]): { better: number; worse: number; pValue: number } {
  const better = differences.filter((d) => d > 0).length;
  const worse = differences.filter((d) => d < 0).length;
  const n = better + worse;
  if (n === 0) return { better, worse, pValue: 1 };
  const extreme = Math.min(better, worse);
  let tail = 0;
  for (let i = 0; i <= extreme; i++) tail += binomial(n, i);
  return { better, worse, pValue: round(Math.min(1, (2 * tail) / 2 ** n)) };
}

/**
 * Percentile bootstrap interval (95%) of the mean of per-case values, resampling cases: used when a case
 * is tried several times, since its tries are not independent of each other. Seeded, so a report repeats.
 */
export function bootstrapMeanInterval(values: number[], resamples = 2000, seed = 1): [number, number] {
  if (values.length === 0) return [0, 1];
  let state = seed >>> 0 || 1;
  const random = () => {
    // xorshift32: small, fast, reproducible.
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
  const means: number[] = [];
  for (let r = 0; r < resamples; r++) {
    let sum = 0;
    for (let i = 0; i < values.length; i++) sum += values[Math.floor(random() * values.length)] as number;
    means.push(sum / values.length);
  }
  means.sort((a, b) => a - b);
  return [round(quantile(means, 0.025)), round(quantile(means, 0.975))];
}

/** Linear-interpolated quantile of sorted values. */
export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  const high = Math.ceil(at);
  return (sorted[low] as number) + ((sorted[high] as number) - (sorted[low] as number)) * (at - low);
}

export function round(value: number, digits = 4): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
