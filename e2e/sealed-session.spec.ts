import { expect, proxyFrame, storedTokens, test } from './fixtures.js';
import { sealedSignIn, signInElsewhere, vaultEvents } from './sealedFixtures.js';
import { defined } from '@tokenvault/test-support';

const DISCOVERY = '/.well-known/openid-configuration';

// Sealed mode: Session Management runs in the proxy frame (session_state is bound to the redirect
// URI's origin, the proxy's). The app gets typed events, never a code.
test.use({ devHostOptions: { demo: 'sealed' } });

test.describe('sealed mode: the session monitor in the proxy frame', () => {
  test('the check_session_iframe is a frame of the proxy frame, not of the app page', async ({ page, devHost }) => {
    await sealedSignIn(page, devHost);
    const check = `${devHost.vault.origins.op}/session/check`;
    await expect
      .poll(() =>
        proxyFrame(page, devHost)
          .childFrames()
          .some((frame) => frame.url().startsWith(check)),
      )
      .toBe(true);
    expect(
      page
        .mainFrame()
        .childFrames()
        .some((frame) => frame.url().startsWith(check)),
    ).toBe(false);
  });

  test('logout at the OP in another tab: signed-out (session-ended) at the next check, the vault empty', async ({ page, context, devHost }) => {
    await sealedSignIn(page, devHost);
    await expect.poll(() => proxyFrame(page, devHost).childFrames().length).toBeGreaterThanOrEqual(1);
    const other = await context.newPage();
    await other.goto(`${devHost.vault.origins.op}/session/end`);
    await other.getByRole('button', { name: 'Yes, sign me out' }).click();
    await expect(other.getByRole('heading', { name: 'Signed out' })).toBeVisible();
    await expect.poll(() => vaultEvents(page), { timeout: 20_000 }).toContain('signed-out: session-ended');
    expect(await storedTokens(page, devHost)).toBeNull();
    await expect(page.locator('#user')).toHaveText('signed out');
  });

  test('the same user signs in again at the OP: a prompt=none renewal in the proxy frame, renewed, new tokens in the vault', async ({ page, context, devHost }) => {
    await sealedSignIn(page, devHost);
    const before = await storedTokens(page, devHost);
    await expect.poll(() => proxyFrame(page, devHost).childFrames().length).toBeGreaterThanOrEqual(1);
    // Requests for the OP's discovery document from the proxy origin (the proxy page preloads it).
    const { proxy } = devHost.vault.origins;
    const discoveries = () => devHost.vault.requestLog.find('op', DISCOVERY).filter((entry) => entry.headers.origin === proxy).length;
    const discoveriesBefore = discoveries();
    // Another app of the same OP (the drop-in client, on its own origin) makes the user log in again: the OP session changes hands.
    await signInElsewhere(context, devHost);
    await expect.poll(() => vaultEvents(page), { timeout: 20_000 }).toContain('renewed');
    // The renewal came back to the proxy's /silent-callback, a page that runs nothing: it asked the
    // OP nothing (the proxy page there cost a discovery request on every renewal). Its script came
    // from the browser's cache either way, so the server's log cannot tell; e2e/deploy.spec.ts
    // checks the page itself.
    expect(devHost.vault.requestLog.find('proxy', '/silent-callback').length).toBeGreaterThanOrEqual(1);
    expect(discoveries()).toBe(discoveriesBefore);
    const after = await storedTokens(page, devHost);
    expect(defined(after).accessToken).not.toBe(defined(before).accessToken);
    expect(await vaultEvents(page)).not.toContain('signed-out: session-ended');
    await page.locator('#call-api').click();
    await expect(page.locator('#api-response')).toContainText('"status": 200');
  });
});

test.describe('sealed mode: the session check as configured (sessionCheck)', () => {
  // A minute between checks (the default is 3 s): told apart on the pages' clock, not in real time.
  const INTERVAL_MS = 60_000;
  test.use({ devHostOptions: { demo: 'sealed', sessionCheck: { intervalMs: INTERVAL_MS } } });

  test('the proxy frame asks the check_session_iframe every sessionCheck.intervalMs', async ({ page, devHost }) => {
    const { op, proxy } = devHost.vault.origins;
    const checkPage = `${op}/session/check`;
    // What the OP's check frame receives from the proxy origin, in order (the vault's checks and the
    // test's markers, below), and the answers the proxy frame receives from the OP origin.
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
    const checkFrame = () => defined(page.frames().find((frame) => frame.url().startsWith(checkPage)));
    const received = () => checkFrame().evaluate(() => [...(window as unknown as { __received: string[] }).__received]);
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
    // The first check went out at once; the next is due INTERVAL_MS after its answer.
    // From here on the pages' time moves only when the test moves it.
    await page.clock.pauseAt(await page.evaluate(() => Date.now() + 2000));
    expect(await checksBefore('marker-paused')).toBe(1);
    await page.clock.runFor(INTERVAL_MS / 2);
    expect(await checksBefore('marker-half-interval')).toBe(1);
    await page.clock.runFor(INTERVAL_MS / 2 + 5000);
    // The positive signal: the second check, one interval after the first (at the default 3 s,
    // ten would have gone out in the half interval above).
    await expect.poll(checks).toBe(2);
    expect(await vaultEvents(page)).not.toContain('error: TV_SESSION_CHECK_FAILED');
  });
});
