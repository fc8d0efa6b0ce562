/** One point of the label-efficiency curve: pass rate after training on `labels` labelled calls, with its interval. */
export interface CurvePoint {
  labels: number;
  rate: number;
  low: number;
  high: number;
}

const WIDTH = 560;
const HEIGHT = 300;
const MARGIN = { left: 56, right: 20, top: 36, bottom: 48 };

/**
 * The label-efficiency curve as a standalone SVG (for the docs): labels on a square-root axis, so 0, 25
 * and 200 all get room; the 95% interval as a band around the line.
 */
export function labelCurveSvg(
  points: CurvePoint[],
  title = "full-coverage pass rate after KTO on N labelled calls",
): string {
  const sorted = [...points].sort((a, b) => a.labels - b.labels);
  const maxLabels = Math.max(1, ...sorted.map((point) => point.labels));
  const maxRate = Math.min(1, Math.max(0.1, ...sorted.map((point) => point.high)) * 1.1);
  const x = (labels: number) =>
    MARGIN.left + (Math.sqrt(labels) / Math.sqrt(maxLabels)) * (WIDTH - MARGIN.left - MARGIN.right);
  const y = (rate: number) => HEIGHT - MARGIN.bottom - (rate / maxRate) * (HEIGHT - MARGIN.top - MARGIN.bottom);
  const parts: string[] = [];
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((share) => share * maxRate);
  for (const tick of ticks)
    parts.push(
      `<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y(tick).toFixed(1)}" y2="${y(tick).toFixed(1)}" stroke="#ddd"/><text x="${MARGIN.left - 6}" y="${(y(tick) + 4).toFixed(1)}" text-anchor="end">${(tick * 100).toFixed(0)}%</text>`,
    );
  for (const point of sorted)
    parts.push(
      `<text x="${x(point.labels).toFixed(1)}" y="${HEIGHT - MARGIN.bottom + 18}" text-anchor="middle">${point.labels}</text>`,
    );
  const band = [
    ...sorted.map((point) => `${x(point.labels).toFixed(1)},${y(point.high).toFixed(1)}`),
    ...[...sorted].reverse().map((point) => `${x(point.labels).toFixed(1)},${y(point.low).toFixed(1)}`),
  ].join(" ");
  parts.push(`<polygon points="${band}" fill="#4c78a8" fill-opacity="0.15"/>`);
  parts.push(
    `<polyline points="${sorted.map((point) => `${x(point.labels).toFixed(1)},${y(point.rate).toFixed(1)}`).join(" ")}" fill="none" stroke="#4c78a8" stroke-width="2"/>`,
  );
  for (const point of sorted)
    parts.push(
      `<circle cx="${x(point.labels).toFixed(1)}" cy="${y(point.rate).toFixed(1)}" r="3.5" fill="#4c78a8"><title>${point.labels} labels: ${(point.rate * 100).toFixed(1)}% (${(point.low * 100).toFixed(1)}-${(point.high * 100).toFixed(1)}%)</title></circle>`,
    );
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="white"/>`,
    `<text x="${WIDTH / 2}" y="20" text-anchor="middle" font-size="14">${title}</text>`,
    ...parts,
    `<text x="${(MARGIN.left + WIDTH - MARGIN.right) / 2}" y="${HEIGHT - 10}" text-anchor="middle">labelled calls (KTO on top of SFT; 0 = SFT alone)</text>`,
    "</svg>",
    "",
  ].join("\n");
}
