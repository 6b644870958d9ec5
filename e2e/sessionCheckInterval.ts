import type { Page } from '@playwright/test';
import type { FastifyInstance } from 'fastify';
import { expect, proxyFrame } from './fixtures.js';
import { sealedSignIn, vaultEvents } from './sealedFixtures.js';
import { defined } from '@tokenvault/test-support';

/**
 * Signs in (sealed demo) and proves that the proxy frame asks the OP's check_session_iframe every
 * `intervalMs` (the dev host's `sessionCheck.intervalMs`, a minute or more): told apart on the
 * pages' clock (Playwright's), not in real time. One check goes out at once; none more in the half
 * interval after it; the second one interval after the first. Shared by sealed-session.spec.ts
 * (the OP on the app's site) and session-check-other-site.spec.ts (on another site).
 */
export async function expectChecksEvery(page: Page, devHost: FastifyInstance, intervalMs: number): Promise<void> {
  const { op, proxy } = devHost.vault.origins;
  const checkPage = `${op}/session/check`;
  // What the OP's check frame receives from the proxy origin, in order (the vault's checks and the
  // markers, below), and the answers the proxy frame receives from the OP origin.
  await page.context().addInitScript(
    ({ checkPage, op, proxy }) => {
      const from = location.href.startsWith(checkPage) ? proxy : location.origin === proxy ? op : null;
      if (from === null) return;
      const received: string[] = [];
      (window as unknown as { __received: string[] }).__received = received;
      window.addEventListener('message', (event) => {
        if (event.origin === from && typeof event.data === 'string') received.push(event.data);
      });
    },
    { checkPage, op, proxy },
  );
  // The check frame comes with the watch, after the sign-in: none yet has received nothing (with
  // the OP on another site, Firefox's sign-in can end before the watch has attached it).
  const received = async (): Promise<string[]> => {
    const frame = page.frames().find((candidate) => candidate.url().startsWith(checkPage));
    return frame ? frame.evaluate(() => [...((window as unknown as { __received?: string[] }).__received ?? [])]) : [];
  };
  const isCheck = (message: string): boolean => message.startsWith(`${devHost.vault.proxyConfig.clientId} `);
  const checks = async (): Promise<number> => (await received()).filter(isCheck).length;
  /** The answers to the vault's checks (`changed`, `unchanged`) the proxy frame received. */
  const answers = async (): Promise<number> =>
    (await proxyFrame(page, devHost).evaluate(() => (window as unknown as { __received: string[] }).__received)).filter((answer) => answer !== 'error').length;
  // The vault's checks the frame had received when it received the marker `name`, posted now from
  // the proxy frame: messages from one window to another arrive in order, so a check the vault
  // posted before is counted. The check frame answers a marker `error`, which the watch drops:
  // markers go only while no check of the vault waits for its answer.
  const checksBefore = async (name: string): Promise<number> => {
    await expect.poll(answers).toBe(await checks());
    await proxyFrame(page, devHost).evaluate(
      ({ checkPage, op, name }) => {
        const frame = [...document.querySelectorAll('iframe')].find((iframe) => iframe.src.startsWith(checkPage));
        frame?.contentWindow?.postMessage(name, op);
      },
      { checkPage, op, name },
    );
    await expect.poll(received).toContain(name);
    const all = await received();
    return all.slice(0, all.indexOf(name)).filter(isCheck).length;
  };

  await page.clock.install();
  await sealedSignIn(page, devHost);
  await expect.poll(checks).toBe(1);
  // The first check went out at once; the next is due intervalMs after its answer.
  // From here on the pages' time moves only when the test moves it.
  await page.clock.pauseAt(await page.evaluate(() => Date.now() + 2000));
  expect(await checksBefore('marker-paused')).toBe(1);
  await page.clock.runFor(intervalMs / 2);
  expect(await checksBefore('marker-half-interval')).toBe(1);
  await page.clock.runFor(intervalMs / 2 + 5000);
  // The positive signal: the second check, one interval after the first (at the default 3 s,
  // ten would have gone out in the half interval above).
  await expect.poll(checks).toBe(2);
  // Both answered `unchanged`: the watch sees the session (a blind one would have stopped).
  expect(await vaultEvents(page)).not.toContain('error: TV_SESSION_CHECK_FAILED');
  expect((await vaultEvents(page)).filter((event) => event.startsWith('session-unwatchable') || event.startsWith('signed-out'))).toEqual([]);
}

/**
 * Signs in (sealed demo), then the OP's check frame stops answering (it no longer sees who asks, as
 * a stalled check_session_iframe would not answer): proves that the proxy's watch waits
 * `timeoutMs` (the dev host's `sessionCheck.timeoutMs`, more than the 10 s default) for the answer
 * to its next check, then tells the app `error: TV_SESSION_CHECK_FAILED`. On the pages' clock.
 */
export async function expectCheckTimeout(page: Page, devHost: FastifyInstance, { intervalMs, timeoutMs }: { intervalMs: number; timeoutMs: number }): Promise<void> {
  const { op } = devHost.vault.origins;
  const checkPage = `${op}/session/check`;
  const checkFrame = () => defined(page.frames().find((frame) => frame.url().startsWith(checkPage)));
  const failed = 'error: TV_SESSION_CHECK_FAILED';
  // The answers the proxy frame receives from the OP origin, from its first document on.
  await page.context().addInitScript(
    ({ op, proxy }) => {
      if (location.origin !== proxy) return;
      const answers: string[] = [];
      (window as unknown as { __answers: string[] }).__answers = answers;
      window.addEventListener('message', (event) => {
        if (event.origin === op && typeof event.data === 'string') answers.push(event.data);
      });
    },
    { op, proxy: devHost.vault.origins.proxy },
  );
  await page.clock.install();
  await sealedSignIn(page, devHost);
  // The first check answered (`unchanged`): the watch runs.
  await expect.poll(() => proxyFrame(page, devHost).evaluate(() => (window as unknown as { __answers: string[] }).__answers)).toContain('unchanged');
  await page.clock.pauseAt(await page.evaluate(() => Date.now() + 2000));
  await checkFrame().evaluate(() => {
    const swallowed: string[] = [];
    (window as unknown as { __swallowed: string[] }).__swallowed = swallowed;
    window.addEventListener('message', (event) => {
      if (typeof event.data === 'string') swallowed.push(event.data);
    });
    // The frame answers to the message's source: with none, it answers nothing (whatever the
    // order its own listener and the one above run in).
    Object.defineProperty(MessageEvent.prototype, 'source', { configurable: true, get: () => null });
  });
  const swallowed = () => checkFrame().evaluate(() => (window as unknown as { __swallowed: string[] }).__swallowed.length);
  // The next check goes out one interval on, and gets no answer.
  await page.clock.runFor(intervalMs + 1000);
  await expect.poll(swallowed).toBeGreaterThanOrEqual(1);
  await page.clock.runFor(timeoutMs / 2);
  // An event posted before this round trip through the proxy frame arrives before its answer.
  await page.evaluate(() => window.sealedDemo.vault.status());
  expect(await vaultEvents(page)).not.toContain(failed);
  await page.clock.runFor(timeoutMs / 2 + 1000);
  // The positive signal: the watch gave up after timeoutMs, told the app, and kept the tokens.
  await expect.poll(() => vaultEvents(page)).toContain(failed);
  expect((await vaultEvents(page)).filter((event) => event.startsWith('signed-out'))).toEqual([]);
}
