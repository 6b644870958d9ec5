import type { Browser, Page } from 'playwright-core';
import { concurrent, noteVaultReady, sequential, streamOnce, type RowId, type StreamTiming } from './inPage.js';
import { defined } from '@tokenvault/test-support';

/** One row of the benchmark: a page that makes protected requests its own way. */
export interface Row {
  id: RowId;
  name: string;
  page: Page;
  /** The page a first visit opens. */
  url: string;
  /** The row's own API URLs, when it talks to another dev host than the others (the DPoP row). */
  urls?: Urls;
}

export interface Urls {
  json: string;
  stream: string;
  streamProof: string;
}

/**
 * Runs `task` for every row, round after round, rows interleaved (A B C … A B C …) so that drift
 * of a shared machine spreads over all rows alike.
 */
async function interleaved<T>(rows: readonly Row[], rounds: number, task: (row: Row) => Promise<T>): Promise<Map<RowId, T[]>> {
  const out = new Map<RowId, T[]>(rows.map((row) => [row.id, []]));
  for (let round = 0; round < rounds; round++) {
    for (const row of rows) {
      await row.page.bringToFront();
      defined(out.get(row.id)).push(await task(row));
    }
  }
  return out;
}

/** Sequential 1 KiB JSON GETs: every request's duration, per row. */
export async function measureLatency(rows: readonly Row[], urls: Urls, o: { rounds: number; perRound: number; warmup: number }): Promise<Map<RowId, number[]>> {
  for (const row of rows) await row.page.evaluate(sequential, { url: (row.urls ?? urls).json, n: o.warmup });
  const runs = await interleaved(rows, o.rounds, (row) => row.page.evaluate(sequential, { url: (row.urls ?? urls).json, n: o.perRound }));
  return new Map([...runs].map(([id, lists]) => [id, lists.flat()]));
}

/** Requests per second with `inFlight` in flight, one figure per round, per row. */
export async function measureThroughput(rows: readonly Row[], urls: Urls, o: { rounds: number; total: number; inFlight: number; warmup: number }): Promise<Map<RowId, number[]>> {
  if (o.warmup > 0) for (const row of rows) await row.page.evaluate(concurrent, { url: (row.urls ?? urls).json, total: o.warmup, inFlight: o.inFlight });
  const runs = await interleaved(rows, o.rounds, (row) => row.page.evaluate(concurrent, { url: (row.urls ?? urls).json, total: o.total, inFlight: o.inFlight }));
  return new Map([...runs].map(([id, times]) => [id, times.map((ms) => (o.total / ms) * 1000)]));
}

/** The long streamed response, per row and round. */
export async function measureStream(rows: readonly Row[], urls: Urls, o: { rounds: number; warmup: boolean }): Promise<Map<RowId, StreamTiming[]>> {
  if (o.warmup) for (const row of rows) await row.page.evaluate(streamOnce, { url: (row.urls ?? urls).stream });
  return interleaved(rows, o.rounds, (row) => row.page.evaluate(streamOnce, { url: (row.urls ?? urls).stream }));
}

/** The streaming proof: the server pauses after its first chunk; a row that streams sees that chunk before the pause ends. */
export async function measureStreamProof(rows: readonly Row[], urls: Urls): Promise<Map<RowId, StreamTiming>> {
  const out = new Map<RowId, StreamTiming>();
  for (const row of rows) out.set(row.id, await row.page.evaluate(streamOnce, { url: (row.urls ?? urls).streamProof }));
  return out;
}

/**
 * Navigation → ready on a first visit: a new browser context each time (no worker, no cache), the
 * page's own `performance.now()` when it counts as ready. Rows that share a page are measured once.
 * `sideBySide` opens a round's pages all at once: quicker, for a pass that only checks that each
 * page gets ready (they compete for the CPU, so their times are not each page's own).
 */
export async function measureFirstVisit(
  browser: Browser,
  rows: readonly Pick<Row, 'url'>[],
  o: { rounds: number; sideBySide?: boolean; firstRequest?: { url: string; ms: Map<string, number[]> } },
): Promise<Map<string, number[]>> {
  const pages = [...new Map(rows.map((row) => [row.url, row])).values()];
  const out = new Map<string, number[]>(pages.map((row) => [row.url, []]));
  const visit = async (url: string): Promise<void> => {
    const context = await browser.newContext();
    try {
      await context.addInitScript(noteVaultReady);
      const page = await context.newPage();
      await page.goto(url, { waitUntil: 'commit' });
      await page.waitForFunction(() => window.benchReadyAt !== undefined, null, { timeout: 20_000 });
      defined(out.get(url)).push(
        await page.evaluate(() => {
          if (window.benchReadyAt === undefined) throw new Error('the vault never became ready');
          return window.benchReadyAt;
        }),
      );
      // The app's first API call right after ready, through the page's interceptor (the vault's
      // request path loads lazily in the proxy: this is where that costs). Timed to the whole
      // body, whatever the answer: a first visit is not signed in.
      if (o.firstRequest) {
        const { ms } = o.firstRequest;
        const took = await page.evaluate(async (api) => {
          const start = performance.now();
          const response = await fetch(api);
          await response.arrayBuffer();
          return { ms: performance.now() - start, status: response.status };
        }, o.firstRequest.url);
        if (took.status >= 500) throw new Error(`the first request after a first visit of ${url} failed (${String(took.status)})`);
        ms.set(url, [...(ms.get(url) ?? []), took.ms]);
      }
    } finally {
      await context.close();
    }
  };
  for (let round = 0; round < o.rounds; round++) {
    if (o.sideBySide) await Promise.all(pages.map((row) => visit(row.url)));
    else for (const row of pages) await visit(row.url);
  }
  return out;
}
