import type { BrowserContext, Page } from '@playwright/test';
import type { FastifyInstance } from 'fastify';
import { ENGINE_NEUTRAL, apiCalls, appOriginDump, authorizationHash, expect, jwtClaims, storedTokens, test as base, type StoredTokens } from './fixtures.js';
import { GLEWLWYD_USER, glewlwydInstalled, startGlewlwyd, type Glewlwyd } from './glewlwyd.js';
import { defined } from '@tokenvault/test-support';
import { vaultEvents } from './sealedFixtures.js';

// The kit against a real OP nobody here wrote: Debian's Glewlwyd 2.7 (e2e/glewlwyd.ts starts and
// configures it), in sealed and drop-in mode, through its own login and consent pages. What it
// needed and where it stops: docs/ops.md.

type Mode = 'sealed' | 'drop-in';

const test = base.extend<object, { glewlwyd: Glewlwyd; mode: Mode }>({
  mode: ['sealed', { scope: 'worker', option: true }],
  glewlwyd: [
    async ({ mode }, use, workerInfo) => {
      const base = Number(process.env.E2E_PORT_BASE ?? 8180);
      const devPort = base + workerInfo.parallelIndex;
      // Glewlwyd of worker i listens on E2E_GLEWLWYD_PORT_BASE (E2E_PORT_BASE + 70) + i.
      const port = Number(process.env.E2E_GLEWLWYD_PORT_BASE ?? base + 70) + workerInfo.parallelIndex;
      // Each demo has an app origin of its own (sealed mode's deployment rule); `demo` redirects to the drop-in one.
      const glewlwyd = await startGlewlwyd({
        port,
        appOrigin: `http://${mode === 'drop-in' ? 'dropin' : 'app'}.vault.localhost:${devPort}`,
        proxyOrigin: `http://proxy.vault.localhost:${devPort}`,
      });
      await use(glewlwyd);
      await glewlwyd.stop();
    },
    { scope: 'worker' },
  ],
  // Plain bearer tokens: this Glewlwyd has DPoP off.
  devHostOptions: [async ({ glewlwyd, mode }, use) => use({ demo: mode, dpop: false, externalOp: { issuer: glewlwyd.issuer, jwksUrl: glewlwyd.jwksUrl } }), { scope: 'test' }],
});

/**
 * Glewlwyd's own pages (a JS app): its login form, then its consent page for the scopes asked (or,
 * once the user granted them to this client, its "Connection to <client>" page), then Continue.
 */
async function glewlwydLogin(page: Page, glewlwyd: Glewlwyd, clientId: string): Promise<void> {
  await page.waitForURL(`${glewlwyd.origin}/login.html?**`);
  // Typed, key by key: its form reads key events, and in Firefox a fill() alone leaves it empty.
  // Slow when the machine is loaded: a key press is a round trip to the browser.
  await page.getByPlaceholder('Your username').pressSequentially(GLEWLWYD_USER.username, { timeout: 30_000 });
  await page.getByPlaceholder('Your password').pressSequentially(GLEWLWYD_USER.password, { timeout: 30_000 });
  await page.getByRole('button', { name: 'OK' }).click();
  const consent = page.getByText('Client access grant');
  await expect(consent.or(page.getByText(`Connection to ${clientId}`))).toBeVisible();
  if (await consent.isVisible()) {
    // openid is checked already, and cannot be unchecked.
    for (const scope of ['profile', 'api']) await page.getByLabel(scope, { exact: true }).check();
    await page.getByRole('button', { name: 'Grant access' }).click();
  }
  await page.getByRole('button', { name: 'Continue' }).click();
}

async function signIn(page: Page, devHost: FastifyInstance, glewlwyd: Glewlwyd, mode: Mode): Promise<StoredTokens> {
  await page.goto(`${devHost.vault.origins.app}/`);
  await expect(page.locator('#status')).toHaveText('ready');
  await page.locator('#sign-in').click();
  await glewlwydLogin(page, glewlwyd, mode === 'sealed' ? 'sealed' : 'demo');
  await page.waitForURL(`${devHost.vault.origins.app}/**`);
  if (mode === 'sealed') await expect(page.locator('#claims')).toContainText(`"iss": "${glewlwyd.issuer}"`);
  else await expect(page.locator('#token-response')).toContainText('"access_token": "REDACTED"');
  return defined(await storedTokens(page, devHost));
}

async function callApi(page: Page): Promise<void> {
  await page.locator('#call-api').click();
  await expect(page.locator('#api-response')).toContainText('"status": 200');
}

/** The last call the sample API got carried the vault's token (the API checked it against Glewlwyd's JWKS). */
function lastApiToken(devHost: FastifyInstance): string | undefined {
  return apiCalls(devHost, '/v1/profile').at(-1)?.authorization?.sha256;
}

/** The app origin holds none of the tokens: its storage and cookies, and what the page shows. */
async function appOriginText(page: Page, context: BrowserContext): Promise<string> {
  return (await appOriginDump(page, context)) + (await page.content());
}

/** Glewlwyd's token endpoint, asked outside the browser (Node reaches it on 127.0.0.1). */
async function refreshAtGlewlwyd(glewlwyd: Glewlwyd, clientId: string, refreshToken: string): Promise<number> {
  const response = await fetch(glewlwyd.jwksUrl.replace(/\/jwks$/, '/token'), {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'refresh_token', client_id: clientId, refresh_token: refreshToken }),
  });
  await response.body?.cancel();
  return response.status;
}

/** What the vault's logout came to, without going on to the end-session page. */
function logout(page: Page, mode: Mode): Promise<{ revocation: string; revocationStatus?: number }> {
  return page.evaluate((mode) => (mode === 'sealed' ? window.sealedDemo.vault.signOut({ endSession: false }) : window.demo.vault.logout({ endSession: false })), mode);
}

/**
 * The Glewlwyd tests of one mode (e2e/glewlwyd-sealed.spec.ts, e2e/glewlwyd-drop-in.spec.ts: the
 * mode is the dev host's, one per worker).
 */
export function glewlwydTests(mode: Mode): void {
  test.use({ mode });
  test.skip(!glewlwydInstalled() && !process.env.CI, 'the Debian package glewlwyd is not installed (scripts/ensure-browsers.mjs installs it as root)');
  test.describe(`Glewlwyd 2.7 (Debian), ${mode} mode`, () => {
    // Glewlwyd's login and consent pages are a 400 kB JS app: on the shared 2-core machine (load
    // 35) one sign-in took up to a minute in Firefox, past the suite's 45 s.
    test.slow();
    const clientId = mode === 'sealed' ? 'sealed' : 'demo';
    // What Glewlwyd does with refresh, revocation and its check frame is the OP's, the same in both
    // modes: Firefox runs it in sealed mode (the frames are the proxy's there), Chromium in both.
    const sameInBothModes = mode === 'drop-in' ? { tag: ENGINE_NEUTRAL } : {};

    test("sign-in through Glewlwyd's login and consent pages; the app holds no token; the API answers 200 with the vault's token", async ({ page, context, devHost, glewlwyd }) => {
      const tokens = await signIn(page, devHost, glewlwyd, mode);
      // Glewlwyd's own tokens: an RS256 at+jwt for this client, and its opaque refresh token.
      expect(jwtClaims(tokens.accessToken)).toMatchObject({ iss: glewlwyd.issuer, client_id: clientId, scope: 'openid profile api' });
      expect(tokens.refreshToken).toBeTruthy();
      await callApi(page);
      expect(lastApiToken(devHost)).toBe(authorizationHash(`Bearer ${tokens.accessToken}`));
      const appOrigin = await appOriginText(page, context);
      for (const token of [tokens.accessToken, tokens.refreshToken]) expect(appOrigin).not.toContain(defined(token));
    });

    test('refresh: on the API 401 the vault refreshes at Glewlwyd, which rotates the refresh token', sameInBothModes, async ({ page, devHost, glewlwyd }) => {
      const before = await signIn(page, devHost, glewlwyd, mode);
      // The API refuses the current access token (as if revoked): the vault refreshes once and retries.
      devHost.vault.api.deniedJti.add(String(jwtClaims(before.accessToken).jti));
      await callApi(page);
      const after = defined(await storedTokens(page, devHost));
      expect(after.accessToken).not.toBe(before.accessToken);
      expect(after.refreshToken).not.toBe(before.refreshToken);
      expect(lastApiToken(devHost)).toBe(authorizationHash(`Bearer ${after.accessToken}`));
      // Rotation is Glewlwyd's: the refresh token the vault gave up is dead there.
      expect(await refreshAtGlewlwyd(glewlwyd, clientId, defined(before.refreshToken))).toBe(400);
    });

    test(
      'logout: Glewlwyd refuses the revocation (401, empty body: it revokes for confidential clients only), and the app is told so',
      sameInBothModes,
      async ({ page, devHost, glewlwyd }) => {
        await signIn(page, devHost, glewlwyd, mode);
        if (mode === 'drop-in') {
          // The library's own revocation request through the worker: the OP's 401 and a code, never a 502.
          const endpoint = `${glewlwyd.issuer}/revoke`;
          const answer = await page.evaluate(
            async ({ endpoint, clientId }) => {
              const response = await fetch(endpoint, { method: 'POST', body: new URLSearchParams({ token: 'REDACTED', token_type_hint: 'refresh_token', client_id: clientId }) });
              return { status: response.status, body: await response.text() };
            },
            { endpoint, clientId },
          );
          expect(answer.status).toBe(401);
          expect(JSON.parse(answer.body)).toMatchObject({ error: 'TV_REVOCATION_REFUSED' });
          // Refused: the tokens stay, so that a retry can succeed.
          expect(await storedTokens(page, devHost)).not.toBeNull();
        }
        expect(await logout(page, mode)).toMatchObject({ revocation: 'refused', revocationStatus: 401 });
        expect(await storedTokens(page, devHost)).toBeNull();
        if (mode === 'sealed') await expect.poll(() => vaultEvents(page)).toContain('signed-out: logout');
      },
    );

    test(
      "session watch: Glewlwyd's check_session_iframe answers only pages on its own host, so the check fails; the vault stays signed in and says why",
      sameInBothModes,
      async ({ page, context, devHost, glewlwyd }) => {
        // A sign-in, then a session check that has to run out of time before the test can see it fail.
        await signIn(page, devHost, glewlwyd, mode);
        // Glewlwyd 2.7's check_session_iframe answers a message only when the sender's origin
        // contains its own host (`origin.indexOf(location.host)`): the proxy frame (sealed) and the
        // app page (drop-in) never get an answer, and the check times out.
        if (mode === 'sealed') {
          await expect.poll(() => vaultEvents(page), { timeout: 30_000 }).toContain('error: TV_SESSION_CHECK_FAILED');
          await expect(page.locator('#error')).toContainText('checkSessionTimeout');
          expect((await vaultEvents(page)).filter((event) => event.startsWith('signed-out'))).toEqual([]);
        } else {
          await expect.poll(() => page.evaluate(() => window.demo.sessionEvents), { timeout: 30_000 }).toContain('error: TV_SESSION_CHECK_FAILED');
          expect(await page.evaluate(() => window.demo.sessionEvents.filter((event) => event.startsWith('signedOut')))).toEqual([]);
        }
        // Still signed in: a blind session frame never costs the user the session.
        await callApi(page);
        expect(await storedTokens(page, devHost)).not.toBeNull();

        // The same frame does answer a page on Glewlwyd's own host: the bug is the origin check.
        const own = await context.newPage();
        await own.goto(`${glewlwyd.origin}/login.html`);
        const answer = await own.evaluate(async (src) => {
          const frame = document.createElement('iframe');
          frame.src = src;
          await new Promise((resolve) => {
            frame.onload = resolve;
            document.body.append(frame);
          });
          return new Promise<unknown>((resolve) => {
            window.addEventListener('message', (event) => {
              if (event.source === frame.contentWindow) resolve(event.data);
            });
            frame.contentWindow?.postMessage('some-client not-the-state.salt', new URL(src).origin);
          });
        }, `${glewlwyd.issuer}/check_session_iframe`);
        expect(['changed', 'unchanged']).toContain(answer);
      },
    );
  });
}
