import { niceScale, project, tickLabel, type Point } from "./chart-scale";

export interface Series {
  name: string;
  points: Point[];
  /** A CSS class for the line's colour (vault-tuner-series-1...). */
  cls: string;
  /** A low-high interval per point (a 95% interval, say): drawn as whiskers, with a dot at each point. */
  intervals?: (readonly [number, number])[];
}

const SVG = "http://www.w3.org/2000/svg";
const WIDTH = 320;
const HEIGHT = 150;
const MARGIN = { left: 44, right: 8, top: 8, bottom: 22 };

/** A line chart of one or more series (over training steps, labels...), as SVG in the theme's colours. */
export function drawLineChart(
  parent: HTMLElement,
  title: string,
  series: Series[],
  options: { xMin?: number; yMin?: number; yMax?: number } = {},
): void {
  const figure = parent.createDiv({ cls: "vault-tuner-chart" });
  figure.createDiv({ cls: "vault-tuner-chart-title", text: title });
  const points = series.flatMap((line) => line.points);
  const xs = niceScale([...points.map(([x]) => x), ...(options.xMin !== undefined ? [options.xMin] : [])], 4);
  const bounds = series.flatMap((line) => (line.intervals ?? []).flat());
  const ys = niceScale(
    [
      ...points.map(([, y]) => y),
      ...bounds,
      ...[options.yMin, options.yMax].filter((value): value is number => value !== undefined),
    ],
    4,
  );
  const svg = element("svg", { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: "img", "aria-label": title });
  const left = MARGIN.left;
  const right = WIDTH - MARGIN.right;
  const top = MARGIN.top;
  const bottom = HEIGHT - MARGIN.bottom;
  for (const tick of ys.ticks) {
    const y = project(tick, ys, bottom, top);
    svg.appendChild(element("line", { x1: left, x2: right, y1: y, y2: y, class: "vault-tuner-grid" }));
    svg.appendChild(text(tickLabel(tick), left - 4, y + 3, "end"));
  }
  for (const tick of xs.ticks)
    svg.appendChild(text(tickLabel(tick), project(tick, xs, left, right), HEIGHT - 6, "middle"));
  for (const line of series) {
    const path = line.points
      .map(([x, y]) => `${project(x, xs, left, right).toFixed(1)},${project(y, ys, bottom, top).toFixed(1)}`)
      .join(" ");
    svg.appendChild(element("polyline", { points: path, class: `vault-tuner-line ${line.cls}`, fill: "none" }));
    line.intervals?.forEach(([low, high], index) => {
      const [x, y] = line.points[index] ?? [Number.NaN, Number.NaN];
      const px = project(x, xs, left, right);
      svg.appendChild(
        element("line", {
          x1: px,
          x2: px,
          y1: project(low, ys, bottom, top),
          y2: project(high, ys, bottom, top),
          class: `vault-tuner-whisker ${line.cls}`,
        }),
      );
      svg.appendChild(
        element("circle", { cx: px, cy: project(y, ys, bottom, top), r: 2.5, class: `vault-tuner-dot ${line.cls}` }),
      );
    });
  }
  figure.appendChild(svg);
  if (series.length > 1) {
    const legend = figure.createDiv({ cls: "vault-tuner-legend" });
    for (const line of series) legend.createSpan({ cls: `vault-tuner-legend-item ${line.cls}`, text: line.name });
  }
}

function element(tag: string, attributes: Record<string, string | number>): SVGElement {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  return node;
}

function text(content: string, x: number, y: number, anchor: string): SVGElement {
  const node = element("text", { x, y, "text-anchor": anchor, class: "vault-tuner-tick" });
  node.textContent = content;
  return node;
}
