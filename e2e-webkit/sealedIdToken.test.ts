import { PROTOCOL_VERSION } from '@tokenvault/protocol';
import { By } from 'selenium-webdriver';
import { describe, expect, test } from 'vitest';
import { storedTokens, text, useWebKit } from './harness.js';
import { defined } from '@tokenvault/test-support';
import { sealedSignIn } from './sealedSignIn.js';

// e2e/sealed-id-token.spec.ts in WebKitGTK: sealed mode hands app script no signed ID token (one
// is a credential wherever ID tokens are accepted: token exchange, workload identity federation).
// The attacker is script in the app origin; it tries the two paths that carried one.

/** A JWS (header.payload.signature), wherever it sits in a text. */
const JWS = /eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+/;

describe('WebKit: sealed mode, no signed ID token in app script’s hands', () => {
  const wk = useWebKit({ demo: 'sealed' });

  test('app script sends a refresh grant (refresh_token=REDACTED, the vault’s client_id) through the worker: the answer carries no ID token', async () => {
    const { driver, devHost } = wk;
    await sealedSignIn(wk);
    const idToken = defined(defined(await storedTokens(wk)).idToken);
    const answer = await driver.executeScript<string>(
      `return fetch(arguments[0] + '/token', {
         method: 'POST',
         headers: { 'content-type': 'application/x-www-form-urlencoded' },
         body: 'grant_type=refresh_token&refresh_token=REDACTED&client_id=sealed',
       }).then(async (response) => response.status + ' ' + (await response.text()))`,
      devHost.vault.origins.op,
    );
    // The vault refuses it (sealed mode: the app sends no grant of its own) and no signed token is in it.
    expect(answer).toMatch(/^403 .*TV_SEALED_MODE/);
    expect(answer).not.toMatch(JWS);
    expect(answer).not.toContain(idToken.split('.')[1]);
  });

  test('app script connects a port of its own to the proxy frame and asks for a logout: the end-session URL names the client, not the ID token', async () => {
    const { driver, devHost } = wk;
    const { proxy, app } = devHost.vault.origins;
    await sealedSignIn(wk);
    const idToken = defined(defined(await storedTokens(wk)).idToken);
    const reply = await driver.executeScript<string>(
      `const [proxy, app, v] = arguments;
       const frame = [...document.querySelectorAll('iframe')].find((f) => f.src.startsWith(proxy));
       if (!frame || !frame.contentWindow) throw new Error('no proxy frame');
       const { port1, port2 } = new MessageChannel();
       const messages = [];
       const answered = new Promise((resolve) => {
         port1.onmessage = (event) => {
           messages.push(event.data);
           if (event.data.type === 'hello') port1.postMessage({ v, type: 'logout', id: 1, postLogoutRedirectUri: app + '/' });
           if (event.data.id === 1) resolve();
         };
       });
       frame.contentWindow.postMessage({ v, type: 'connect', role: 'page' }, proxy, [port2]);
       return answered.then(() => JSON.stringify(messages));`,
      proxy,
      app,
      PROTOCOL_VERSION,
    );
    expect(reply).toContain('endSessionUrl');
    expect(reply).not.toMatch(JWS);
    expect(reply).not.toContain(idToken.split('.')[1]);
    expect(reply).not.toContain('id_token_hint');
  });

  test('the demo’s sign-out ends the OP session with client_id and post_logout_redirect_uri, no id_token_hint', async () => {
    const { driver, devHost } = wk;
    const { op, app } = devHost.vault.origins;
    await sealedSignIn(wk);
    await driver.findElement(By.id('sign-out')).click();
    await expect.poll(() => driver.getCurrentUrl(), { timeout: 20_000 }).toMatch(new RegExp(`^${op}/session/end`));
    const endSession = new URL(await driver.getCurrentUrl());
    expect(endSession.searchParams.get('id_token_hint')).toBeNull();
    expect(endSession.searchParams.get('client_id')).toBe('sealed');
    // The OP accepts it: its confirmation page, then back to the registered post-logout URI.
    await driver.findElement(By.xpath("//button[normalize-space()='Yes, sign me out']")).click();
    await expect.poll(() => driver.getCurrentUrl(), { timeout: 20_000 }).toBe(`${app}/`);
    await expect.poll(() => text(driver, '#status'), { timeout: 20_000 }).toBe('ready');
    // The OP's session is gone: a new sign-in meets its login form again (sealedSignIn fills it).
    await sealedSignIn(wk);
  });
});
