import type { Origins } from '@tokenvault/dev-host';
import type { Browser, BrowserContext, Frame, Page } from 'playwright-core';
import { OUR_ENTRIES, buildEntry, composition, type Share } from './bundles.js';
import { noteVaultReady, sequential } from './inPage.js';
import type { Row, Urls } from './measure.js';
import { sizeParts } from './sizeParts.js';
import { frameOf } from './signIn.js';
import { median, percentile, round } from './stats.js';
import { defined } from '@tokenvault/test-support';

export interface ProfileInput {
  browser: Browser;
  context: BrowserContext;
  rows: readonly Row[];
  urls: Urls;
  origins: Origins;
  quick: boolean;
  log: (message: string) => void;
}

/** One measured piece of the hot path. */
export interface Piece {
  name: string;
  p50: number;
  p95: number;
  unit: 'ms' | 'µs' | 'count';
  note: string;
}

export interface HotPathProfile {
  pieces: Piece[];
  /** Renderer CPU per request by bucket, per row. */
  cpu: Record<string, Record<string, number>>;
  /** A first visit's timeline, ms after navigation start (medians). */
  firstVisit: Record<string, number>;
  /** What our bundles are made of: each package's minified bytes (from the bundle's source map), its share and its brotli size alone. */
  composition: Record<string, Record<string, Share>>;
  /** Brotli bytes each part adds to our bundles (the bundle less the bundle without it). */
  sizeParts: Record<string, { total: number; parts: Record<string, number> }>;
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string } }[];
  samples: number[];
  timeDeltas: number[];
}

declare global {
  interface Window {
    __echo?: MessagePort;
    __micro?: (n: number, url: string) => Promise<Record<string, number>>;
    __idbReads?: number;
  }
}

const stats = (values: number[]) => ({ p50: round(median(values)), p95: round(percentile(values, 95)) });

/**
 * Gives the page a MessagePort whose other end lives in the proxy frame (on the proxy origin) and
 * answers three kinds of message: an echo, and a fetch of the API whose body comes back as a
 * transferred stream or as one transferred ArrayBuffer.
 */
async function echoChannel(page: Page, proxy: Frame, appOrigin: string, proxyOrigin: string): Promise<void> {
  await page.evaluate((from) => {
    window.addEventListener('message', (event) => {
      if (event.origin === from && (event.data as { benchEcho?: boolean } | null)?.benchEcho) window.__echo = event.ports[0];
    });
  }, proxyOrigin);
  await proxy.evaluate((to) => {
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = async (event: MessageEvent<{ kind: string; url?: string; token?: string }>) => {
      const { kind, url, token } = event.data;
      if (kind === 'echo') {
        port1.postMessage(event.data);
        return;
      }
      if (url === undefined) throw new Error(`a ${kind} message without a url`);
      const response = await fetch(url, { headers: { authorization: `Bearer ${token}` }, mode: 'cors', credentials: 'omit' });
      if (kind === 'stream') {
        if (!response.body) throw new Error(`${url} answered without a body`);
        port1.postMessage({ status: response.status, body: response.body }, [response.body]);
        return;
      }
      const body = await response.arrayBuffer();
      port1.postMessage({ status: response.status, body }, [body]);
    };
    parent.postMessage({ benchEcho: true }, to, [port2]);
  }, appOrigin);
  await page.waitForFunction(() => window.__echo !== undefined);
}

/** Round trips over the echo channel, measured in the page. */
async function echoRounds(page: Page, n: number, kind: 'echo' | 'stream' | 'buffer', url: string, token: string, batch = 1): Promise<number[]> {
  return page.evaluate(
    async ({ n, kind, url, token, batch }) => {
      const port = window.__echo;
      if (!port) throw new Error('the echo channel is not set up');
      const out: number[] = [];
      for (let i = 0; i < n; i++) {
        const start = performance.now();
        // Sub-millisecond pieces are timed in batches: the page's clock is coarsened to 0.1 ms.
        for (let j = 0; j < batch; j++) {
          const reply = await new Promise<{ body?: ReadableStream | ArrayBuffer }>((resolve) => {
            port.onmessage = (event) => {
              resolve(event.data as { body?: ReadableStream | ArrayBuffer });
            };
            port.postMessage({
              kind,
              url,
              token,
              headers: [
                ['accept', 'application/json'],
                ['authorization', 'Bearer REDACTED'],
              ],
            });
          });
          if (kind !== 'echo') await new Response(reply.body as BodyInit).json();
        }
        out.push((performance.now() - start) / batch);
      }
      return out;
    },
    { n, kind, url, token, batch },
  );
}

/** Self time of a CPU profile by where the code came from, in ms per request. */
function cpuBreakdown(profile: CpuProfile, requests: number, origins: Origins): Record<string, number> {
  const byNode = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const totals = new Map<string, number>();
  profile.samples.forEach((id, index) => {
    const frame = byNode.get(id);
    const url = frame?.url ?? '';
    const name = frame?.functionName ?? '';
    const bucket = name.startsWith('(')
      ? name // (idle), (program), (garbage collector), (root)
      : url.startsWith(origins.proxy)
        ? 'proxy page JS'
        : url.startsWith(origins.app)
          ? 'app page JS (client library, demo)'
          : url === ''
            ? 'browser built-ins and harness'
            : url;
    totals.set(bucket, (totals.get(bucket) ?? 0) + (profile.timeDeltas[index] ?? 0));
  });
  return Object.fromEntries([...totals].sort((a, b) => b[1] - a[1]).map(([bucket, us]) => [bucket, round(us / 1000 / requests)]));
}

/** Counts IndexedDB reads in a frame from now on. */
async function countIdbReads(frame: Frame): Promise<void> {
  await frame.evaluate(() => {
    window.__idbReads = 0;
    for (const method of ['get', 'getAll', 'getKey', 'openCursor'] as const) {
      // Kept to be applied with each call's own `this` below.
      const original = Reflect.get(IDBObjectStore.prototype, method) as (this: IDBObjectStore, ...args: unknown[]) => IDBRequest;
      (IDBObjectStore.prototype as unknown as Record<string, unknown>)[method] = function (this: IDBObjectStore, ...args: unknown[]) {
        window.__idbReads = (window.__idbReads ?? 0) + 1;
        return original.apply(this, args);
      };
    }
  });
}

/** Init script: notes, in the top page, the steps of a first visit that its own events show. */
function noteControl(): void {
  if (window !== window.top) return;
  const marks: Record<string, number> = {};
  (window as unknown as { benchMarks: Record<string, number> }).benchMarks = marks;
  const mark = (name: string): void => void (marks[name] ??= performance.now());
  // Kept to be applied with each call's own `this` below.
  const register = Reflect.get(ServiceWorkerContainer.prototype, 'register');
  ServiceWorkerContainer.prototype.register = function (this: ServiceWorkerContainer, ...args: Parameters<typeof register>) {
    mark('client: worker registration starts');
    return register.apply(this, args);
  };
  // Undefined where service workers are not available (an insecure context), whatever the DOM types say.
  const serviceWorker = navigator.serviceWorker as ServiceWorkerContainer | undefined;
  void serviceWorker?.ready.then(() => {
    mark('worker active (serviceWorker.ready)');
  });
  serviceWorker?.addEventListener('controllerchange', () => {
    mark('worker controls the page');
  });
  serviceWorker?.addEventListener('message', (event) => {
    if ((event.data as { type?: unknown } | null)?.type === 'connected') mark('worker: connected to the proxy');
  });
  // The proxy's hello comes on the port of a MessageChannel the client makes: a listener of our
  // own on each new channel's first end sees it without taking it from the client.
  const Channel = window.MessageChannel;
  window.MessageChannel = class extends Channel {
    constructor() {
      super();
      this.port1.addEventListener('message', (event) => {
        if ((event.data as { type?: unknown } | null)?.type === 'hello') mark("proxy frame: hello on the page's channel");
      });
    }
  };
  // The proxy frame's "listening" (the page connects then, or at the frame's load event without it).
  window.addEventListener('message', (event) => {
    if ((event.data as { type?: unknown } | null)?.type === 'listening') mark('proxy frame: listening (the page connects)');
  });
  document.addEventListener(
    'load',
    (event) => {
      if (event.target instanceof HTMLIFrameElement) mark('proxy frame: load event');
    },
    true,
  );
}

/**
 * A first visit to a page of the vault (by default the minimal page of rows 3 and 4; `/` is the
 * demo), as a timeline in the page's clock (ms after navigation start): the page, the proxy frame's
 * document, script and OP discovery (the proxy says hello only after discovery), the worker taking
 * control, and ready.
 */
export async function firstVisitTimeline(browser: Browser, origins: Origins, path = '/bench/first-visit/'): Promise<Record<string, number>> {
  const context = await browser.newContext();
  try {
    await context.addInitScript(noteVaultReady);
    await context.addInitScript(noteControl);
    const page = await context.newPage();
    await page.goto(`${origins.app}${path}`, { waitUntil: 'commit' });
    await page.waitForFunction(() => window.benchReadyAt !== undefined, null, { timeout: 20_000 });
    const inPage = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      const resources = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
      const script = resources.find((r) => r.initiatorType === 'script' && (r.name.includes('/assets/') || r.name.includes('/bench/app.js')));
      return {
        timeOrigin: performance.timeOrigin,
        'app page: HTML received': nav.responseEnd,
        'app page: script requested': script?.requestStart ?? -1,
        'app page: script received': script?.responseEnd ?? -1,
        'app page: DOMContentLoaded': nav.domContentLoadedEventEnd,
        // Marked by the minimal page's script (bench/entries/tv-app.js); the demo's page has no such mark.
        'app page: createVault called': performance.getEntriesByName('createVault called')[0]?.startTime ?? -1,
        ...(window as unknown as { benchMarks: Record<string, number> }).benchMarks,
        'vault.ready': window.benchReadyAt ?? -1,
      };
    });
    const proxy = frameOf(page, origins.proxy);
    const inProxy = await proxy.evaluate((op) => {
      const resources = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
      const script = resources.find((r) => r.initiatorType === 'script');
      const discovery = resources.find((r) => r.name.startsWith(op));
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      return {
        timeOrigin: performance.timeOrigin,
        'proxy frame: navigation starts': 0,
        'proxy frame: HTML received': nav.responseEnd,
        // Fetch start is when the frame asked for its script; requested, when the request went out.
        'proxy frame: script fetch starts': script?.startTime ?? -1,
        'proxy frame: script requested': script?.requestStart ?? -1,
        'proxy frame: script received': script?.responseEnd ?? -1,
        'proxy frame: OP discovery sent': discovery?.startTime ?? -1,
        'proxy frame: OP discovery received (then hello)': discovery?.responseEnd ?? -1,
        'proxy frame: DOMContentLoaded': nav.domContentLoadedEventEnd || -1,
        // The host's door, which the hello waits for when host origins are configured.
        "proxy frame: host door's chunk received": resources.find((r) => r.name.includes('/assets/listenForHost-'))?.responseEnd ?? -1,
      };
    }, origins.op);
    const shift = inProxy.timeOrigin - inPage.timeOrigin;
    const out: Record<string, number> = {};
    for (const [name, at] of Object.entries(inPage)) if (name !== 'timeOrigin') out[name] = at;
    for (const [name, at] of Object.entries(inProxy)) if (name !== 'timeOrigin') out[name] = at < 0 ? at : at + shift;
    return out;
  } finally {
    await context.close();
  }
}

/**
 * Where the time of a protected request goes: the pieces of the hot path measured one by one in
 * the same browser (upstream leg from the proxy frame, a bare MessagePort round trip, the protocol's
 * own round trip, streamed vs buffered body transfer, per-message CPU work, IndexedDB reads), and
 * a CPU profile of the page + proxy renderer during the vault rows.
 */
export async function profileHotPath(input: ProfileInput): Promise<HotPathProfile> {
  const { rows, urls, origins, quick, log } = input;
  const n = quick ? 20 : 300;
  const row = (id: Row['id']) => defined(rows.find((r) => r.id === id));
  const channelPage = row('vault-channel').page;
  const swPage = row('vault-sw').page;
  const proxy = frameOf(channelPage, origins.proxy);
  const pieces: Piece[] = [];
  const add = (name: string, values: number[], note: string, unit: Piece['unit'] = 'ms') => pieces.push({ name, ...stats(values), unit, note });

  // The token the rows use, from the proxy's own store (only the harness ever reads it).
  const accessToken = await proxy.evaluate(
    () =>
      new Promise<string>((resolve, reject) => {
        const open = indexedDB.open('tokenvault');
        open.onerror = () => {
          reject(open.error ?? new Error('IndexedDB request failed'));
        };
        open.onsuccess = () => {
          const get = open.result.transaction('tokens').objectStore('tokens').get('tokens');
          get.onsuccess = () => {
            resolve((get.result as { accessToken: string }).accessToken);
          };
        };
      }),
  );

  await channelPage.bringToFront();
  await echoChannel(channelPage, proxy, origins.app, origins.proxy);
  // Interleave the pieces round by round, like the rows.
  const rounds = quick ? 2 : 6;
  const per = Math.ceil(n / rounds);
  const series: Record<string, number[]> = { direct: [], proxyFetch: [], echo: [], status: [], stream: [], buffer: [], channel: [] };
  for (let round = 0; round < rounds; round++) {
    series.direct.push(...(await row('direct').page.evaluate(sequential, { url: urls.json, n: per })));
    series.proxyFetch.push(
      ...(await proxy.evaluate(
        async ({ url, token, n }) => {
          const out: number[] = [];
          for (let i = 0; i < n; i++) {
            const start = performance.now();
            await (await fetch(url, { headers: { authorization: `Bearer ${token}` }, mode: 'cors', credentials: 'omit' })).json();
            out.push(performance.now() - start);
          }
          return out;
        },
        { url: urls.json, token: accessToken, n: per },
      )),
    );
    series.echo.push(...(await echoRounds(channelPage, per, 'echo', urls.json, accessToken, 20)));
    series.status.push(
      ...(await channelPage.evaluate(async (n) => {
        if (!window.demo) throw new Error('the demo app has not started');
        const vault = window.demo.vault as unknown as { status(): Promise<unknown> };
        const out: number[] = [];
        for (let i = 0; i < n; i++) {
          const start = performance.now();
          for (let j = 0; j < 20; j++) await vault.status();
          out.push((performance.now() - start) / 20);
        }
        return out;
      }, per)),
    );
    series.stream.push(...(await echoRounds(channelPage, per, 'stream', urls.json, accessToken)));
    series.buffer.push(...(await echoRounds(channelPage, per, 'buffer', urls.json, accessToken)));
    series.channel.push(...(await channelPage.evaluate(sequential, { url: urls.json, n: per })));
  }
  add('direct fetch from the app page (row 1)', series.direct, 'the floor');
  add('the same fetch made by the proxy frame itself', series.proxyFetch, 'the upstream leg of every vault request');
  add('bare MessagePort round trip, page ↔ proxy frame', series.echo, 'one hop there and back, no checks (timed in batches of 20)');
  add('vault.status() round trip', series.status, 'hop + schema checks both ways + TokenStore.get from memory (batches of 20)');
  add('proxy fetch + 1 KiB body back as a transferred ReadableStream', series.stream, 'what the proxy does today');
  add('proxy fetch + 1 KiB body back as one transferred ArrayBuffer', series.buffer, 'same, body read first');
  add('vault.fetch (row 4) in the same rounds', series.channel, 'all of it');
  log('profile: hops done');

  // IndexedDB reads per protected request in the proxy (the store caches the tokens in memory).
  await countIdbReads(proxy);
  await channelPage.evaluate(sequential, { url: urls.json, n: 20 });
  await countIdbReads(frameOf(swPage, origins.proxy));
  await swPage.evaluate(sequential, { url: urls.json, n: 20 });
  const reads = (await proxy.evaluate(() => window.__idbReads ?? 0)) + (await frameOf(swPage, origins.proxy).evaluate(() => window.__idbReads ?? 0));
  pieces.push({ name: 'IndexedDB reads per protected request (proxy)', p50: reads / 40, p95: reads / 40, unit: 'count', note: 'counted over 40 requests' });

  // Per-message CPU work, micro-benchmarked in a page of the same browser.
  const micro = await buildEntry('protocol-micro.js', 'iife');
  const direct = row('direct').page;
  await direct.addScriptTag({ content: micro.code });
  const microResult = await direct.evaluate(
    ({ n, url }) => {
      if (!window.__micro) throw new Error('the micro-benchmark script did not load');
      return window.__micro(n, url);
    },
    { n: quick ? 200 : 5000, url: urls.json },
  );
  for (const [name, us] of Object.entries(microResult)) pieces.push({ name, p50: round(us), p95: round(us), unit: 'µs', note: 'mean per operation, best of 5 batches' });
  log('profile: micro done');

  // CPU profile of the renderer that runs the app page and its proxy frame (one site, one process).
  const cpu: Record<string, Record<string, number>> = {};
  for (const [id, page] of [
    ['vault-channel', channelPage],
    ['vault-sw', swPage],
    ['direct', direct],
  ] as const) {
    await page.bringToFront();
    const cdp = await input.context.newCDPSession(page);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
    await cdp.send('Profiler.start');
    const requests = quick ? 20 : 300;
    const wall = (await page.evaluate(sequential, { url: urls.json, n: requests })).reduce((a, b) => a + b, 0);
    const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: CpuProfile };
    await cdp.detach();
    // The profile also spans the harness's own calls before and after the loop; the buckets add up to more than the requests' wall time.
    cpu[id] = { 'wall time of the requests': round(wall / requests), ...cpuBreakdown(profile, requests, origins) };
  }
  log('profile: CPU done');

  const visits: Record<string, number>[] = [];
  for (let i = 0; i < (quick ? 1 : 5); i++) visits.push(await firstVisitTimeline(input.browser, origins));
  const firstVisit = Object.fromEntries(
    Object.keys(visits[0])
      .map((name) => [name, round(median(visits.map((visit) => visit[name])))] as const)
      .sort((a, b) => a[1] - b[1]),
  );
  log('profile: first visit timeline done');
  const parts: Record<string, Record<string, Share>> = {};
  for (const [name, { entry, format }] of Object.entries(OUR_ENTRIES)) parts[name] = await composition(entry, format);
  log('profile: bundle composition done');
  return { pieces, cpu, firstVisit, composition: parts, sizeParts: await sizeParts() };
}
