import { apiCalls, appOriginDump, authorizationHash, dpopKeyInPage, expect, jwtClaims, openApp, pageFetch, proxyFrame, storedTokens, test, ENGINE_NEUTRAL } from './fixtures.js';
import { FlowSecrets, appSeen, recordAppOrigin, sealedPopupSignIn, sealedSignIn, startRecordedPopupSignIn, vaultEvents } from './sealedFixtures.js';
import { defined } from '@tokenvault/test-support';

// Sealed mode: the vault is the OAuth client. The proxy origin builds the authorization request,
// the OP sends the code to the proxy's /callback, the proxy redeems it. No code, verifier, state,
// nonce or token ever reaches a page, URL, storage or message of the app origin.
test.use({ devHostOptions: { demo: 'sealed' } });

test.describe('sealed sign-in', () => {
  test('redirect flow: the real login form, back to the app signed in, the API called with the vault’s token; nothing of the flow on the app origin', async ({
    page,
    context,
    devHost,
  }) => {
    const secrets = new FlowSecrets(context, devHost);
    await recordAppOrigin(context, devHost.vault.origins.app);
    await sealedSignIn(page, devHost);
    const tokens = await storedTokens(page, devHost);
    // The flow happened as designed: the code went to the proxy's callback, once.
    expect(secrets.callbacks).toHaveLength(1);
    // At least the code and the state (the verifier too, where the engine reports request bodies).
    expect(secrets.values.size).toBeGreaterThanOrEqual(3);
    expect(await vaultEvents(page)).toEqual(['ready']);
    // The app knows who signed in, from the ID token's claims (not the token).
    const claims = await page.evaluate(() => window.sealedDemo.vault.user());
    expect(claims).toMatchObject({ sub: 'alice', iss: devHost.vault.origins.op, aud: 'sealed' });

    await page.locator('#call-api').click();
    await expect(page.locator('#api-response')).toContainText('"status": 200');
    expect(apiCalls(devHost, '/v1/profile').map((call) => call.authorization?.sha256)).toEqual([authorizationHash(`DPoP ${defined(tokens).accessToken}`)]);

    const seen = await appSeen(page);
    // The recorder works: it saw the vault's channel (the proxy's hello and answers).
    expect(seen).toContain('port {\\"v\\"');
    const appOrigin = (await appOriginDump(page, context)) + seen + JSON.stringify(claims);
    expect(secrets.foundIn(appOrigin, tokens)).toEqual([]);
    // The app's URL never carried a code: after sign-in it is the returnTo, nothing added.
    expect(page.url()).toBe(`${devHost.vault.origins.app}/`);
  });

  test("DPoP: the authorization request names the sign-in's key in dpop_jkt, the OP binds the code and the tokens to it", async ({ page, context, devHost }) => {
    const secrets = new FlowSecrets(context, devHost);
    const authorizations: URL[] = [];
    context.on('request', (request) => {
      const url = new URL(request.url());
      if (url.origin === devHost.vault.origins.op && url.pathname === '/auth') authorizations.push(url);
    });
    await sealedSignIn(page, devHost);
    const key = await proxyFrame(page, devHost).evaluate(dpopKeyInPage);
    expect(key.found).toBe(true);
    expect(authorizations).toHaveLength(1);
    expect(authorizations[0].searchParams.get('dpop_jkt')).toBe(key.thumbprint);
    // The OP's own record of the code says it was bound to that key (RFC 9449 §10): redeemed with
    // another key's proof, it would have been refused.
    const code = defined(new URL(secrets.callbacks[0]).searchParams.get('code'));
    expect((await devHost.vault.provider.AuthorizationCode.find(code, { ignoreExpiration: true }))?.dpopJkt).toBe(key.thumbprint);
    const tokens = await storedTokens(page, devHost);
    expect((jwtClaims(defined(tokens).accessToken).cnf as { jkt?: unknown } | undefined)?.jkt).toBe(key.thumbprint);
  });

  test('popup flow: the sign-in window hands the code to the proxy frame, never to the app', async ({ page, context, devHost }) => {
    const secrets = new FlowSecrets(context, devHost);
    await recordAppOrigin(context, devHost.vault.origins.app);
    let duringSignIn = '';
    await sealedPopupSignIn(page, devHost, 'alice', async () => {
      duringSignIn = (await appOriginDump(page, context)) + (await appSeen(page));
    });
    const tokens = await storedTokens(page, devHost);
    expect(secrets.callbacks).toHaveLength(1);
    expect(await vaultEvents(page)).toEqual(['ready', 'signed-in']);
    // During the sign-in (the state and nonce were in the authorization request by then) and after.
    expect(secrets.foundIn(duringSignIn, tokens)).toEqual([]);
    const appOrigin = (await appOriginDump(page, context)) + (await appSeen(page));
    expect(secrets.foundIn(appOrigin, tokens)).toEqual([]);
    const response = await pageFetch(page, `${devHost.vault.origins.api}/v1/profile`);
    expect(response.status).toBe(200);
  });

  test('refresh: a token the API refuses is refreshed by the proxy, the call answered', { tag: ENGINE_NEUTRAL }, async ({ page, devHost }) => {
    await sealedSignIn(page, devHost);
    const before = await storedTokens(page, devHost);
    devHost.vault.api.deniedJti.add(String(jwtClaims(defined(before).accessToken).jti));
    const response = await pageFetch(page, `${devHost.vault.origins.api}/v1/profile`);
    expect(response.status).toBe(200);
    const after = await storedTokens(page, devHost);
    expect(defined(after).accessToken).not.toBe(defined(before).accessToken);
    expect(defined(after).refreshToken).not.toBe(defined(before).refreshToken);
  });

  test('logout in one tab is seen in another', async ({ page, context, devHost }) => {
    await sealedSignIn(page, devHost);
    const other = await context.newPage();
    await openApp(other, devHost);
    await expect(other.locator('#user')).toHaveText('alice');
    await page.locator('#sign-out').click();
    await page.waitForURL(`${devHost.vault.origins.op}/**`);
    await expect.poll(() => vaultEvents(other)).toContain('signed-out: logout');
    await expect(other.locator('#user')).toHaveText('signed out');
    expect(await storedTokens(other, devHost)).toBeNull();
  });

  test('the app cannot redeem a code of its own through the vault (TV_SEALED_MODE)', { tag: ENGINE_NEUTRAL }, async ({ page, devHost }) => {
    await openApp(page, devHost);
    const response = await page.evaluate(async (op) => {
      const r = await fetch(`${op}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'authorization_code', code: 'x', code_verifier: 'y', client_id: 'sealed', redirect_uri: 'http://x/' }),
      });
      return { status: r.status, body: (await r.json()) as unknown };
    }, devHost.vault.origins.op);
    expect(response).toMatchObject({ status: 403, body: { error: 'TV_SEALED_MODE' } });
  });

  test('signIn() checks its options at the door (TV_INVALID_ARGUMENT), and nothing starts', { tag: ENGINE_NEUTRAL }, async ({ page, devHost }) => {
    await openApp(page, devHost);
    for (const options of [{ prompt: 'always' }, { scope: 'api' }, { loginHint: '' }, { flow: 'iframe' }, { returnTo: 42 }, { extra: true }, { timeoutMs: 10 }]) {
      const code = await page.evaluate(
        (o) =>
          window.sealedDemo.vault.signIn(o as never).then(
            () => 'resolved',
            (err: unknown) => (err as { code?: string }).code,
          ),
        options,
      );
      expect(code, JSON.stringify(options)).toBe('TV_INVALID_ARGUMENT');
    }
    expect(page.url()).toBe(`${devHost.vault.origins.app}/`);
    expect(devHost.vault.requestLog.find('proxy', '/signin')).toHaveLength(0);
  });

  test('popup flow, an OP without COOP: the user closes the window after a while at the OP: TV_SIGN_IN_CANCELLED 5 s later, nothing stored', async ({ page, devHost }) => {
    // The app's clock, so that "a while" need not be waited out in real time.
    await page.clock.install();
    await openApp(page, devHost);
    const popup = await startRecordedPopupSignIn(page);
    await popup.waitForURL(`${devHost.vault.origins.op}/**`);
    // The scenario: the user stays at the OP's form longer than an OP that sends COOP takes to cut
    // a window off (30 s, SEVERED_WITHIN_MS), then closes the window.
    await page.clock.fastForward(30_500);
    await popup.close();
    await expect.poll(() => vaultEvents(page), { timeout: 15_000 }).toEqual(['ready', 'signIn() rejected TV_SIGN_IN_CANCELLED']);
    expect(await storedTokens(page, devHost)).toBeNull();
  });
});
