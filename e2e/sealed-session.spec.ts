import { expect, proxyFrame, storedTokens, test } from './fixtures.js';
import { sealedSignIn, signInElsewhere, vaultEvents } from './sealedFixtures.js';
import { expectCheckTimeout, expectChecksEvery } from './sessionCheckInterval.js';
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
    await expectChecksEvery(page, devHost, INTERVAL_MS);
  });
});

test.describe('sealed mode: the session check waits as configured (sessionCheck.timeoutMs)', () => {
  // Half a minute for an answer (the default is 10 s), a minute between checks: on the pages' clock.
  const TIMEOUTS = { intervalMs: 60_000, timeoutMs: 30_000 };
  test.use({ devHostOptions: { demo: 'sealed', sessionCheck: TIMEOUTS } });

  test('a check the OP never answers: error TV_SESSION_CHECK_FAILED after sessionCheck.timeoutMs, not before; the tokens stay', async ({ page, devHost }) => {
    await expectCheckTimeout(page, devHost, TIMEOUTS);
    expect(await storedTokens(page, devHost)).not.toBeNull();
  });
});
