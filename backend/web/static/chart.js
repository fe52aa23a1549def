// Charts drawn as inline SVG: grouped bars for amounts per period and a line for a running
// total. No library: a few dozen lines are enough for what the merchant page shows.

const NS = "http://www.w3.org/2000/svg";
const TICKS = 5; // grid lines: a "nice" maximum divides into five round steps
const COLORS = ["#c8102e", "#1f6feb", "#2da44e", "#bf8700"];

function svg(tag, attrs = {}, ...children) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  for (const c of children) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}

/**
 * @typedef {Object} ChartOptions
 * @property {string} title
 * @property {string[]} labels
 * @property {{ name: string, values: number[], color?: string }[]} series
 * @property {(n: number) => string} [format]
 * @property {number} [height]
 */

function niceMax(value) {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (value <= step * power) return step * power;
  return 10 * power;
}

/**
 * Grouped bars. labels: ["05-01", …]; series: [{name, values: [n, …]}]; format(n) → text.
 * Returns a <figure> with the chart, a legend and a <table> fallback for screen readers.
 * @param {ChartOptions} options
 */
export function barChart({ title, labels, series, format = String, height = 180 }) {
  const width = 600;
  const pad = { left: 56, right: 8, top: 10, bottom: 28 };
  const innerW = width - pad.left - pad.right;
  const innerH = height - pad.top - pad.bottom;
  const max = niceMax(Math.max(0, ...series.flatMap((s) => s.values)));
  const groupW = innerW / Math.max(1, labels.length);
  const barW = Math.max(2, Math.min(28, (groupW * 0.8) / series.length));
  const root = svg("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": title, class: "chart" });
  for (let i = 0; i <= TICKS; i++) {
    const y = pad.top + innerH - (innerH * i) / TICKS;
    root.append(svg("line", { x1: pad.left, x2: width - pad.right, y1: y, y2: y, class: "grid" }));
    root.append(svg("text", { x: pad.left - 6, y: y + 4, "text-anchor": "end", class: "tick" }, format((max * i) / TICKS)));
  }
  const every = Math.ceil(labels.length / 8);
  labels.forEach((label, i) => {
    const x0 = pad.left + groupW * i + (groupW - barW * series.length) / 2;
    series.forEach((s, j) => {
      const v = s.values[i] || 0;
      const hgt = (innerH * v) / max;
      const rect = svg("rect", { x: x0 + j * barW, y: pad.top + innerH - hgt, width: barW - 1, height: Math.max(0, hgt), fill: s.color || COLORS[j % COLORS.length], rx: 2 });
      rect.append(svg("title", {}, `${s.name} · ${label}: ${format(v)}`));
      root.append(rect);
    });
    if (i % every === 0) root.append(svg("text", { x: pad.left + groupW * i + groupW / 2, y: height - 8, "text-anchor": "middle", class: "tick" }, label));
  });
  return figure(title, root, labels, series, format);
}

/**
 * A line of running totals (e.g. fees earned to date).
 * @param {ChartOptions} options
 */
export function lineChart({ title, labels, series, format = String, height = 160 }) {
  const width = 600;
  const pad = { left: 56, right: 8, top: 10, bottom: 28 };
  const innerW = width - pad.left - pad.right;
  const innerH = height - pad.top - pad.bottom;
  const max = niceMax(Math.max(0, ...series.flatMap((s) => s.values)));
  const x = (i) => pad.left + (labels.length < 2 ? innerW / 2 : (innerW * i) / (labels.length - 1));
  const y = (v) => pad.top + innerH - (innerH * v) / max;
  const root = svg("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": title, class: "chart" });
  for (let i = 0; i <= TICKS; i++) {
    const gy = pad.top + innerH - (innerH * i) / TICKS;
    root.append(svg("line", { x1: pad.left, x2: width - pad.right, y1: gy, y2: gy, class: "grid" }));
    root.append(svg("text", { x: pad.left - 6, y: gy + 4, "text-anchor": "end", class: "tick" }, format((max * i) / TICKS)));
  }
  series.forEach((s, j) => {
    const color = s.color || COLORS[j % COLORS.length];
    const points = s.values.map((v, i) => `${x(i)},${y(v)}`).join(" ");
    root.append(svg("polyline", { points, fill: "none", stroke: color, "stroke-width": 2.5, "stroke-linejoin": "round" }));
    s.values.forEach((v, i) => {
      const dot = svg("circle", { cx: x(i), cy: y(v), r: 3, fill: color });
      dot.append(svg("title", {}, `${s.name} · ${labels[i]}: ${format(v)}`));
      root.append(dot);
    });
  });
  const every = Math.ceil(labels.length / 8);
  labels.forEach((label, i) => { if (i % every === 0) root.append(svg("text", { x: x(i), y: height - 8, "text-anchor": "middle", class: "tick" }, label)); });
  return figure(title, root, labels, series, format);
}

function figure(title, chart, labels, series, format) {
  const fig = document.createElement("figure");
  fig.className = "chart-figure";
  const caption = document.createElement("figcaption");
  caption.textContent = title;
  const legend = document.createElement("div");
  legend.className = "legend";
  series.forEach((s, j) => {
    const item = document.createElement("span");
    item.innerHTML = `<i style="background:${s.color || COLORS[j % COLORS.length]}"></i>`;
    item.append(s.name);
    legend.append(item);
  });
  const table = document.createElement("table");
  table.className = "sr-only";
  table.innerHTML = `<tr><th></th>${series.map((s) => `<th>${s.name}</th>`).join("")}</tr>`;
  labels.forEach((label, i) => {
    const row = document.createElement("tr");
    row.innerHTML = `<th>${label}</th>${series.map((s) => `<td>${format(s.values[i] || 0)}</td>`).join("")}`;
    table.append(row);
  });
  fig.append(caption, chart, legend, table);
  return fig;
}

/**
 * Buckets timestamped items into periods (a minute up to a week, whatever fits the span).
 * Returns {labels, buckets: [[items…], …]} with empty periods kept (a gap is information).
 */
export function bucketByTime(items, timeOf, minBuckets = 12, maxBuckets = 24) {
  if (!items.length) return { labels: [], buckets: [] };
  const times = items.map(timeOf);
  const first = Math.min(...times);
  const last = Math.max(...times);
  // the smallest period that fits the whole span in maxBuckets; at least minBuckets shown
  const step = [60, 300, 900, 3600, 21600, 86400, 604800].find((s) => (last - first) / s < maxBuckets) || 604800;
  const end = Math.floor(last / step) * step;
  const count = Math.min(maxBuckets, Math.max(minBuckets, Math.floor((end - Math.floor(first / step) * step) / step) + 1));
  const from = end - (count - 1) * step;
  const buckets = Array.from({ length: count }, () => []);
  for (const item of items) {
    const i = Math.floor((timeOf(item) - from) / step);
    if (i >= 0 && i < count) buckets[i].push(item);
  }
  const two = (n) => String(n).padStart(2, "0");
  const labels = buckets.map((_, i) => {
    const d = new Date((from + i * step) * 1000);
    return step < 86400 ? `${two(d.getHours())}:${two(d.getMinutes())}` : `${two(d.getMonth() + 1)}-${two(d.getDate())}`;
  });
  return { labels, buckets };
}
