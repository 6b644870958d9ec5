// Functions that run inside the benchmark's pages (handed to page.evaluate, so each one is
// self-contained: no imports, no closures). Timing happens in the page, so the DevTools protocol
// round trip of the harness is never part of a figure.

/** How each row makes its protected request. */
export type RowId = 'direct' | 'passthrough' | 'vault-sw' | 'vault-channel' | 'forgerock' | 'vault-dpop' | 'vault-api2';

declare global {
  interface Window {
    __benchFetch?: (url: string) => Promise<Response>;
    /** performance.now() when the row's page counted as ready (vault ready, worker in control, …). */
    benchReadyAt?: number;
    demo?: { vault: { ready: Promise<void>; fetch(input: string, init?: RequestInit): Promise<Response> } };
  }
}

/** Installs the row's way to make a protected request as window.__benchFetch. */
export function installFetch({ row, token }: { row: RowId; token: string }): void {
  switch (row) {
    case 'direct':
    case 'passthrough':
      // The floor: the page holds the token (what the vault exists to avoid).
      window.__benchFetch = (url) => fetch(url, { headers: { authorization: `Bearer ${token}` } });
      return;
    case 'vault-sw':
    case 'vault-dpop':
    case 'vault-api2':
      // What a standard OIDC client library sends; the proxy replaces the placeholder (and, on a
      // rule marked dpop, adds a proof).
      window.__benchFetch = (url) => fetch(url, { headers: { authorization: 'Bearer REDACTED' } });
      return;
    case 'vault-channel':
      window.__benchFetch = (url) => {
        if (!window.demo) throw new Error('the demo app has not started');
        return window.demo.vault.fetch(url);
      };
      return;
    case 'forgerock':
      window.__benchFetch = (url) => fetch(url);
      return;
  }
}

/** One request, body read as JSON; throws unless it is a 200 with the expected document. */
export async function checkOnce({ url }: { url: string }): Promise<{ status: number; items: number; bytes: number }> {
  if (!window.__benchFetch) throw new Error('installFetch() has not run in this page');
  const response = await window.__benchFetch(url);
  const text = await response.text();
  if (response.status !== 200) throw new Error(`${url} answered ${response.status}: ${text.slice(0, 200)}`);
  const body = JSON.parse(text) as { items?: unknown[] };
  return { status: response.status, items: body.items?.length ?? -1, bytes: text.length };
}

/** `n` requests one after the other; the duration of each, fetch to body read, in ms. */
export async function sequential({ url, n }: { url: string; n: number }): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    if (!window.__benchFetch) throw new Error('installFetch() has not run in this page');
    const response = await window.__benchFetch(url);
    await response.json();
    out.push(performance.now() - start);
    if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
  }
  return out;
}

/** `total` requests with `inFlight` of them in flight at any time; wall time in ms. */
export async function concurrent({ url, total, inFlight }: { url: string; total: number; inFlight: number }): Promise<number> {
  let started = 0;
  let failed = 0;
  const lane = async (): Promise<void> => {
    while (started < total) {
      started++;
      if (!window.__benchFetch) throw new Error('installFetch() has not run in this page');
      const response = await window.__benchFetch(url);
      await response.json();
      if (response.status !== 200) failed++;
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: inFlight }, lane));
  const elapsed = performance.now() - start;
  if (failed > 0) throw new Error(`${failed} of ${total} requests failed`);
  return elapsed;
}

export interface StreamTiming {
  status: number;
  /** fetch() to the first body chunk, ms. */
  firstByte: number;
  /** fetch() to the end of the body, ms. */
  total: number;
  bytes: number;
}

/** One streamed response read chunk by chunk. */
export async function streamOnce({ url }: { url: string }): Promise<StreamTiming> {
  const start = performance.now();
  if (!window.__benchFetch) throw new Error('installFetch() has not run in this page');
  const response = await window.__benchFetch(url);
  if (!response.body) throw new Error(`${url} answered without a body`);
  const reader = response.body.getReader();
  let firstByte = -1;
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (firstByte < 0) firstByte = performance.now() - start;
    bytes += value.byteLength;
  }
  return { status: response.status, firstByte, total: performance.now() - start, bytes };
}

/** Init script for a first visit to the vault's demo page: notes when `vault.ready` resolves. */
export function noteVaultReady(): void {
  if (window !== window.top) return;
  Object.defineProperty(window, 'demo', {
    configurable: true,
    set(value: NonNullable<Window['demo']>) {
      Object.defineProperty(window, 'demo', { value, writable: true, configurable: true });
      void value.vault.ready.then(() => {
        window.benchReadyAt = performance.now();
      });
    },
  });
}

/**
 * The load case: `perPath` protected requests through the worker and as many through
 * `vault.fetch`, all in flight at once; what each was answered (a status, or the error's name).
 */
export async function burst({ url, perPath }: { url: string; perPath: number }): Promise<Record<string, number>> {
  const vault = (window as unknown as { demo?: { vault?: { fetch(url: string): Promise<Response> } } }).demo?.vault;
  if (!vault) throw new Error('the page has no demo vault');
  const answer = async (request: Promise<Response>): Promise<string> => {
    try {
      const response = await request;
      if (response.ok) {
        await response.arrayBuffer();
        return String(response.status);
      }
      // The vault's own answers carry their TV_* code: count 503 TV_PROXY_UNREACHABLE apart from others.
      const body = (await response.json().catch(() => ({}))) as { error?: unknown };
      return typeof body.error === 'string' ? `${String(response.status)} ${body.error.slice(0, 40)}` : String(response.status);
    } catch (err) {
      return err instanceof Error ? err.name : 'error';
    }
  };
  const all = await Promise.all([
    ...Array.from({ length: perPath }, () => answer(fetch(url, { headers: { authorization: 'Bearer REDACTED' } }))),
    ...Array.from({ length: perPath }, () => answer(vault.fetch(url))),
  ]);
  const counts: Record<string, number> = {};
  for (const status of all) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}
