import { appFrame, appOriginDump, authorizationHash, expect } from './fixtures.js';
import { callHostApi, hostApiCalls, openHost, probeMessages, sessionIdMessage, test } from './hostPage.js';

test.describe('the host session handoff ("ready" / "session_id")', () => {
  test('the handshake works with the app embedded cross-site', async ({ page, devHost }) => {
    const app = await openHost(page, devHost);
    await expect(app.locator('#host-session')).toHaveText('held by the vault');
    await expect(page.locator('#log')).toContainText('the app is ready');
    await expect(page.locator('#log')).toContainText('handed it the session ID');
    await expect(page.locator('#log')).not.toContainText('ignored');
    // The app is cross-site to its host, and its vault runs there (partitioned storage).
    await expect(app.locator('#status')).toHaveText('ready');
  });

  test('the host API call gets the session ID in the Authorization header, from the proxy', async ({ page, devHost }) => {
    const app = await openHost(page, devHost);
    await expect(app.locator('#host-session')).toHaveText('held by the vault');
    await callHostApi(app);
    await expect(app.locator('#api-response')).toContainText('"status": 200');
    await expect(app.locator('#api-response')).toContainText('"session": "valid"');
    const calls = hostApiCalls(devHost);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.authorization?.sha256).toBe(authorizationHash(devHost.vault.hostSessionId));
    expect(calls[0]!.headers.origin).toBe(devHost.vault.origins.proxy);
  });

  test("the session ID is never in the app origin's storage", async ({ page, context, devHost }) => {
    const app = await openHost(page, devHost);
    await expect(app.locator('#host-session')).toHaveText('held by the vault');
    await callHostApi(app);
    await expect(app.locator('#api-response')).toContainText('"session": "valid"');
    const dump = await appOriginDump(app, context);
    expect(dump.length).toBeGreaterThan(0);
    expect(dump).not.toContain(devHost.vault.hostSessionId);
    // Nor anywhere the app's script can reach on its window.
    expect(await app.evaluate(() => JSON.stringify({ demo: window.demo.config, events: window.demo.sessionEvents, body: document.body.innerText }))).not.toContain(devHost.vault.hostSessionId);
  });

  test('a second session_id is ignored', async ({ page, devHost }) => {
    const { app: appOrigin, host } = devHost.vault.origins;
    const app = await openHost(page, devHost);
    await expect(app.locator('#host-session')).toHaveText('held by the vault');
    const probed = await probeMessages(app, host);
    // The real parent, at the host origin, with a well-formed message: still the second one.
    await page.evaluate(
      ({ message, target }) => (document.getElementById('app') as HTMLIFrameElement).contentWindow!.postMessage(message, target),
      { message: sessionIdMessage('a-second-session-id'), target: appOrigin },
    );
    await expect.poll(probed).toBe(1);
    await callHostApi(app);
    await expect(app.locator('#api-response')).toContainText('"session": "valid"');
    expect(hostApiCalls(devHost).map((call) => call.authorization?.sha256)).toEqual([authorizationHash(devHost.vault.hostSessionId)]);
  });

  test('a session_id from another window at the host origin is ignored', async ({ page, context, devHost }) => {
    const { app: appOrigin, host } = devHost.vault.origins;
    const app = await openHost(page, devHost, '?hold');
    await expect(app.locator('#host-session')).toHaveText('waiting for the host…');
    const popupEvent = context.waitForEvent('page');
    await page.evaluate((url) => void window.open(url), `${host}/blank`);
    const popup = await popupEvent;
    await popup.waitForLoadState();
    // Same origin as the host, but not the app's parent window.
    await popup.evaluate(
      ({ message, target }) => window.opener.frames[0].postMessage(message, target),
      { message: sessionIdMessage('a-sibling-session-id'), target: appOrigin },
    );
    await expect(app.locator('#host-ignored')).toContainText('last: source');
    await expect(app.locator('#host-session')).toHaveText('waiting for the host…');

    await page.evaluate(() => window.host.release());
    await expect(app.locator('#host-session')).toHaveText('held by the vault');
    await callHostApi(app);
    await expect(app.locator('#api-response')).toContainText('"session": "valid"');
    expect(hostApiCalls(devHost).map((call) => call.authorization?.sha256)).toEqual([authorizationHash(devHost.vault.hostSessionId)]);
  });

  test('a session_id from http://evil.localhost is ignored', async ({ page, context, devHost }) => {
    const { host, evil } = devHost.vault.origins;
    await page.goto(`${evil}/`);
    const popupEvent = context.waitForEvent('page');
    await page.evaluate((url) => void ((window as unknown as { victim: Window | null }).victim = window.open(url)), `${host}/?hold`);
    const hostPage = await popupEvent;
    const app = await appFrame(hostPage, devHost);
    await expect(app.locator('#host-session')).toHaveText('waiting for the host…');
    // The attacker reaches the app's window through the host window it opened and addresses it
    // exactly (it knows the app's origin), as the widely copied sample would let it.
    await page.evaluate(
      ({ message, target }) => (window as unknown as { victim: Window }).victim.frames[0]!.postMessage(message, target),
      { message: sessionIdMessage('an-evil-session-id'), target: devHost.vault.origins.app },
    );
    await expect(app.locator('#host-ignored')).toContainText('last: origin');
    await expect(app.locator('#host-session')).toHaveText('waiting for the host…');

    await hostPage.evaluate(() => window.host.release());
    await expect(app.locator('#host-session')).toHaveText('held by the vault');
    await callHostApi(app);
    await expect(app.locator('#api-response')).toContainText('"session": "valid"');
    expect(hostApiCalls(devHost).map((call) => call.authorization?.sha256)).toEqual([authorizationHash(devHost.vault.hostSessionId)]);
    expect(devHost.vault.requestLog.find('evil', '/collect')).toHaveLength(0);
  });

  const malformed: [string, unknown][] = [
    ['a session ID longer than 512 characters', sessionIdMessage('a'.repeat(513))],
    ['a session ID with a space', sessionIdMessage('abc def')],
    ['a session ID with CR LF (header injection)', sessionIdMessage('abc\r\nX-Injected: 1')],
    ['an empty session ID', sessionIdMessage('')],
    ['a session ID that is a number', sessionIdMessage(12345)],
    ['another message_id', JSON.stringify({ message_id: 'theme', data: { session_id: 'abc' } })],
    ['a string that is not JSON', '{"message_id":"session_id",'],
    ['an object without data', { message_id: 'session_id' }],
  ];
  for (const [name, message] of malformed) {
    test(`a session_id message with ${name} is ignored`, async ({ page, devHost }) => {
      const app = await openHost(page, devHost, '?hold');
      await expect(app.locator('#host-session')).toHaveText('waiting for the host…');
      await page.evaluate(
        ({ data, target }) => (document.getElementById('app') as HTMLIFrameElement).contentWindow!.postMessage(data, target),
        { data: message, target: devHost.vault.origins.app },
      );
      await expect(app.locator('#host-ignored')).toContainText('last: malformed');
      await page.evaluate(() => window.host.release());
      await expect(app.locator('#host-session')).toHaveText('held by the vault');
    });
  }

  test('the session_id may come as an object instead of a JSON string', async ({ page, devHost }) => {
    const app = await openHost(page, devHost, '?hold');
    await expect(app.locator('#host-session')).toHaveText('waiting for the host…');
    await page.evaluate(
      ({ data, target }) => (document.getElementById('app') as HTMLIFrameElement).contentWindow!.postMessage(data, target),
      { data: { message_id: 'session_id', data: { session_id: devHost.vault.hostSessionId } }, target: devHost.vault.origins.app },
    );
    await expect(app.locator('#host-session')).toHaveText('held by the vault');
    await callHostApi(app);
    await expect(app.locator('#api-response')).toContainText('"session": "valid"');
  });
});

