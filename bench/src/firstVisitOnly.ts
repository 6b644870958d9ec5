import type { Origins } from '@tokenvault/dev-host';
import type { Browser } from 'playwright-core';
import type { BenchOrigins } from './benchOrigins.js';
import { measureFirstVisit } from './measure.js';
import { firstVisitTimeline } from './profile.js';
import { median, percentile, round } from './stats.js';
import { defined } from '@tokenvault/test-support';

export interface FirstVisitOnlyInput {
  browser: Browser;
  origins: Origins;
  bench: BenchOrigins;
  rounds: number;
  log: (message: string) => void;
}

/**
 * `--first-visit-only`: navigation → ready on a first visit, the pass-through worker (row 2), our
 * vault's minimal page (rows 3 and 4) and ForgeRock's (row 5), rounds interleaved, then as many
 * timelines of our page: a loop of about a minute for a change to the vault's start. Each round
 * also gives our page's figure over ForgeRock's of the same round, paired, so that a busy moment
 * of the machine falls on both sides of the ratio.
 */
export async function firstVisitOnly(input: FirstVisitOnlyInput): Promise<string> {
  const { browser, origins, bench, rounds, log } = input;
  const pages = {
    'pass-through worker (row 2)': `${bench.bench}/passthrough/`,
    'our vault (rows 3, 4)': `${origins.app}/bench/first-visit/`,
    'ForgeRock (row 5)': `${bench.bench}/forgerock/`,
  };
  const firstRequest = { url: `${origins.api}/v1/bench/json`, ms: new Map<string, number[]>() };
  const visits = await measureFirstVisit(
    browser,
    Object.values(pages).map((url) => ({ url })),
    { rounds, firstRequest },
  );
  log('first visits done');
  const ours = defined(visits.get(pages['our vault (rows 3, 4)']));
  const theirs = defined(visits.get(pages['ForgeRock (row 5)']));
  const ratios = ours.map((value, i) => value / theirs[i]);
  const lines = [`| first visit → ready (${String(rounds)} rounds) | p50 ms | p25 | p75 |`, '|---|--:|--:|--:|'];
  for (const [name, url] of Object.entries(pages)) {
    const values = defined(visits.get(url));
    lines.push(`| ${name} | ${round(median(values))} | ${round(percentile(values, 25))} | ${round(percentile(values, 75))} |`);
  }
  lines.push(`| ours / ForgeRock's, round by round | ${round(median(ratios))}× | ${round(percentile(ratios, 25))}× | ${round(percentile(ratios, 75))}× |`);
  lines.push('', `| first request right after ready (${String(rounds)} rounds, not signed in) | p50 ms | p25 | p75 |`, '|---|--:|--:|--:|');
  for (const [name, url] of Object.entries(pages)) {
    const values = defined(firstRequest.ms.get(url));
    lines.push(`| ${name} | ${round(median(values))} | ${round(percentile(values, 25))} | ${round(percentile(values, 75))} |`);
  }
  const timelines: Record<string, number>[] = [];
  for (let i = 0; i < rounds; i++) timelines.push(await firstVisitTimeline(browser, origins));
  log('timelines done');
  const at = (name: string): number => median(timelines.flatMap((t) => (name in t && t[name] >= 0 ? [t[name]] : [])));
  lines.push('', `| our first visit, step (median of ${String(rounds)}) | ms after navigation start |`, '|---|--:|');
  const steps = [...new Set(timelines.flatMap((t) => Object.keys(t)))].filter((name) => Number.isFinite(at(name)));
  for (const name of steps.sort((x, y) => at(x) - at(y))) lines.push(`| ${name} | ${round(at(name))} |`);
  return lines.join('\n');
}
