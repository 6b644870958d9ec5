import type { WebDriver } from 'selenium-webdriver';
import { describe, expect, test } from 'vitest';
import { authorizationHash, signIn, storedTokens, useWebKit } from './harness.js';
import { defined } from '@tokenvault/test-support';

interface StreamRead {
  status: number | null;
  text: string;
  done: boolean;
  error: string | null;
}

/** Starts reading `url` in the page, through the worker (`fetch`) or the client's channel (`vault.fetch`). */
async function startReading(driver: WebDriver, url: string, via: 'worker' | 'channel'): Promise<void> {
  await driver.executeScript(
    `const [url, via] = arguments;
     const state = (window.streamRead = { status: null, text: '', done: false, error: null });
     (async () => {
       const response = via === 'worker' ? await fetch(url) : await window.demo.vault.fetch(url);
       state.status = response.status;
       const reader = response.body.getReader();
       window.streamReader = reader;
       const decoder = new TextDecoder();
       for (let r = await reader.read(); !r.done; r = await reader.read()) state.text += decoder.decode(r.value, { stream: true });
       state.done = true;
     })().catch((err) => (state.error = String(err)));`,
    url,
    via,
  );
}

const read = (driver: WebDriver): Promise<StreamRead> => driver.executeScript<StreamRead>('return window.streamRead');

// WebKit cannot transfer a ReadableStream: the proxy sends the body as chunks over a MessagePort
// (packages/protocol/src/bodyChannel.ts). It must still arrive progressively: the page reads the
// first part while the API holds back the rest.
describe('WebKit: a streamed response body', () => {
  const wk = useWebKit();

  for (const via of ['worker', 'channel'] as const) {
    test(`arrives progressively through the ${via === 'worker' ? 'service worker' : "client's own channel"}, in chunks over a MessagePort`, async () => {
      const { driver, devHost } = wk;
      await signIn(wk);
      const id = `stream-${via}`;
      await startReading(driver, `${devHost.vault.origins.api}/v1/stream?id=${id}`, via);

      await expect.poll(async () => (await read(driver)).text, { timeout: 10_000 }).toBe('part 1\n');
      expect(devHost.vault.streams.isWaiting(id)).toBe(true);
      expect((await read(driver)).status).toBe(200);

      devHost.vault.streams.open(id);
      await expect.poll(async () => (await read(driver)).done, { timeout: 10_000 }).toBe(true);
      expect(await read(driver)).toEqual({ status: 200, text: 'part 1\npart 2\npart 3\n', done: true, error: null });

      const stored = await storedTokens(wk);
      const calls = devHost.vault.requestLog.find('api', '/v1/stream').filter((entry) => entry.method === 'GET');
      expect(calls).toHaveLength(1);
      expect(calls[0].authorization?.sha256).toBe(authorizationHash(`DPoP ${defined(stored).accessToken}`));
    });

    test(`cancelled by the page through the ${via === 'worker' ? 'service worker' : "client's own channel"}, it stops the upstream response`, async () => {
      const { driver, devHost } = wk;
      await signIn(wk);
      const id = `cancel-${via}`;
      await startReading(driver, `${devHost.vault.origins.api}/v1/stream?id=${id}`, via);
      await expect.poll(async () => (await read(driver)).text, { timeout: 10_000 }).toBe('part 1\n');
      expect(devHost.vault.streams.isWaiting(id)).toBe(true);

      // Nobody opens the gate: only the cancel, passed on through the body channel to the proxy's
      // upstream fetch, ends the response.
      await driver.executeScript('return window.streamReader.cancel()');
      await expect.poll(() => devHost.vault.streams.isWaiting(id), { timeout: 10_000 }).toBe(false);
    });
  }
});
