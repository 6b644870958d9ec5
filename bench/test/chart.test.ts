import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CHART_METRICS, renderChart, type ChartInput } from '../src/chart.js';

function must<T>(value: T | null | undefined, what: string): T {
  if (value == null) throw new Error(`missing: ${what}`);
  return value;
}

const committed = JSON.parse(readFileSync(new URL('../results.json', import.meta.url), 'utf8')) as ChartInput;

/** Well-formed XML, checked by hand (Node has no XML parser): every tag closed in order, attributes quoted, no bare `<` or `&` in text. */
function assertWellFormed(svg: string): void {
  const stack: string[] = [];
  const tag = /<(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/y;
  let i = 0;
  while (i < svg.length) {
    const lt = svg.indexOf('<', i);
    const text = svg.slice(i, lt === -1 ? svg.length : lt);
    expect(text, 'text has only known entities').not.toMatch(/&(?!(lt|gt|amp|quot|apos);)/);
    if (lt === -1) break;
    tag.lastIndex = lt;
    const m = tag.exec(svg);
    const [whole, closing, name, , selfClosing] = must(m, `a well-formed tag at ${String(lt)}: ${svg.slice(lt, lt + 60)}`);
    if (closing) expect(stack.pop(), `</${name}> closes what was opened`).toBe(name);
    else if (!selfClosing) stack.push(name);
    i = lt + whole.length;
  }
  expect(stack, 'every element closed').toEqual([]);
}

const bars = (svg: string) =>
  [...svg.matchAll(/<rect data-row="([^"]*)" data-metric="([^"]*)" x="[\d.]+" y="[\d.]+" width="([\d.]+)"/g)].map(([, row, metric, width]) => ({
    row,
    metric,
    width: Number(width),
  }));

describe('renderChart', () => {
  it('draws the committed run as one well-formed SVG document', () => {
    const svg = renderChart(committed);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    assertWellFormed(svg);
  });

  it('has one bar per row and metric, in the run order', () => {
    const drawn = bars(renderChart(committed));
    expect(drawn.map(({ row, metric }) => `${row}/${metric}`)).toEqual(committed.rows.flatMap((r) => CHART_METRICS.map((m) => `${r.id}/${m.id}`)));
  });

  it('draws each bar in proportion to its ratio to direct', () => {
    const drawn = bars(renderChart(committed));
    const direct = must(
      drawn.find((b) => b.row === 'direct' && b.metric === 'p50'),
      'the direct p50 bar',
    );
    const worker = must(
      committed.rows.find((r) => r.id === 'vault-sw'),
      'the vault-sw row',
    );
    const workerBar = must(
      drawn.find((b) => b.row === 'vault-sw' && b.metric === 'p50'),
      'the vault-sw p50 bar',
    );
    expect(workerBar.width / direct.width).toBeCloseTo(worker.latency.p50Ratio, 1);
    const throughput = must(
      drawn.find((b) => b.row === 'vault-sw' && b.metric === 'throughput'),
      'the vault-sw throughput bar',
    );
    expect(throughput.width / direct.width).toBeCloseTo(worker.throughput.ratio, 1);
  });

  it('escapes row names', () => {
    const row = { ...committed.rows[0], name: 'a <script> & "quotes"' };
    const svg = renderChart({ ...committed, rows: [row] });
    assertWellFormed(svg);
    expect(svg).toContain('a &lt;script&gt; &amp; &quot;quotes&quot;');
    expect(svg).not.toContain('<script>');
  });

  it('refuses a run without rows or with a ratio that is not a number', () => {
    expect(() => renderChart({ ...committed, rows: [] })).toThrow(/no rows/);
    const broken = { ...committed.rows[0], throughput: { ...committed.rows[0].throughput, ratio: Number.NaN } };
    expect(() => renderChart({ ...committed, rows: [broken] })).toThrow(/not a number/);
  });

  it('is the committed bench/results.svg (redraw it with node bench/dist/main.js --chart-only)', () => {
    expect(readFileSync(new URL('../results.svg', import.meta.url), 'utf8')).toBe(renderChart(committed));
  });
});
