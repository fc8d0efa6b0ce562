/** A point of a curve: x is the training step, y the metric. */
export type Point = readonly [number, number];

export interface Scale {
  min: number;
  max: number;
  /** Round values between min and max for the axis labels. */
  ticks: number[];
}

/**
 * An axis over the values with round ticks (1, 2 or 5 times a power of ten), so a reader can read values
 * off the chart. A flat series gets a band around its value instead of a zero-height axis.
 */
export function niceScale(values: number[], ticks = 4): Scale {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return { min: 0, max: 1, ticks: [0, 1] };
  let low = Math.min(...finite);
  let high = Math.max(...finite);
  if (low === high) {
    const pad = Math.abs(low) > 0 ? Math.abs(low) * 0.1 : 1;
    low -= pad;
    high += pad;
  }
  const raw = (high - low) / ticks;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((factor) => factor * power >= raw) ?? 10) * power;
  const min = withoutFloatNoise(Math.floor(low / step) * step);
  const max = withoutFloatNoise(Math.ceil(high / step) * step);
  const marks: number[] = [];
  for (let value = min; value <= max + step / 2; value += step) marks.push(withoutFloatNoise(value));
  return { min, max, ticks: marks };
}

/** 0.6000000000000001 -> 0.6: sums of steps drift in binary floating point. */
function withoutFloatNoise(value: number): number {
  return Number(value.toPrecision(12));
}

/** Where a value lands between two pixel edges (top and bottom swap for y, which grows downward). */
export function project(value: number, scale: Pick<Scale, "min" | "max">, from: number, to: number): number {
  return from + ((value - scale.min) / (scale.max - scale.min || 1)) * (to - from);
}

/** An axis label: short, without float noise. */
export function tickLabel(value: number): string {
  if (value === 0) return "0";
  const magnitude = Math.abs(value);
  if (magnitude >= 1000 || magnitude < 0.001) return value.toExponential(1);
  return String(Number(value.toPrecision(3)));
}
