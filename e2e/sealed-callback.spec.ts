import { expect, login, openApp, storedTokens, test, tokenRequests, ENGINE_NEUTRAL } from './fixtures.js';
import { FlowSecrets, sealedSignIn, vaultEvents } from './sealedFixtures.js';
import { defined } from '@tokenvault/test-support';

// Every way into the sealed sign-in from outside: a callback with a state the proxy did not issue,
// one already used, one expired; a code posted into the proxy frame by another origin; a returnTo
// outside the app origins. Each is refused with a typed error the app is told, and nothing is stored.
test.use({ devHostOptions: { demo: 'sealed' } });

/** The app page after a refused redirect sign-in: back on the app, the error code taken off its URL and raised as an event. */
async function expectRefused(page: import('@playwright/test').Page, app: string, code: string): Promise<void> {
  await page.waitForURL(`${app}/**`);
  await expect(page.locator('#status')).toHaveText('ready');
  await expect.poll(() => vaultEvents(page)).toContain(`error: ${code}`);
  expect(page.url()).toBe(`${app}/`);
}

test.describe('sealed callback and start page refusals', () => {
  test('the callback page is never cached and sends no referrer', async ({ devHost }) => {
    // In process: Node's resolver does not know *.localhost.
    const response = await devHost.inject({ url: '/callback?code=x&state=y', headers: { host: new URL(devHost.vault.origins.proxy).host } });
    expect(response.statusCode).toBe(200);
    expect(response.headers).toMatchObject({ 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' });
    expect(response.headers['content-security-policy']).toContain(`frame-ancestors 'self' ${devHost.vault.origins.app}`);
  });

  test('a callback with an unknown state: TV_INVALID_STATE, no token request, nothing stored', { tag: ENGINE_NEUTRAL }, async ({ page, devHost }) => {
    const { app, proxy } = devHost.vault.origins;
    await openApp(page, devHost);
    const grants = tokenRequests(devHost);
    await page.goto(`${proxy}/callback?code=forged&state=never-issued&iss=${encodeURIComponent(devHost.vault.origins.op)}`);
    await expectRefused(page, app, 'TV_INVALID_STATE');
    expect(tokenRequests(devHost)).toBe(grants);
    expect(await storedTokens(page, devHost)).toBeNull();
  });

  test(
    'a callback whose state was already used: TV_INVALID_STATE, the code not redeemed again, the tokens unchanged',
    { tag: ENGINE_NEUTRAL },
    async ({ page, context, devHost }) => {
      const secrets = new FlowSecrets(context, devHost);
      await sealedSignIn(page, devHost);
      const before = await storedTokens(page, devHost);
      const grants = tokenRequests(devHost);
      expect(secrets.callbacks).toHaveLength(1);
      await page.goto(secrets.callbacks[0]);
      await expectRefused(page, devHost.vault.origins.app, 'TV_INVALID_STATE');
      expect(tokenRequests(devHost)).toBe(grants);
      expect(defined(await storedTokens(page, devHost)).accessToken).toBe(defined(before).accessToken);
    },
  );

  test('a callback after the sign-in expired (10 minutes): TV_INVALID_STATE, nothing stored', { tag: ENGINE_NEUTRAL }, async ({ page, devHost }) => {
    const { app, proxy, op } = devHost.vault.origins;
    await openApp(page, devHost);
    await page.locator('#sign-in').click();
    await page.waitForURL(`${op}/**`);
    // Eleven minutes pass: the pending sign-in in the proxy origin's sessionStorage of this tab is aged.
    await page.goto(`${proxy}/`);
    const aged = await page.evaluate(() => {
      const key = 'tokenvault:pending-sign-ins';
      const all = JSON.parse(sessionStorage.getItem(key) ?? '{}') as Record<string, { createdAt: number }>;
      for (const pending of Object.values(all)) pending.createdAt -= 11 * 60_000;
      sessionStorage.setItem(key, JSON.stringify(all));
      return Object.keys(all).length;
    });
    expect(aged).toBe(1);
    await page.goBack();
    await page.waitForURL(`${op}/**`);
    const grants = tokenRequests(devHost);
    await login(page);
    await expectRefused(page, app, 'TV_INVALID_STATE');
    expect(tokenRequests(devHost)).toBe(grants);
    expect(await storedTokens(page, devHost)).toBeNull();
  });

  test('a code posted into the proxy frame by a foreign origin (evil.localhost): dropped without a word, nothing stored', async ({ page, devHost }) => {
    const { evil } = devHost.vault.origins;
    await openApp(page, devHost);
    // A page the app opened keeps window.opener (a page that opens the app holds a severed handle:
    // COOP same-origin-allow-popups; e2e/sealed-foreign-messages.spec.ts).
    const [attacker] = await Promise.all([page.waitForEvent('popup'), page.evaluate((url) => void window.open(url, 'evil'), `${evil}/`)]);
    await attacker.waitForLoadState();
    // An authorization response (its code, a state) posted into every frame of the app's window.
    const frames = await attacker.evaluate(() => {
      const victim = window.opener as Window;
      for (let i = 0; i < victim.frames.length; i++) {
        victim.frames[i].postMessage({ v: 'tokenvault/1', type: 'authorization-response', query: 'code=stolen-elsewhere&state=guessed' }, '*');
      }
      return victim.frames.length;
    });
    expect(frames).toBeGreaterThanOrEqual(1);
    // Round trips through the proxy frame after it: the message was handled (and dropped) by then.
    for (let i = 0; i < 5; i += 1) expect(await page.evaluate(async () => window.sealedDemo.vault.user())).toBeNull();
    expect(await vaultEvents(page)).toEqual(['ready']);
    expect(await storedTokens(page, devHost)).toBeNull();
  });

  test('a returnTo outside the app origins: TV_RETURN_TO_REJECTED at the proxy, no authorization request', { tag: ENGINE_NEUTRAL }, async ({ page, context, devHost }) => {
    const { app, evil } = devHost.vault.origins;
    let authorizationRequests = 0;
    context.on('request', (request) => {
      if (new URL(request.url()).pathname === '/auth') authorizationRequests++;
    });
    for (const returnTo of [`${evil}/`, `//evil.localhost/`, `http://app.vault.localhost.evil.localhost/`]) {
      await openApp(page, devHost);
      // The proxy frame refuses it before minting the sign-in's ticket: signIn() rejects, the tab stays.
      const outcome = await page.evaluate(
        (returnTo) =>
          window.sealedDemo.vault.signIn({ returnTo, flow: 'redirect' }).then(
            () => 'resolved',
            (err: unknown) => (err as { code?: string }).code,
          ),
        returnTo,
      );
      expect(outcome).toBe('TV_RETURN_TO_REJECTED');
      expect(page.url()).toBe(`${app}/`);
      expect(await storedTokens(page, devHost)).toBeNull();
    }
    expect(authorizationRequests).toBe(0);
  });
});
