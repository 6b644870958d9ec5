import type { Page } from '@playwright/test';
import { authorizationHash, expect, signIn, storedTokens, test } from './fixtures.js';
import { defined } from '@tokenvault/test-support';

interface StreamRead {
  status: number | null;
  text: string;
  done: boolean;
  error: string | null;
}

/** Starts reading `url` in the page, through the worker (`fetch`) or the client's channel (`vault.fetch`); the state is kept in the page. */
async function startReading(page: Page, url: string, via: 'worker' | 'channel'): Promise<void> {
  await page.evaluate(
    ({ url, via }) => {
      const state: StreamRead = { status: null, text: '', done: false, error: null };
      const page = window as unknown as { streamRead: StreamRead; streamReader: ReadableStreamDefaultReader<Uint8Array> };
      page.streamRead = state;
      void (async () => {
        const response = via === 'worker' ? await fetch(url) : await window.demo.vault.fetch(url);
        state.status = response.status;
        if (!response.body) throw new Error('the response has no body');
        const reader = response.body.getReader();
        page.streamReader = reader;
        const decoder = new TextDecoder();
        for (let r = await reader.read(); !r.done; r = await reader.read()) state.text += decoder.decode(r.value, { stream: true });
        state.done = true;
      })().catch((err: unknown) => (state.error = String(err)));
    },
    { url, via },
  );
}

/** Cancels the page's reader: the app lost interest in the rest of the body. */
async function cancelReading(page: Page): Promise<void> {
  await page.evaluate(() => (window as unknown as { streamReader: ReadableStreamDefaultReader<Uint8Array> }).streamReader.cancel());
}

function read(page: Page): Promise<StreamRead> {
  return page.evaluate(() => (window as unknown as { streamRead: StreamRead }).streamRead);
}

// Each engine carries the body its own way: Chromium and Firefox transfer the ReadableStream,
// WebKit gets chunks over a MessagePort (e2e-webkit/streamedBody.test.ts). Either way it must
// arrive progressively: the page reads the first part while the API still holds back the rest.
test.describe('a streamed response body', () => {
  for (const via of ['worker', 'channel'] as const) {
    test(`arrives progressively through the ${via === 'worker' ? 'service worker' : "client's own channel"}`, async ({ page, devHost }) => {
      await signIn(page, devHost);
      const id = `stream-${via}`;
      await startReading(page, `${devHost.vault.origins.api}/v1/stream?id=${id}`, via);

      await expect.poll(async () => (await read(page)).text).toBe('part 1\n');
      expect(devHost.vault.streams.isWaiting(id)).toBe(true);
      expect((await read(page)).status).toBe(200);

      devHost.vault.streams.open(id);
      await expect.poll(async () => (await read(page)).done).toBe(true);
      expect(await read(page)).toEqual({ status: 200, text: 'part 1\npart 2\npart 3\n', done: true, error: null });

      const stored = await storedTokens(page, devHost);
      const calls = devHost.vault.requestLog.find('api', '/v1/stream').filter((entry) => entry.method === 'GET');
      expect(calls).toHaveLength(1);
      expect(calls[0].authorization?.sha256).toBe(authorizationHash(`DPoP ${defined(stored).accessToken}`));
    });

    test(`cancelled by the page through the ${via === 'worker' ? 'service worker' : "client's own channel"}, it stops the upstream response`, async ({
      page,
      devHost,
      browserName,
    }) => {
      // Measured with Firefox ESR 153: the page's cancel of a body that a service worker answered
      // never reaches the worker's stream, so nothing can tell the proxy. Expected to fail there,
      // so that a Firefox that passes it on shows up.
      test.fail(via === 'worker' && browserName === 'firefox', "Firefox does not pass a page's cancel on to the service worker's response body");
      await signIn(page, devHost);
      const id = `cancel-${via}`;
      await startReading(page, `${devHost.vault.origins.api}/v1/stream?id=${id}`, via);
      await expect.poll(async () => (await read(page)).text).toBe('part 1\n');
      expect(devHost.vault.streams.isWaiting(id)).toBe(true);

      // Nobody opens the gate: only the cancel, passed on to the proxy's upstream fetch, ends the response
      // (within 5 s, as an abort does in abort.spec.ts; Firefox's expected failure waits no longer).
      await cancelReading(page);
      await expect.poll(() => devHost.vault.streams.isWaiting(id), { timeout: 5_000 }).toBe(false);
    });
  }
});
