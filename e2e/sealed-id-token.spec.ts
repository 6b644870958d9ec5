import { PROTOCOL_VERSION } from '@tokenvault/protocol';
import { expect, login, storedTokens, test, ENGINE_NEUTRAL } from './fixtures.js';
import { sealedSignIn } from './sealedFixtures.js';
import { defined } from '@tokenvault/test-support';

// Sealed mode hands the app no signed ID token: one is a credential wherever ID tokens are
// accepted (token exchange, workload identity federation), and the app has vault.user() for the
// claims. The attacker is script in the app origin; it tries the two paths that carried one.
test.use({ devHostOptions: { demo: 'sealed' } });

/** A JWS (header.payload.signature), wherever it sits in a text. */
const JWS = /eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+/;

test.describe('sealed mode: no signed ID token in app script’s hands', () => {
  test(
    'app script sends a refresh grant (refresh_token=REDACTED, the vault’s client_id) through the worker: the answer carries no ID token',
    { tag: ENGINE_NEUTRAL },
    async ({ page, devHost }) => {
      await sealedSignIn(page, devHost);
      const idToken = defined(defined(await storedTokens(page, devHost)).idToken);
      const answer = await page.evaluate(async ({ op }) => {
        const response = await fetch(`${op}/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: 'grant_type=refresh_token&refresh_token=REDACTED&client_id=sealed',
        });
        return `${response.status} ${await response.text()}`;
      }, devHost.vault.origins);
      // Whatever the vault answered (a refusal, or a redacted token response), no signed token is in it.
      expect(answer).not.toMatch(JWS);
      expect(answer).not.toContain(idToken.split('.')[1]);
    },
  );

  test('app script connects a port of its own to the proxy frame and asks for a logout: the end-session URL names the client, not the ID token', async ({ page, devHost }) => {
    const { proxy, app } = devHost.vault.origins;
    await sealedSignIn(page, devHost);
    const idToken = defined(defined(await storedTokens(page, devHost)).idToken);
    const reply = await page.evaluate(
      async ({ proxy, app, v }) => {
        const frame = [...document.querySelectorAll('iframe')].find((f) => f.src.startsWith(proxy));
        if (!frame?.contentWindow) throw new Error('no proxy frame');
        const { port1, port2 } = new MessageChannel();
        const messages: unknown[] = [];
        const answered = new Promise<void>((resolve) => {
          port1.onmessage = (event: MessageEvent) => {
            messages.push(event.data);
            const data = event.data as { type?: string; id?: number };
            if (data.type === 'hello') port1.postMessage({ v, type: 'logout', id: 1, postLogoutRedirectUri: `${app}/` });
            if (data.id === 1) resolve();
          };
        });
        frame.contentWindow.postMessage({ v, type: 'connect', role: 'page' }, proxy, [port2]);
        await answered;
        return JSON.stringify(messages);
      },
      { proxy, app, v: PROTOCOL_VERSION },
    );
    expect(reply).toContain('endSessionUrl');
    expect(reply).not.toMatch(JWS);
    expect(reply).not.toContain(idToken.split('.')[1]);
    expect(reply).not.toContain('id_token_hint');
  });

  test('the demo’s sign-out ends the OP session with client_id and post_logout_redirect_uri, no id_token_hint', async ({ page, devHost }) => {
    // Two sign-ins and a sign-out: Firefox takes longer than the default on a loaded machine.
    test.setTimeout(90_000);
    const { op, app } = devHost.vault.origins;
    await sealedSignIn(page, devHost);
    await page.locator('#sign-out').click();
    await page.waitForURL(`${op}/session/end**`);
    const endSession = new URL(page.url());
    expect(endSession.searchParams.get('id_token_hint')).toBeNull();
    expect(endSession.searchParams.get('client_id')).toBe('sealed');
    // The OP accepts it: its confirmation page, then back to the registered post-logout URI.
    await page.getByRole('button', { name: 'Yes, sign me out' }).click();
    await page.waitForURL(`${app}/`);
    await expect(page.locator('#status')).toHaveText('ready');
    // The OP's session is gone: a new sign-in meets its login form again.
    await page.locator('#sign-in').click();
    await page.waitForURL(`${op}/**`);
    await login(page);
    await page.waitForURL(`${app}/`);
    await expect(page.locator('#user')).toHaveText('alice');
  });
});
