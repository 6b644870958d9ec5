#!/usr/bin/env node
// npm run build && node bench/dist/ab.js --base DIR [--port N] [--rounds N] [--visits N] [--stream]
//
// A/B: this tree's vault (B) against another built copy of the repository (A, for example
// `cp -a` of the tree before a change), in one browser and one run, rounds interleaved
// (direct, pass-through, A, B, …) so that drift of a shared machine falls on both alike. Each side
// runs its own dev host (A on port N+1), so the two vaults live on two origins of one site.
import { build } from '@tokenvault/dev-host';
import { chromium, type Page } from 'playwright-core';
import { benchOrigins, benchOriginsFor } from './benchOrigins.js';
import { buildBundles } from './bundles.js';
import { installFetch, sequential, type RowId } from './inPage.js';
import { measureFirstVisit, measureLatency, measureStream, measureThroughput, type Row, type Urls } from './measure.js';
import { firstVisitTimeline } from './profile.js';
import { demoReady, signIn } from './signIn.js';
import { median, percentile, round } from './stats.js';
import { defined } from '@tokenvault/test-support';

function arg(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}
const base = arg('--base');
if (!base) {
  console.error('usage: node bench/dist/ab.js --base DIR [--port N] [--rounds N] [--visits N] [--stream [--stream-rounds N]] [--timeline] [--visits-only]');
  process.exit(2);
}
const port = Number(arg('--port') ?? 8360);
const rounds = Number(arg('--rounds') ?? 10);
const visits = Number(arg('--visits') ?? 8);
const started = Date.now();
const log = (message: string) => process.stderr.write(`[ab ${((Date.now() - started) / 1000).toFixed(1)}s] ${message}\n`);

const bundles = await buildBundles();
const bench = benchOriginsFor(port);
// Bearer tokens, as the direct rows use them (and as checkout A, before DPoP, issues them).
const hostB = await build({ demo: 'drop-in', port, accessTokenTtl: 3600, apiCorsOrigins: [bench.bench, bench.forgerockProxy], dpop: false });
await hostB.register(benchOrigins, { origins: hostB.vault.origins, bench, bundles });
await hostB.listen({ port, host: 'localhost' });
const devHostA = (await import(`${base}/infra/dev-host/dist/index.js`)) as typeof import('@tokenvault/dev-host');
const hostA = await devHostA.build({ port: port + 1, accessTokenTtl: 3600 });
await hostA.listen({ port: port + 1, host: 'localhost' });
const A = hostA.vault.origins;
const B = hostB.vault.origins;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
});
try {
  // One context per side: the two OPs share cookie names on one host name (cookies ignore the port),
  // and each demo's session monitor would see the other's login as a change and sign out.
  const contextA = await browser.newContext();
  const context = await browser.newContext();
  const page = (): Promise<Page> => context.newPage();
  const swB = await page();
  const tokens = await signIn(swB, B);
  const swA = await contextA.newPage();
  await signIn(swA, A);
  const channel = async (p: Page, origin: string): Promise<Page> => {
    await p.goto(`${origin}/`);
    await demoReady(p);
    return p;
  };
  const chA = await channel(await contextA.newPage(), A.app);
  const chB = await channel(await page(), B.app);
  // The rows that are not a vault get a context of their own, so that neither side shares one with them.
  const contextC = await browser.newContext();
  const waitReady = async (url: string): Promise<Page> => {
    const p = await contextC.newPage();
    await p.goto(url);
    await p.waitForFunction(() => window.benchReadyAt !== undefined, null, { timeout: 20_000 });
    return p;
  };
  const direct = await waitReady(`${bench.bench}/direct/`);
  const passthrough = await waitReady(`${bench.bench}/passthrough/`);
  // Row ids name the way each page fetches (installFetch); the measurements key by id, so A's rows get their own.
  const rows: (Row & { kind: RowId })[] = [
    { id: 'direct', kind: 'direct', name: 'direct', page: direct, url: `${bench.bench}/direct/` },
    { id: 'passthrough', kind: 'passthrough', name: 'pass-through', page: passthrough, url: `${bench.bench}/passthrough/` },
    { id: 'vault-sw@A' as RowId, kind: 'vault-sw', name: 'worker A', page: swA, url: `${A.app}/` },
    { id: 'vault-sw', kind: 'vault-sw', name: 'worker B', page: swB, url: `${B.app}/` },
    { id: 'vault-channel@A' as RowId, kind: 'vault-channel', name: 'channel A', page: chA, url: `${A.app}/` },
    { id: 'vault-channel', kind: 'vault-channel', name: 'channel B', page: chB, url: `${B.app}/` },
  ];
  const urlsFor = (origins: typeof A): Urls => ({
    json: `${origins.api}/v1/bench/json`,
    stream: `${origins.api}/v1/bench/stream?bytes=${8 * 1024 * 1024}`,
    streamProof: `${origins.api}/v1/bench/stream?bytes=${1024 * 1024}&pauseMs=300`,
  });
  // Every row calls host B's API (A's API accepts only A's tokens; the vault rows attach their own).
  const urls = urlsFor(B);
  const aUrls = urlsFor(A);
  const urlFor = (row: Row): Urls => (row.id.endsWith('@A') ? aUrls : urls);
  for (const row of rows) {
    await row.page.evaluate(installFetch, { row: row.kind, token: tokens.accessToken });
    await row.page.evaluate(sequential, { url: urlFor(row).json, n: 3 }).catch((err: unknown) => {
      throw new Error(`row ${row.name}: ${String(err)}`);
    });
  }
  const latency = new Map<string, number[]>();
  const throughput = new Map<string, number[]>();
  const visitsOnly = process.argv.includes('--visits-only');
  if (!visitsOnly) log('measuring latency');
  // Per round, the median of each row: B's ratio to A is taken round by round (paired), so that a
  // busy moment of the machine falls on both sides of the same ratio.
  const roundMedians = new Map<string, number[]>();
  for (let round = 0; round < (visitsOnly ? 0 : rounds); round++) {
    for (const row of rows) {
      const one = await measureLatency([row], urlFor(row), { rounds: 1, perRound: 30, warmup: round === 0 ? 20 : 2 });
      latency.set(row.id, [...(latency.get(row.id) ?? []), ...defined(one.get(row.id))]);
      roundMedians.set(row.id, [...(roundMedians.get(row.id) ?? []), median(defined(one.get(row.id)))]);
    }
  }
  if (!visitsOnly) log('measuring throughput');
  for (let round = 0; round < (visitsOnly ? 0 : rounds); round++) {
    for (const row of rows) {
      const one = await measureThroughput([row], urlFor(row), { rounds: 1, total: 100, inFlight: 20, warmup: 40 });
      throughput.set(row.id, [...(throughput.get(row.id) ?? []), ...defined(one.get(row.id))]);
    }
  }
  const stream = new Map<string, number[]>();
  if (process.argv.includes('--stream')) {
    for (let round = 0; round < Number(arg('--stream-rounds') ?? 4); round++) {
      for (const row of rows) {
        const one = await measureStream([row], urlFor(row), { rounds: 1, warmup: true });
        stream.set(row.id, [...(stream.get(row.id) ?? []), ...defined(one.get(row.id)).map((t) => t.firstByte)]);
      }
    }
  }
  log('measuring first visits');
  const firstVisit = await measureFirstVisit(browser, [rows[0], rows[1], rows[2], rows[3]], { rounds: visits });
  const directP50 = median(latency.get('direct') ?? []);
  const directRps = median(throughput.get('direct') ?? []);
  const lines = ['| row | p50 ms | p95 ms | p50 × direct | req/s | × direct | 8 MiB first byte ms |', '|---|--:|--:|--:|--:|--:|--:|'];
  for (const row of visitsOnly ? [] : rows) {
    const l = defined(latency.get(row.id));
    const t = defined(throughput.get(row.id));
    const s = stream.get(row.id);
    lines.push(
      `| ${row.name} | ${round(median(l))} | ${round(percentile(l, 95))} | ${round(median(l) / directP50)} | ${round(median(t))} | ${round(median(t) / directRps)} | ${s ? round(median(s)) : ''} |`,
    );
  }
  if (!visitsOnly) {
    lines.push('', '| paired, round by round | median B/A | p25 | p75 |', '|---|--:|--:|--:|');
    for (const [a, b, name] of [
      ['vault-sw@A', 'vault-sw', 'worker latency p50'],
      ['vault-channel@A', 'vault-channel', 'channel latency p50'],
    ] as const) {
      const ratios = defined(roundMedians.get(b)).map((value, i) => value / defined(roundMedians.get(a))[i]);
      lines.push(`| ${name} | ${round(median(ratios))} | ${round(percentile(ratios, 25))} | ${round(percentile(ratios, 75))} |`);
    }
    for (const [a, b, name] of [
      ['vault-sw@A', 'vault-sw', 'worker req/s'],
      ['vault-channel@A', 'vault-channel', 'channel req/s'],
    ] as const) {
      const ratios = defined(throughput.get(b)).map((value, i) => value / defined(throughput.get(a))[i]);
      lines.push(`| ${name} | ${round(median(ratios))} | ${round(percentile(ratios, 25))} | ${round(percentile(ratios, 75))} |`);
    }
  }
  lines.push('', '| first visit → ready | p50 ms | p25 | p75 |', '|---|--:|--:|--:|');
  for (const [url, values] of firstVisit) lines.push(`| ${url} | ${round(median(values))} | ${round(percentile(values, 25))} | ${round(percentile(values, 75))} |`);
  if (process.argv.includes('--timeline')) {
    const timelines: Record<string, Record<string, number>[]> = { A: [], B: [] };
    for (let i = 0; i < visits; i++) {
      timelines.A.push(await firstVisitTimeline(browser, A));
      timelines.B.push(await firstVisitTimeline(browser, B));
    }
    for (const [side, list] of Object.entries(timelines)) {
      lines.push('', `timeline ${side} (medians, ms after navigation start):`);
      const at = (name: string): number => median(list.flatMap((t) => (name in t ? [t[name]] : [])));
      for (const name of [...new Set(list.flatMap((t) => Object.keys(t)))].sort((x, y) => at(x) - at(y))) lines.push(`  ${round(at(name))}  ${name}`);
    }
  }
  process.stdout.write(`${lines.join('\n')}\n`);
} finally {
  await browser.close();
  await hostA.close();
  await hostB.close();
}
log('done');
