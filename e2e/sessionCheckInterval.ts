import type { Page } from '@playwright/test';
import type { FastifyInstance } from 'fastify';
import { expect, proxyFrame } from './fixtures.js';
import { sealedSignIn, vaultEvents } from './sealedFixtures.js';
import { defined } from '@tokenvault/test-support';

/**
 * Records, from the start of every document of the page's context, what the OP's check frame
 * receives from the proxy origin (the vault's checks, a test's markers) and what the proxy frame
 * receives from the OP origin (the check frame's answers), each in order.
 */
async function recordCheckMessages(page: Page, devHost: FastifyInstance) {
  const { op, proxy } = devHost.vault.origins;
  const checkPage = `${op}/session/check`;
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
  const checkFrame = () => page.frames().find((frame) => frame.url().startsWith(checkPage));
  const isCheck = (message: string): boolean => message.startsWith(`${devHost.vault.proxyConfig.clientId} `);
  /** What the check frame received. It comes with the watch, after the sign-in: none yet has received nothing (with the OP on another site, Firefox's sign-in can end before the watch has attached it). */
  const received = async (): Promise<string[]> => {
    const frame = checkFrame();
    return frame ? frame.evaluate(() => [...((window as unknown as { __received?: string[] }).__received ?? [])]) : [];
  };
  return {
    checkPage,
    checkFrame: () => defined(checkFrame()),
    received,
    isCheck,
    /** The vault's checks the check frame received. */
    checks: async (): Promise<number> => (await received()).filter(isCheck).length,
    /** What the proxy frame received from the OP origin: the answers (`changed`, `unchanged`, `error`). */
    answers: (): Promise<string[]> => proxyFrame(page, devHost).evaluate(() => [...(window as unknown as { __received: string[] }).__received]),
  };
}

/**
 * Signs in (sealed demo) and proves that the proxy frame asks the OP's check_session_iframe every
 * `intervalMs` (the dev host's `sessionCheck.intervalMs`, a minute or more): told apart on the
 * pages' clock (Playwright's), not in real time. One check goes out at once; none more in the half
 * interval after it; the second one interval after the first. Shared by sealed-session.spec.ts
 * (the OP on the app's site) and session-check-other-site.spec.ts (on another site).
 */
export async function expectChecksEvery(page: Page, devHost: FastifyInstance, intervalMs: number): Promise<void> {
  const { op } = devHost.vault.origins;
  const { checkPage, received, isCheck, checks, answers } = await recordCheckMessages(page, devHost);
  /** The answers to the vault's checks (`changed`, `unchanged`) the proxy frame received. */
  const answered = async (): Promise<number> => (await answers()).filter((answer) => answer !== 'error').length;
  // The vault's checks the frame had received when it received the marker `name`, posted now from
  // the proxy frame: messages from one window to another arrive in order, so a check the vault
  // posted before is counted. The check frame answers a marker `error`, which the watch drops:
  // markers go only while no check of the vault waits for its answer.
  const checksBefore = async (name: string): Promise<number> => {
    await expect.poll(answered).toBe(await checks());
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
  const { checkFrame, checks, answers } = await recordCheckMessages(page, devHost);
  const failed = 'error: TV_SESSION_CHECK_FAILED';
  await page.clock.install();
  await sealedSignIn(page, devHost);
  // The first check answered (`unchanged`): the watch runs.
  await expect.poll(answers).toContain('unchanged');
  const before = await checks();
  await page.clock.pauseAt(await page.evaluate(() => Date.now() + 2000));
  // The frame answers to the message's source: with none, it answers nothing (whatever the order
  // its listener and any other run in).
  await checkFrame().evaluate(() => {
    Object.defineProperty(MessageEvent.prototype, 'source', { configurable: true, get: () => null });
  });
  // The next check goes out one interval on, and gets no answer.
  await page.clock.runFor(intervalMs + 1000);
  await expect.poll(checks).toBeGreaterThan(before);
  await page.clock.runFor(timeoutMs / 2);
  // An event posted before this round trip through the proxy frame arrives before its answer.
  await page.evaluate(() => window.sealedDemo.vault.status());
  expect(await vaultEvents(page)).not.toContain(failed);
  await page.clock.runFor(timeoutMs / 2 + 1000);
  // The positive signal: the watch gave up after timeoutMs, told the app, and kept the tokens.
  await expect.poll(() => vaultEvents(page)).toContain(failed);
  expect((await vaultEvents(page)).filter((event) => event.startsWith('signed-out'))).toEqual([]);
}
