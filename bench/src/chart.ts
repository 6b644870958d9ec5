// The chart docs/benchmarks.md shows: each row's latency (p50, p95) and throughput as a ratio to
// row 1 (direct) of the same run, one bar per row and metric. Hand-written SVG, no dependency: a
// chart library would weigh more than the harness, and the picture is three bars per row.
import type { Results, RowResult } from './results.js';

/** One bar per row and metric, in this order; `better` says which way is good. */
export const CHART_METRICS = [
  { id: 'p50', label: 'latency p50 × direct', better: 'lower', color: '#3b6ea8', value: (row: RowResult) => row.latency.p50Ratio },
  { id: 'p95', label: 'latency p95 × direct', better: 'lower', color: '#8fb3dd', value: (row: RowResult) => row.latency.p95Ratio },
  { id: 'throughput', label: 'throughput × direct', better: 'higher', color: '#c9793a', value: (row: RowResult) => row.throughput.ratio },
] as const;

/** What the chart needs from a run. */
export type ChartInput = Pick<Results, 'date' | 'mode' | 'rows'>;

const WIDTH = 820;
const LABEL_WIDTH = 320;
const PLOT_WIDTH = WIDTH - LABEL_WIDTH - 60;
const TOP = 64;
const BAR = 11;
const GAP = 3;
const GROUP_GAP = 16;

/** Escapes text for an SVG text node or attribute value. */
export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ENTITIES[c] ?? c);
}
const ENTITIES: Record<string, string | undefined> = { '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' };

/** A long row name on two lines, split at the last space that keeps the first line short. */
function labelLines(label: string, max = 46): string[] {
  if (label.length <= max) return [label];
  const cut = label.lastIndexOf(' ', max);
  return cut > 0 ? [label.slice(0, cut), label.slice(cut + 1)] : [label];
}

const fmt = (n: number) => `${Number(n.toFixed(2))}×`;

/**
 * Renders the chart of one run as a standalone SVG document.
 *
 * @example
 * writeFileSync('bench/results.svg', renderChart(JSON.parse(readFileSync('bench/results.json', 'utf8'))));
 */
export function renderChart(results: ChartInput): string {
  const { rows } = results;
  if (rows.length === 0) throw new Error('renderChart: the run has no rows');
  const values = rows.flatMap((row) => CHART_METRICS.map((m) => m.value(row)));
  for (const v of values) if (!Number.isFinite(v) || v < 0) throw new Error(`renderChart: a ratio is not a number ≥ 0 (${String(v)})`);
  // The scale: at least 0-2×, rounded up to the next half.
  const max = Math.max(2, Math.ceil(Math.max(...values) * 2) / 2);
  const x = (ratio: number) => LABEL_WIDTH + (ratio / max) * PLOT_WIDTH;
  const groupHeight = CHART_METRICS.length * (BAR + GAP) - GAP;
  const plotHeight = rows.length * (groupHeight + GROUP_GAP) - GROUP_GAP;
  const height = TOP + plotHeight + 44;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="system-ui, sans-serif" font-size="12">`,
    `<title>Token Vault benchmarks, ${escapeXml(results.mode)} run of ${escapeXml(results.date.slice(0, 10))}: latency and throughput as a ratio to direct</title>`,
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    `<text x="12" y="20" font-size="14" font-weight="bold">Each row as a ratio to direct (row 1), ${escapeXml(results.mode)} run of ${escapeXml(results.date.slice(0, 10))}</text>`,
  );
  // Legend.
  CHART_METRICS.forEach((m, i) => {
    const lx = 12 + i * 270;
    out.push(`<rect x="${lx}" y="32" width="12" height="12" fill="${m.color}"/>`, `<text x="${lx + 18}" y="42">${escapeXml(`${m.label} (${m.better} is better)`)}</text>`);
  });
  // Grid: a line every half ×, the 1× line darker.
  for (let t = 0; t <= max + 1e-9; t += 0.5) {
    const gx = x(t).toFixed(1);
    out.push(
      `<line x1="${gx}" y1="${TOP - 6}" x2="${gx}" y2="${TOP + plotHeight + 4}" stroke="${t === 1 ? '#555555' : '#e3e3e3'}" stroke-width="${t === 1 ? 1.5 : 1}"/>`,
      `<text x="${gx}" y="${TOP + plotHeight + 18}" text-anchor="middle" fill="#555555">${fmt(t)}</text>`,
    );
  }
  rows.forEach((row, r) => {
    const gy = TOP + r * (groupHeight + GROUP_GAP);
    const lines = labelLines(`${r + 1}. ${row.name}`);
    const ly = gy + groupHeight / 2 + 4 - ((lines.length - 1) * 14) / 2;
    out.push(
      `<text x="${LABEL_WIDTH - 8}" y="${ly}" text-anchor="end">${lines.map((line, i) => `<tspan x="${LABEL_WIDTH - 8}" dy="${i === 0 ? 0 : 14}">${escapeXml(line)}</tspan>`).join('')}</text>`,
    );
    CHART_METRICS.forEach((m, i) => {
      const v = m.value(row);
      const by = gy + i * (BAR + GAP);
      const w = Math.max(1, x(v) - LABEL_WIDTH);
      out.push(
        `<rect data-row="${escapeXml(row.id)}" data-metric="${m.id}" x="${LABEL_WIDTH}" y="${by}" width="${w.toFixed(1)}" height="${BAR}" fill="${m.color}"><title>${escapeXml(`${row.name}: ${m.label} ${fmt(v)}`)}</title></rect>`,
        `<text x="${(LABEL_WIDTH + w + 4).toFixed(1)}" y="${by + BAR - 2}" font-size="10" fill="#333333">${fmt(v)}</text>`,
      );
    });
  });
  out.push(`<text x="${WIDTH - 12}" y="${height - 8}" text-anchor="end" font-size="10" fill="#777777">bench/results.json; method in bench/README.md</text>`, '</svg>');
  return `${out.join('\n')}\n`;
}
