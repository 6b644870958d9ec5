#!/usr/bin/env node
// npm run bench [-- --quick]: the vault against direct calls, a pass-through worker and the
// ForgeRock Token Vault, in Debian's headless Chromium, against the dev host on loopback.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { build } from '@tokenvault/dev-host';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { BENCH_HOSTS, benchOrigins, benchOriginsFor } from './benchOrigins.js';
import { benchRoot, buildBundles } from './bundles.js';
import { renderChart } from './chart.js';
import { checkOnce, installFetch, sequential, type RowId } from './inPage.js';
import { busiestOthers, machine } from './machine.js';
import { firstVisitOnly } from './firstVisitOnly.js';
import { measureLoad } from './loadCase.js';
import { measureFirstVisit, measureLatency, measureStream, measureStreamProof, measureThroughput, type Row, type Urls } from './measure.js';
import { parseOptions } from './options.js';
import { profileHotPath } from './profile.js';
import { markdown, profileMarkdown, summarize, type Results } from './results.js';
import { demoReady, frameOf, signIn } from './signIn.js';
import { measureSignIn, summarizeSignIn } from './signInTiming.js';
import { median, round } from './stats.js';
import { defined } from '@tokenvault/test-support';

const options = parseOptions(process.argv.slice(2));
const started = Date.now();
const log = (message: string) => process.stderr.write(`[bench ${((Date.now() - started) / 1000).toFixed(1)}s] ${message}\n`);

// The chart of the committed run, which docs/benchmarks.md shows. Only full runs redraw it (with
// their own results.json); --chart-only redraws it from the committed one without a run.
const chartPath = `${benchRoot}results.svg`;
if (options.chartOnly) {
  writeFileSync(chartPath, renderChart(JSON.parse(readFileSync(`${benchRoot}results.json`, 'utf8')) as Results));
  log('wrote bench/results.svg from bench/results.json');
  process.exit(0);
}

const loadBefore = loadavg().map((n) => Number(n.toFixed(2)));
const othersBefore = busiestOthers();
log(`load average ${loadBefore.join(' ')}; building bundles`);
const bundles = await buildBundles();

const { port } = options;
const bench = benchOriginsFor(port);
// A long access token lifetime: a refresh in the middle of a run would be measured as latency.
// Bearer tokens: rows 1, 2 and 5 send the token themselves, as a bearer (ForgeRock's vault knows no DPoP).
const app = await build({ demo: 'drop-in', port, accessTokenTtl: 3600, apiCorsOrigins: [bench.bench, bench.forgerockProxy], dpop: false });
const origins = app.vault.origins;
await app.register(benchOrigins, { origins, bench, bundles });
await app.listen({ port, host: 'localhost' });
// Row 6: the same vault with its API rule marked dpop (a proof signed per request), on a dev host
// of its own one port up (the configuration is the proxy's own: one vault cannot be both).
const dpopApp = await build({ demo: 'drop-in', port: port + 1, accessTokenTtl: 3600, dpop: true });
const dpopOrigins = dpopApp.vault.origins;
await dpopApp.register(benchOrigins, { origins: dpopOrigins, bench: benchOriginsFor(port + 1), bundles });
await dpopApp.listen({ port: port + 1, host: 'localhost' });
// Row 7: one token per API (RFC 8707): a request to the second sample API, whose token the vault
// got with the refresh token and keeps in a slot of its own (bearer, as row 3), two ports up.
const perApiApp = await build({ demo: 'drop-in', port: port + 2, accessTokenTtl: 3600, dpop: false, perApi: true });
const perApiOrigins = perApiApp.vault.origins;
await perApiApp.register(benchOrigins, { origins: perApiOrigins, bench: benchOriginsFor(port + 2), bundles });
await perApiApp.listen({ port: port + 2, host: 'localhost' });
log(`dev host on ${origins.app} (+ ${BENCH_HOSTS.bench}, ${BENCH_HOSTS.forgerockProxy}); the DPoP row's on ${dpopOrigins.app}; the second API's on ${perApiOrigins.app}`);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  // This machine has no network but loopback: keep Chromium from trying.
  args: ['--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
});

const urls: Urls = {
  json: `${origins.api}/v1/bench/json`,
  stream: `${origins.api}/v1/bench/stream?bytes=${options.stream.bytes}`,
  streamProof: `${origins.api}/v1/bench/stream?bytes=${options.stream.proofBytes}&pauseMs=${options.stream.proofPauseMs}`,
};
const dpopUrls: Urls = {
  json: `${dpopOrigins.api}/v1/bench/json`,
  stream: `${dpopOrigins.api}/v1/bench/stream?bytes=${options.stream.bytes}`,
  streamProof: `${dpopOrigins.api}/v1/bench/stream?bytes=${options.stream.proofBytes}&pauseMs=${options.stream.proofPauseMs}`,
};
const api2Urls: Urls = {
  json: `${perApiOrigins.api2}/v1/bench/json`,
  stream: `${perApiOrigins.api2}/v1/bench/stream?bytes=${options.stream.bytes}`,
  streamProof: `${perApiOrigins.api2}/v1/bench/stream?bytes=${options.stream.proofBytes}&pauseMs=${options.stream.proofPauseMs}`,
};
// --load-only: the load case alone (two signed-in tabs of the demo), printed, no files written.
if (options.loadOnly) {
  try {
    const context = await browser.newContext();
    const first = await context.newPage();
    await signIn(first, origins);
    const second = await context.newPage();
    await second.goto(`${origins.app}/`);
    await demoReady(second);
    log('signed in; two tabs of the demo');
    const load = await measureLoad([first, second], urls.json, 1000);
    process.stdout.write(`${JSON.stringify({ load, loadBefore, loadAfter: loadavg().map((n) => Number(n.toFixed(2))) })}\n`);
  } finally {
    await browser.close();
    await Promise.all([app.close(), dpopApp.close(), perApiApp.close()]);
  }
  log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  process.exit(0);
}

// --first-visit-only: first visits (rows 2, 3-4, 5) and our timeline alone, printed, no files written.
if (options.firstVisitOnly) {
  try {
    log(`first visits, ${String(options.firstVisit.rounds)} rounds`);
    const table = await firstVisitOnly({ browser, origins, bench, rounds: options.firstVisit.rounds, log });
    process.stdout.write(
      `${table}\n\nload average before ${loadBefore.join(' ')}, after ${loadavg()
        .map((n) => n.toFixed(2))
        .join(' ')}\n`,
    );
  } finally {
    await browser.close();
    await Promise.all([app.close(), dpopApp.close(), perApiApp.close()]);
  }
  log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  process.exit(0);
}

/** The dev host a row's requests go to. */
const hostOf = (row: Row) => (row.id === 'vault-dpop' ? dpopApp : row.id === 'vault-api2' ? perApiApp : app);
/** The API a row's requests go to, as the request log names it. */
const apiOf = (row: Row) => (row.id === 'vault-api2' ? ('api2' as const) : ('api' as const));

async function openRows(context: BrowserContext, dpopContext: BrowserContext, perApiContext: BrowserContext): Promise<{ rows: Row[]; token: string }> {
  const page = (): Promise<Page> => context.newPage();
  const vaultSw = await page();
  // A context of its own per dev host: the OPs' cookies share a host name (cookies ignore the
  // port), and each demo's session monitor would take another's sign-in for a change. The three
  // sign-ins are set-up, not measured: side by side, each mostly waits for its own round trips.
  const vaultDpop = await dpopContext.newPage();
  const vaultApi2 = await perApiContext.newPage();
  const [tokens] = await Promise.all([signIn(vaultSw, origins), signIn(vaultDpop, dpopOrigins), signIn(vaultApi2, perApiOrigins)]);
  log('signed in through the demo, the DPoP demo and the per-API demo');
  const vaultChannel = await page();
  await vaultChannel.goto(`${origins.app}/`);
  await demoReady(vaultChannel);

  const waitReady = async (p: Page, url: string): Promise<Page> => {
    await p.goto(url);
    await p.waitForFunction(() => window.benchReadyAt !== undefined, null, { timeout: 20_000 });
    return p;
  };
  const direct = await waitReady(await page(), `${bench.bench}/direct/`);
  const passthrough = await waitReady(await page(), `${bench.bench}/passthrough/`);
  const forgerock = await waitReady(await page(), `${bench.bench}/forgerock/`);
  // The ForgeRock proxy keeps its tokens in its origin's localStorage, under the client ID, in the
  // shape its own token response handler writes (see storeTokens in @forgerock/token-vault).
  await frameOf(forgerock, bench.forgerockProxy).evaluate(
    ({ clientId, value }) => {
      localStorage.setItem(clientId, JSON.stringify(value));
    },
    {
      clientId: 'demo',
      value: { accessToken: tokens.accessToken, idToken: tokens.idToken, refreshToken: tokens.refreshToken, scope: tokens.scope, tokenExpiry: tokens.expiresAt },
    },
  );
  // The first visit of rows 3 and 4: a minimal page that starts the vault, like rows 2 and 5 have
  // (the demo app's own first visit is measured beside it, DEMO_URL).
  const firstVisitUrl = `${origins.app}/bench/first-visit/`;
  const rows: Row[] = [
    { id: 'direct', name: 'direct fetch with the bearer token', page: direct, url: `${bench.bench}/direct/` },
    { id: 'passthrough', name: 'pass-through service worker', page: passthrough, url: `${bench.bench}/passthrough/` },
    { id: 'vault-sw', name: 'our vault, through the service worker', page: vaultSw, url: firstVisitUrl },
    { id: 'vault-channel', name: "our vault, client's own channel (vault.fetch)", page: vaultChannel, url: firstVisitUrl },
    { id: 'forgerock', name: 'ForgeRock Token Vault 4.1.2', page: forgerock, url: `${bench.bench}/forgerock/` },
    {
      id: 'vault-dpop',
      name: 'our vault with DPoP (a proof per request), through the service worker',
      page: vaultDpop,
      url: `${dpopOrigins.app}/bench/first-visit/`,
      urls: dpopUrls,
    },
    {
      id: 'vault-api2',
      name: 'our vault, a second API with its own token (RFC 8707), through the service worker',
      page: vaultApi2,
      url: `${perApiOrigins.app}/bench/first-visit/`,
      urls: api2Urls,
    },
  ];
  return { rows, token: tokens.accessToken };
}

/** Who the API saw each row's request come from: proves each row really takes its own path. */
const EXPECTED_ORIGIN: Record<RowId, () => string> = {
  direct: () => bench.bench,
  passthrough: () => bench.bench,
  'vault-sw': () => origins.proxy,
  'vault-channel': () => origins.proxy,
  forgerock: () => bench.forgerockProxy,
  'vault-dpop': () => dpopOrigins.proxy,
  'vault-api2': () => perApiOrigins.proxy,
};

let exitCode = 0;
try {
  const context = await browser.newContext();
  const { rows, token } = await openRows(context, await browser.newContext(), await browser.newContext());
  for (const row of rows) {
    await row.page.evaluate(installFetch, { row: row.id, token });
    const host = hostOf(row);
    host.vault.requestLog.clear();
    const check = await row.page.evaluate(checkOnce, { url: (row.urls ?? urls).json });
    const seen = host.vault.requestLog.find(apiOf(row), '/v1/bench/json').filter((e) => e.method === 'GET');
    const from = seen.at(-1)?.headers.origin;
    // The DPoP row must really send proofs: the API saw the DPoP scheme (it refuses the token otherwise).
    const scheme = row.id === 'vault-dpop' ? 'DPoP' : 'Bearer';
    if (check.items !== 2 || from !== EXPECTED_ORIGIN[row.id]() || seen.at(-1)?.authorization?.scheme !== scheme) {
      throw new Error(`row ${row.id}: expected the API to see a ${scheme} request from ${EXPECTED_ORIGIN[row.id]()}, saw ${from ?? 'none'} (items ${check.items})`);
    }
  }
  // CORS preflights per request, once warm: a preflight the browser cannot cache costs a round trip each time.
  const preflightsPerRequest: Record<string, number> = {};
  for (const row of rows) {
    await row.page.evaluate(sequential, { url: (row.urls ?? urls).json, n: 3 });
    hostOf(row).vault.requestLog.clear();
    await row.page.evaluate(sequential, { url: (row.urls ?? urls).json, n: 10 });
    preflightsPerRequest[row.id] =
      hostOf(row)
        .vault.requestLog.find(apiOf(row), '/v1/bench/json')
        .filter((e) => e.method === 'OPTIONS').length / 10;
  }
  log(`every row answers 200 through its own path (preflights per request: ${JSON.stringify(preflightsPerRequest)}); measuring (${options.quick ? 'quick' : 'full'})`);
  app.vault.requestLog.clear();
  dpopApp.vault.requestLog.clear();
  perApiApp.vault.requestLog.clear();

  const latency = await measureLatency(rows, urls, options.latency);
  log('latency done');
  const throughput = await measureThroughput(rows, urls, options.throughput);
  log('throughput done');
  // Two tabs of the same app (rows 3 and 4 are both the demo, signed in), each with perPath
  // protected requests in flight through the worker and as many through vault.fetch: counted, not
  // timed (1000 per path in a full run, 2 × 2000 in all; 250 in quick, which checks the count).
  const load = await measureLoad([rows[2].page, rows[3].page], urls.json, options.load.perPath);
  log(`load done: ${JSON.stringify(load.answers)} of ${String(load.sent)}`);
  // Counted and reported, never a failure: a number does not fail the harness (see bench/README.md).
  if (load.answers['200'] !== load.sent) log(`load case: not every request answered 200`);
  const stream = await measureStream(rows, urls, options.stream);
  const streamProof = await measureStreamProof(rows, urls);
  log('stream done');
  const demoUrl = `${origins.app}/`;
  const firstVisit = await measureFirstVisit(browser, [...rows, { ...rows[2], url: demoUrl }], options.firstVisit);
  log('first visit done');
  // Navigation → signed in, both modes: the sealed demo needs a dev host of its own (mode sealed), three ports up.
  const sealedHost = await build({ demo: 'sealed', port: port + 3, accessTokenTtl: 3600 });
  await sealedHost.listen({ port: port + 3, host: 'localhost' });
  const dropIn = () => measureSignIn(browser, origins, 'drop-in', options.signIn.rounds);
  const sealed = () => measureSignIn(browser, sealedHost.vault.origins, 'sealed', options.signIn.rounds);
  const [dropInTimes, sealedTimes] = await (options.signIn.sideBySide ? Promise.all([dropIn(), sealed()]) : dropIn().then(async (d) => [d, await sealed()] as const)).finally(() =>
    sealedHost.close(),
  );
  const signInTimes = { 'drop-in': dropInTimes, sealed: sealedTimes };
  const signInSummary = summarizeSignIn(signInTimes);
  log(`sign-in done (p50 drop-in ${signInSummary['drop-in'].p50} ms, sealed ${signInSummary.sealed.p50} ms)`);
  const profile = options.profile ? await profileHotPath({ browser, context, rows, urls, origins, quick: options.quick, log }) : undefined;

  const results: Results = {
    date: new Date().toISOString(),
    mode: options.quick ? 'quick' : 'full',
    machine: machine(`Chromium ${browser.version()}`, loadBefore, othersBefore),
    params: {
      latency: options.latency,
      throughput: options.throughput,
      stream: options.stream,
      firstVisit: options.firstVisit,
      load: options.load,
      signIn: options.signIn,
      jsonBytes: 1024,
    },
    ...summarize(rows, { latency, throughput, stream, streamProof, firstVisit }, bundles, options.stream.proofPauseMs),
    demoFirstVisit: { n: defined(firstVisit.get(demoUrl)).length, p50: round(median(defined(firstVisit.get(demoUrl)))) },
    preflightsPerRequest,
    load,
    signIn: signInSummary,
    ...(profile ? { profile } : {}),
  };
  const table = markdown(results);
  process.stdout.write(`\n${table}\n`);
  if (results.profile) process.stdout.write(`\nHot path profile:\n\n${profileMarkdown(results.profile)}\n`);

  mkdirSync(`${benchRoot}results`, { recursive: true });
  const stamp = results.date.replace(/[:.]/g, '-');
  writeFileSync(
    `${benchRoot}results/${options.quick ? 'quick' : stamp}.json`,
    JSON.stringify(
      {
        ...results,
        raw: { latency: Object.fromEntries(latency), throughput: Object.fromEntries(throughput), stream: Object.fromEntries(stream), firstVisit: Object.fromEntries(firstVisit) },
      },
      null,
      1,
    ),
  );
  if (!options.quick) {
    writeFileSync(`${benchRoot}results.json`, `${JSON.stringify(results, null, 2)}\n`);
    writeFileSync(chartPath, renderChart(results));
    log('wrote bench/results.json and bench/results.svg');
  }
  if (options.readme) {
    const pagePath = `${benchRoot}../docs/benchmarks.md`;
    const page = readFileSync(pagePath, 'utf8');
    const start = '<!-- bench:start -->';
    const end = '<!-- bench:end -->';
    if (!page.includes(start) || !page.includes(end)) throw new Error(`docs/benchmarks.md has no ${start} … ${end} block`);
    writeFileSync(pagePath, page.replace(new RegExp(`${start}[\\s\\S]*${end}`), `${start}\n${table}\n${end}`));
    log('wrote the table into docs/benchmarks.md');
  }
} catch (err) {
  // Only a broken harness fails (a row that does not work); a slow number never does.
  console.error(err);
  exitCode = 1;
} finally {
  await browser.close();
  await app.close();
  await dpopApp.close();
  await perApiApp.close();
}
log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(exitCode);
