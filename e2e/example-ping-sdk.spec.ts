import { run, site, stored } from './exampleApps.js';
import { authorizationHash, expect, login, opForm, pageFetch, test, tokenRequests } from './fixtures.js';
import { defined } from '@tokenvault/test-support';

// The Ping (ForgeRock) JavaScript SDK 4.x, centralized login, through the vault: its token
// exchange, userinfo, API calls and renewal go through the vault; its calls to AM that are not
// OAuth endpoints (FRUser.logout()'s sessions call) are declared in opPassThrough and go from the
// page as the page made them. The dev OP's sample sessions endpoint stands in for AM's.

const SESSIONS = '/am/json/realms/root/sessions/';

test.describe('example: ping-sdk', () => {
  test('centralized login, userinfo, API, its renewal, and logout with its sessions call', async ({ page, devHost }) => {
    const example = site(devHost, 'ping-sdk');
    const { op, api } = devHost.vault.origins;
    await page.goto(`${example.app}/`);
    await expect(page.locator('#status')).toHaveText('ready');
    await page.locator('#sign-in').click();
    await page.waitForURL(`${op}/**`);
    await login(page);
    await expect(page.locator('#user')).toHaveText('signed in');
    // What the SDK stored (sessionStorage) is the placeholder (JWT-shaped: it names the token it stands for).
    await expect(page.locator('#out')).toContainText('"accessToken": "ey');
    const first = defined(await stored(page, example));
    expect(await page.locator('#out').textContent()).not.toContain(first.accessToken);

    expect(await run(page, 'callApi')).toMatchObject({ status: 200, body: { sub: 'alice' } });
    devHost.vault.requestLog.clear();
    expect(await run(page, 'userinfo')).toMatchObject({ sub: 'alice', name: 'Alice Liddell' });
    expect(
      devHost.vault.requestLog
        .find('op', '/me')
        .filter((entry) => entry.method !== 'OPTIONS')
        .map((entry) => entry.headers.origin),
    ).toEqual([example.proxy]);

    // Its renewal: revocation of the access token (token=<its placeholder>, no hint), prompt=none in a
    // hidden iframe, a new code exchange. The OP keeps the grant (an access token was revoked), so
    // prompt=none needs no consent.
    const before = tokenRequests(devHost);
    devHost.vault.requestLog.clear();
    const renewal = await run(page, 'renew');
    expect(String(renewal.accessToken).split('.')[2]).toMatch(/^~tvA~/);
    expect(tokenRequests(devHost)).toBe(before + 1);
    expect(await devHost.vault.provider.AccessToken.find(first.accessToken)).toBeUndefined();
    const renewed = defined(await stored(page, example));
    expect(renewed.accessToken).not.toBe(first.accessToken);
    expect(JSON.stringify(renewal)).not.toContain(renewed.accessToken);
    expect(await run(page, 'callApi')).toMatchObject({ status: 200, body: { sub: 'alice' } });

    // Logout: the sessions call from the page with its OP cookie (the vault adds nothing), the
    // revocation through the vault, then the navigation to the OP's end_session_endpoint.
    devHost.vault.requestLog.clear();
    const logouts = devHost.vault.op.amSessionLogouts.length;
    await page.evaluate(() => {
      void (window as unknown as { example: { signOut(): Promise<void> } }).example.signOut();
    });
    // The navigation to the OP's end_session_endpoint: the sessions call already ended the OP
    // session, so it has none to confirm ending and sends the page straight back.
    await expect.poll(() => devHost.vault.requestLog.find('op', '/session/end').length).toBeGreaterThan(0);
    await expect(page.locator('#user')).toHaveText('signed out');
    expect(new URL(page.url()).origin).toBe(example.app);
    const sessionCalls = devHost.vault.requestLog.find('op', SESSIONS).filter((entry) => entry.method === 'POST');
    expect(sessionCalls).toHaveLength(1);
    expect(sessionCalls[0].headers.origin).toBe(example.app);
    expect(sessionCalls[0].authorization).toBeNull();
    // The page's own cookie went with it: the OP session of alice was ended there, as AM would.
    expect(devHost.vault.op.amSessionLogouts.slice(logouts)).toEqual([{ accountId: 'alice' }]);
    // The SDK's revocation and the vault's own at the navigation: every one from the proxy origin.
    const revocations = devHost.vault.requestLog
      .find('op', '/token/revocation')
      .filter((entry) => entry.method === 'POST')
      .map((entry) => entry.headers.origin);
    expect(revocations.length).toBeGreaterThan(0);
    expect(new Set(revocations)).toEqual(new Set([example.proxy]));
    expect(await stored(page, example)).toBeNull();
    const response = await pageFetch(page, `${api}/v1/profile`);
    expect(JSON.parse(response.text)).toMatchObject({ error: 'TV_NOT_SIGNED_IN' });
    const refresh = await opForm(devHost, '/token', { grant_type: 'refresh_token', refresh_token: defined(renewed.refreshToken), client_id: example.clientId });
    expect(refresh.body.error).toBe('invalid_grant');
  });

  test('a declared path goes as the page made it, with no credential; an undeclared one on the OP is refused', async ({ page, devHost }) => {
    const example = site(devHost, 'ping-sdk');
    const { op } = devHost.vault.origins;
    await page.goto(`${example.app}/`);
    await expect(page.locator('#status')).toHaveText('ready');
    await page.locator('#sign-in').click();
    await page.waitForURL(`${op}/**`);
    await login(page);
    await expect(page.locator('#user')).toHaveText('signed in');
    devHost.vault.requestLog.clear();
    const answers = await page.evaluate(async (op) => {
      const post = async (path: string) => {
        const response = await fetch(`${op}${path}`, {
          method: 'POST',
          credentials: 'include',
          headers: { authorization: 'Bearer REDACTED', 'accept-api-version': 'resource=2.0' },
        });
        return { status: response.status, body: await response.text() };
      };
      // Declared, and answered by the OP (no session asked for: `_action` missing is AM's 400).
      const declared = await post('/am/json/realms/root/sessions/');
      // Not declared: the SDK's users API, a path beside the declared one, the token endpoint with an encoded slash.
      const undeclared = await post('/am/json/realms/root/users/alice');
      const beside = await post('/am/json/realms/root/sessionsx');
      return { declared, undeclared, beside };
    }, op);
    expect(answers.declared.status).toBe(400);
    // The placeholder the page sent went out as it was: the vault swapped nothing in.
    const calls = devHost.vault.requestLog.find('op', '/am/json/').filter((entry) => entry.method === 'POST');
    expect(calls.map((entry) => entry.path)).toEqual(['/am/json/realms/root/sessions/']);
    expect(calls[0].authorization?.sha256).toBe(authorizationHash('Bearer REDACTED'));
    expect(calls[0].headers.origin).toBe(example.app);
    for (const refused of [answers.undeclared, answers.beside]) {
      expect(refused.status).toBe(403);
      // (A production worker answers the code; a development build's message names opPassThrough.)
      expect((JSON.parse(refused.body) as { error: string }).error).toBe('TV_UNCLASSIFIED_OP_REQUEST');
    }
    expect(defined(await stored(page, example)).accessToken).toBeTruthy();
  });
});
