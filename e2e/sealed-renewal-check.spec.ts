import { expect, proxyFrame, storedTokens, test } from './fixtures.js';
import { sealedSignIn, signInElsewhere, vaultEvents } from './sealedFixtures.js';
import { defined } from '@tokenvault/test-support';

// Sealed mode: a prompt=none renewal's ID token is checked (issuer, audience, nonce, user) before
// anything of the renewal is kept, and a renewal not kept is revoked. The OP's token response is tampered with on its way to the
// proxy frame, as a network attacker or a broken OP could: its ID token names another nonce.
test.use({ devHostOptions: { demo: 'sealed' } });

test('a renewal whose ID token fails a check stores nothing and fires no renewed', async ({ page, context, devHost, browserName }) => {
  // Measured: under Firefox's WebDriver BiDi, context.route does not see the proxy frame's token
  // request (the renewal went through untouched: renewed), so the response cannot be tampered with there.
  test.skip(browserName !== 'chromium', 'Playwright cannot intercept the proxy frame’s token request in this engine');
  // A sign-in, a second login at the OP and a renewal: more than the suite's 45 s on a loaded machine.
  test.setTimeout(120_000);
  const { op } = devHost.vault.origins;
  await sealedSignIn(page, devHost);
  const before = defined(await storedTokens(page, devHost));
  await expect.poll(() => proxyFrame(page, devHost).childFrames().length).toBeGreaterThanOrEqual(1);

  let tampered = 0;
  let renewalRefreshToken = '';
  await context.route(`${op}/token`, async (route) => {
    const request = route.request();
    if (request.method() !== 'POST' || new URLSearchParams(request.postData() ?? '').get('grant_type') !== 'authorization_code') return route.fallback();
    // The OP answers in process (Node's resolver here does not know *.localhost), by Host header.
    const response = await devHost.inject({ method: 'POST', url: '/token', headers: { ...request.headers(), host: new URL(op).host }, payload: request.postData() ?? '' });
    const json = response.json<{ id_token: string; refresh_token: string }>();
    renewalRefreshToken = json.refresh_token;
    const [header, payload, signature] = json.id_token.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    json.id_token = [header, Buffer.from(JSON.stringify({ ...claims, nonce: 'not-the-request-nonce' })).toString('base64url'), signature].join('.');
    tampered++;
    const headers = Object.fromEntries(
      Object.entries(response.headers).flatMap(([name, value]) => (typeof value === 'string' && name !== 'content-length' ? [[name, value]] : [])),
    );
    return route.fulfill({ status: response.statusCode, headers, json });
  });

  // The same user signs in again at the OP (another client, on its own origin): the session changes hands, the watch renews.
  await signInElsewhere(context, devHost);

  await expect.poll(() => vaultEvents(page), { timeout: 20_000 }).toContain('error: TV_SESSION_CHECK_FAILED');
  expect(tampered).toBe(1);
  expect(await vaultEvents(page)).not.toContain('renewed');
  // Nothing of the renewal was kept: the sign-in's tokens are still the vault's.
  const after = defined(await storedTokens(page, devHost));
  expect(after.accessToken).toBe(before.accessToken);
  expect(after.refreshToken).toBe(before.refreshToken);
  expect(after.idToken).toBe(before.idToken);
  // And the renewal's tokens, not kept, were revoked: the OP holds its refresh token no more.
  expect(renewalRefreshToken).not.toBe('');
  expect(await devHost.vault.provider.RefreshToken.find(renewalRefreshToken)).toBeUndefined();
});
