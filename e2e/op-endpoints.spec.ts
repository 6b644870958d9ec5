import { expect, obtainCode, openApp, test } from './fixtures.js';

// The one decision "is this a token request" (classifyOpRequest), as the worker and the proxy make
// it together: every form of the token endpoint URL that the OP would route to it goes through the
// vault; a request that changes something at the OP and is none of its endpoints goes nowhere.

test.describe('OP endpoints: one classification in the worker and the proxy', () => {
  test('token requests to the token endpoint in another spelling go through the vault, never from the app', async ({ browser, page, devHost }) => {
    const { app, op, proxy } = devHost.vault.origins;
    await openApp(page, devHost);
    const { code, verifier, page: other } = await obtainCode(browser, devHost);
    await other.context().close();
    const form = { grant_type: 'authorization_code', client_id: 'demo', code, code_verifier: verifier, redirect_uri: `${app}/callback` };
    const post = (url: string, body: Record<string, string>) =>
      page.evaluate(
        async ({ url, body }) => {
          try {
            const response = await fetch(url, { method: 'POST', body: new URLSearchParams(body) });
            return { status: response.status, body: (await response.json()) as Record<string, unknown> };
          } catch (err) {
            return { status: 0, body: { thrown: String(err) } };
          }
        },
        { url, body },
      );
    // Upper case and a trailing slash: the OP routes it to its token endpoint, so the vault does.
    const redeemed = await post(`${op}/TOKEN/`, form);
    expect(redeemed.status).toBe(200);
    expect(redeemed.body).toMatchObject({ access_token: 'REDACTED', refresh_token: 'REDACTED' });
    // A query the token endpoint does not have: a token request, refused by the proxy, sent nowhere.
    const withQuery = await post(`${op}/token?x=1`, { ...form, code: 'not-a-code' });
    expect(withQuery).toMatchObject({ status: 400, body: { error: 'TV_INVALID_REQUEST' } });
    const bogus = await post(`${op}/Token`, { ...form, code: 'not-a-code' });
    expect(bogus.status).toBe(400);
    expect(bogus.body.error).toBe('invalid_grant');

    const reached = devHost.vault.requestLog.find('op').filter((entry) => entry.method === 'POST' && entry.path.toLowerCase().startsWith('/token'));
    expect(reached.map((entry) => [entry.path, entry.headers.origin])).toEqual([
      ['/token', proxy],
      ['/token', proxy],
    ]);
  });

  test('a POST to the OP that is none of its endpoints never leaves the page', async ({ page, devHost }) => {
    const { op } = devHost.vault.origins;
    await openApp(page, devHost);
    const outcomes = await page.evaluate(
      async (urls) =>
        Promise.all(
          urls.map(async (url) => {
            const response = await fetch(url, { method: 'POST', body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: 'REDACTED' }) });
            return { status: response.status, error: ((await response.json()) as { error?: string }).error };
          }),
        ),
      [`${op}/token;x=1`, `${op}/tokens`, `${op}/token%2F`, `${op}/token.json`, `${op}/`],
    );
    expect(outcomes).toEqual(Array(5).fill({ status: 403, error: 'TV_UNCLASSIFIED_OP_REQUEST' }));
    expect(devHost.vault.requestLog.find('op').filter((entry) => entry.method === 'POST')).toEqual([]);
  });

  // Issue 14: discovery and the JWKS are fetched by the vault (no credential), so that an OP's
  // CORS may name the proxy origin alone; other reads at the OP stay the page's own.
  test('discovery is read through the vault, from the proxy origin', async ({ page, devHost }) => {
    const { op, proxy } = devHost.vault.origins;
    await openApp(page, devHost);
    const issuer = await page.evaluate(async (url) => ((await (await fetch(url)).json()) as { issuer: string }).issuer, `${op}/.well-known/openid-configuration`);
    expect(issuer).toBe(op);
    expect(devHost.vault.requestLog.find('op', '/.well-known/').at(-1)?.headers.origin).toBe(proxy);
  });
});

test.describe('requests the worker passes on unchanged', () => {
  test('one the browser refuses (CORS) reaches the app as TV_PASSTHROUGH_FAILED, not TV_INTERNAL', async ({ page, devHost }) => {
    const { op, app } = devHost.vault.origins;
    await openApp(page, devHost);
    const endSession = await page.evaluate(
      async (url) => ((await (await fetch(url)).json()) as { end_session_endpoint: string }).end_session_endpoint,
      `${op}/.well-known/openid-configuration`,
    );
    // The end-session endpoint is for navigations: the OP sends no CORS headers, so the browser
    // withholds its answer to the app's fetch.
    const outcome = await page.evaluate(async (url) => {
      const response = await fetch(url, { method: 'POST', body: new URLSearchParams({ client_id: 'demo' }) });
      return { status: response.status, body: (await response.json()) as { error?: string } };
    }, endSession);
    expect(outcome).toMatchObject({ status: 502, body: { error: 'TV_PASSTHROUGH_FAILED' } });
    // It did go out, from the app origin, as the page's own request.
    const sent = devHost.vault.requestLog.find('op', new URL(endSession).pathname).filter((entry) => entry.method === 'POST');
    expect(sent.map((entry) => entry.headers.origin)).toEqual([app]);
  });
});
