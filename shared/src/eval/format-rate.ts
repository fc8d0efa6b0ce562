/** A pass rate as people read it: one decimal of a percent, or n/a when nothing was scored. */
export function formatRate(rate: number | null): string {
  return rate === null ? "n/a" : `${(rate * 100).toFixed(1)}%`;
}
