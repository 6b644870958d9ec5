import { describe, expect, test } from 'vitest';
import { inProxyFrame, login, openApp, pageFetch, storedTokens, text, useWebKit } from './harness.js';
import { openSignInWindow, vaultEvents } from './sealedSignIn.js';

// An OP whose pages send Cross-Origin-Opener-Policy: same-origin, in WebKitGTK. The sign-in window
// loses window.opener at the OP; WebKit partitions the proxy frame's BroadcastChannel and storage
// by the top-level page (measured), so the callback hands the response over in a short-lived
// cookie of the proxy origin, which the same-site proxy frame reads (measured). The redirect flow
// is not run here: WebKit's partitioning keeps it from signing in with or without COOP
// (e2e-webkit/sealed.test.ts, "measured").

describe('WebKit: COOP on the OP', () => {
  const wk = useWebKit({ demo: 'sealed', opCoop: true });

  test("flow 'auto' (the popup in WebKit): the window is cut off, its result reaches the proxy frame in the proxy origin's cookie; signed in, the API called; the window never loads the app", async () => {
    const { driver, devHost } = wk;
    await openApp(wk);
    const { app, popup } = await openSignInWindow(wk, '#sign-in');
    expect(await driver.executeScript('return window.opener === null')).toBe(true);
    await login(driver);
    // The window ends on the proxy's own page (or closes itself): never on the app.
    await expect
      .poll(async () => ((await driver.getAllWindowHandles()).includes(popup) ? driver.getCurrentUrl() : 'closed'), { timeout: 20_000 })
      .toMatch(new RegExp(`^(closed|${devHost.vault.origins.proxy}/callback)$`));
    if ((await driver.getAllWindowHandles()).includes(popup)) {
      await expect.poll(() => text(driver, '#status'), { timeout: 10_000 }).toContain('You can close this window');
      await driver.close();
    }
    await driver.switchTo().window(app);
    await expect.poll(() => text(driver, '#user'), { timeout: 20_000 }).toBe('alice');
    expect(await vaultEvents(wk)).toEqual(['ready', 'signed-in']);
    expect(await storedTokens(wk)).not.toBeNull();
    expect((await pageFetch(driver, `${devHost.vault.origins.api}/v1/profile`)).status).toBe(200);
    expect(devHost.vault.requestLog.find('op', '/token').filter((entry) => entry.method === 'POST')).toHaveLength(1);
  });

  test('a forged hand-over cookie tossed from the app origin (a state the vault never issued) changes nothing; the real sign-in completes once', async () => {
    const { driver, devHost } = wk;
    await openApp(wk);
    const { app, popup } = await openSignInWindow(wk, '#sign-in');
    // The window is out: the proxy frame reads the hand-over cookie now. Script on the app origin
    // tosses one through the parent domain, with a code and a state of its own.
    const forged = new URLSearchParams({ code: 'forged-code', state: 'never-issued', iss: devHost.vault.origins.op }).toString();
    await driver.switchTo().window(app);
    await driver.executeScript(
      `document.cookie = 'tokenvault_sign_in=' + encodeURIComponent(arguments[0]) + '; Domain=' + location.hostname.split('.').slice(1).join('.') + '; Path=/'`,
      forged,
    );
    // It reaches the proxy frame's document.
    await expect
      .poll(() => inProxyFrame(wk, () => driver.executeScript<string>('return document.cookie')), { timeout: 10_000 })
      .toContain(`tokenvault_sign_in=${encodeURIComponent(forged)}`);
    await driver.switchTo().window(popup);
    await login(driver);
    await driver.switchTo().window(app);
    await expect.poll(() => text(driver, '#user'), { timeout: 20_000 }).toBe('alice');
    expect(await vaultEvents(wk)).toEqual(['ready', 'signed-in']);
    expect(devHost.vault.requestLog.find('op', '/token').filter((entry) => entry.method === 'POST')).toHaveLength(1);
  });

  test('the user closes the cut-off window at the OP: signIn() rejects with TV_SIGN_IN_TIMEOUT at its time limit; nothing stored', async () => {
    const { driver } = wk;
    await openApp(wk);
    // A button of the test's own: window.open needs a click's user activation.
    await driver.executeScript(`const b = document.createElement('button'); b.id = 'sign-in-short'; b.textContent = 'short'; document.body.append(b);
      b.onclick = () => window.sealedDemo.vault.signIn({ flow: 'popup', timeoutMs: 4000 }).then(() => window.sealedDemo.events.push('signIn() resolved'), (e) => window.sealedDemo.events.push('signIn() rejected ' + e.code));`);
    const { app } = await openSignInWindow(wk, '#sign-in-short');
    await driver.close();
    await driver.switchTo().window(app);
    await expect.poll(() => vaultEvents(wk), { timeout: 15_000 }).toEqual(['ready', 'signIn() rejected TV_SIGN_IN_TIMEOUT']);
    expect(await storedTokens(wk)).toBeNull();
  });
});
