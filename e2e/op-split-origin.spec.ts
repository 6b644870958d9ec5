import { expect, openApp, signIn, storedTokens, test } from './fixtures.js';

// An OP whose token endpoint lives on another origin than its issuer (as Google's does): the dev OP's
// split-token-origin profile names http://tokens.op.vault.localhost:PORT/token in its discovery
// document, and the configuration lists that origin in opOrigins.
test.use({ devHostOptions: { opProfile: 'split-token-origin' } });

test.describe('an OP with its token endpoint on another origin', () => {
  test('sign-in redeems the code through the vault, at the other origin, from the proxy origin', async ({ page, devHost }) => {
    const { opTokens, proxy } = devHost.vault.origins;
    await signIn(page, devHost);
    const stored = await storedTokens(page, devHost);
    expect(stored?.refreshToken).toBeTruthy();
    const redemptions = devHost.vault.requestLog.find('opTokens', '/token').filter((entry) => entry.method === 'POST');
    expect(redemptions.map((entry) => entry.headers.origin)).toEqual([proxy]);
    expect(devHost.vault.requestLog.find('op', '/token')).toEqual([]);
    // Discovery really names the other origin.
    const tokenEndpoint = await page.evaluate(
      async (op) => ((await (await fetch(`${op}/.well-known/openid-configuration`)).json()) as { token_endpoint: string }).token_endpoint,
      devHost.vault.origins.op,
    );
    expect(tokenEndpoint).toBe(`${opTokens}/token`);
  });

  test('a POST at none of the endpoints of the other origin never leaves the page', async ({ page, devHost }) => {
    const { opTokens } = devHost.vault.origins;
    await openApp(page, devHost);
    const outcome = await page.evaluate(async (url) => {
      const response = await fetch(url, { method: 'POST', body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: 'REDACTED' }) });
      return { status: response.status, error: ((await response.json()) as { error?: string }).error };
    }, `${opTokens}/token/x`);
    expect(outcome).toEqual({ status: 403, error: 'TV_UNCLASSIFIED_OP_REQUEST' });
    expect(devHost.vault.requestLog.find('opTokens')).toEqual([]);
  });
});
