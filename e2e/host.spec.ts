import { appFrame, appOriginDump, authorizationHash, expect, ENGINE_NEUTRAL } from './fixtures.js';
import {
  askReadyAgain,
  callHostApi,
  handoffMessage,
  hostApiCalls,
  hostLog,
  openHost,
  postToProxyFrames,
  recordAppMessages,
  releaseAndExpectHostsId,
  sessionIdMessage,
  test,
} from './hostPage.js';
import { defined } from '@tokenvault/test-support';

// The direct handoff (the proxy's default `hostSession.handoff: 'direct'`): the sample host page
// (serveHostSession) hands the ID to the proxy frame inside the app's frame, at the proxy origin.
// The 'app-window' compatibility mode is in host-compat.spec.ts, the swap attempts in host-swap.spec.ts.
test.describe('the host session handoff, direct to the proxy frame', () => {
  test('the handshake works with the app embedded cross-site', async ({ page, devHost }) => {
    const app = await openHost(page, devHost);
    await expect(app.locator('#host-session')).toHaveText('held by the vault');
    await expect(page.locator('#log')).toContainText('the app is ready');
    await expect(page.locator('#log')).toContainText('handed it the session ID');
    await expect(page.locator('#log')).toContainText('the vault took it');
    await expect(page.locator('#log')).not.toContainText('ignored');
    // The app is told that there is a host session, not what it is.
    await expect(app.locator('#events')).toContainText('host-session');
    // The app is cross-site to its host, and its vault runs there (partitioned storage).
    await expect(app.locator('#status')).toHaveText('ready');
  });

  test('the host API call gets the session ID in the Authorization header, from the proxy', { tag: ENGINE_NEUTRAL }, async ({ page, devHost }) => {
    const app = await openHost(page, devHost);
    await expect(app.locator('#host-session')).toHaveText('held by the vault');
    await callHostApi(app);
    await expect(app.locator('#api-response')).toContainText('"status": 200');
    await expect(app.locator('#api-response')).toContainText('"session": "valid"');
    const calls = hostApiCalls(devHost);
    expect(calls).toHaveLength(1);
    expect(calls[0].authorization?.sha256).toBe(authorizationHash(devHost.vault.hostSessionId));
    expect(calls[0].headers.origin).toBe(devHost.vault.origins.proxy);
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
    expect(await app.evaluate(() => JSON.stringify({ demo: window.demo.config, events: window.demo.sessionEvents, body: document.body.innerText }))).not.toContain(
      devHost.vault.hostSessionId,
    );
  });

  test('app-origin script that listens and asks "ready" again receives no session ID, before and after the handoff', async ({ page, devHost }) => {
    const { host } = devHost.vault.origins;
    const app = await openHost(page, devHost, '?hold');
    await expect(app.locator('#host-session')).toHaveText('waiting for the host…');
    // The attacker's listener, and the compatibility "ready" the old sample answered every time.
    const recorded = await recordAppMessages(app);
    await askReadyAgain(app, host);
    await expect.poll(async () => (await hostLog(page)).filter((line) => line === 'ignored a message (app)').length).toBe(3);

    await page.evaluate(() => {
      window.host.release();
    });
    await expect(app.locator('#host-session')).toHaveText('held by the vault');
    await askReadyAgain(app, host);
    await expect.poll(async () => (await hostLog(page)).filter((line) => line === 'ignored a message (app)').length).toBe(6);
    await callHostApi(app);
    await expect(app.locator('#api-response')).toContainText('"session": "valid"');

    const messages = await recorded();
    expect(JSON.stringify(messages)).not.toContain(devHost.vault.hostSessionId);
    // Nothing at all came to the app's window from the host: the ID went to the proxy frame.
    expect(messages.filter((message) => message.origin === host)).toEqual([]);
    expect((await hostLog(page)).filter((line) => line === 'handed it the session ID')).toHaveLength(1);
  });

  test("a session_id the host posts to the app's window is not taken (no app-window path in 'direct')", async ({ page, devHost }) => {
    const { host } = devHost.vault.origins;
    const app = await openHost(page, devHost, '?hold');
    await expect(app.locator('#host-session')).toHaveText('waiting for the host…');
    // The vault has said hello (its handoff mode is known): a listener it would set is in place.
    await expect(app.locator('#status')).toHaveText('ready');
    const recorded = await recordAppMessages(app);
    await page.evaluate(
      ({ message, target }) => {
        const app = (document.getElementById('app') as HTMLIFrameElement).contentWindow;
        if (!app) throw new Error('no app frame');
        app.postMessage(message, target);
      },
      { message: sessionIdMessage('posted-to-the-app-window'), target: devHost.vault.origins.app },
    );
    // Processed: the message was dispatched on the app's window (where the vault would listen) ...
    await expect.poll(async () => (await recorded()).filter((message) => message.origin === host && message.data.includes('posted-to-the-app-window')).length).toBe(1);
    // ... and a request on the vault's channel sent after it has been answered by the proxy: what the
    // vault would have handed over on that channel has been handled by now.
    await app.evaluate(async () => {
      await window.demo.vault.status();
    });
    await expect(app.locator('#host-session')).toHaveText('waiting for the host…');
    // Not taken: the host's own handoff still goes through, and its ID is the one the API sees.
    await releaseAndExpectHostsId(page, app, devHost);
  });

  test('a second handoff from the host itself is refused with TV_HOST_SESSION_ALREADY_SET; the first stays', { tag: ENGINE_NEUTRAL }, async ({ page, devHost }) => {
    const { proxy } = devHost.vault.origins;
    const app = await openHost(page, devHost);
    await expect(app.locator('#host-session')).toHaveText('held by the vault');
    // The real parent, at the host origin, well-formed: still the second one.
    const answer = await postToProxyFrames(page, 'own-frame', handoffMessage('a-second-session-id'), proxy);
    expect(answer).toMatchObject({ type: 'host-session-refused', error: 'TV_HOST_SESSION_ALREADY_SET' });
    await expect(page.locator('#log')).toContainText('could not answer: TV_HOST_SESSION_ALREADY_SET');
    await callHostApi(app);
    await expect(app.locator('#api-response')).toContainText('"session": "valid"');
    expect(hostApiCalls(devHost).map((call) => call.authorization?.sha256)).toEqual([authorizationHash(devHost.vault.hostSessionId)]);
  });

  test('a handoff from a sibling frame at the host origin is refused with TV_ORIGIN_REJECTED', async ({ page, devHost }) => {
    const { host, proxy } = devHost.vault.origins;
    const app = await openHost(page, devHost, '?hold');
    await expect(app.locator('#host-session')).toHaveText('waiting for the host…');
    // A second frame of the host page, same origin as the host: a sibling of the app's frame.
    await page.evaluate((url) => {
      const sibling = document.createElement('iframe');
      sibling.src = url;
      document.body.append(sibling);
      return new Promise((resolve) => {
        sibling.addEventListener('load', resolve, { once: true });
      });
    }, `${host}/blank`);
    const sibling = defined(page.frames().find((frame) => frame.url() === `${host}/blank`));
    const answer = await postToProxyFrames(sibling, 'parent-frame', handoffMessage('a-sibling-session-id'), proxy);
    expect(answer).toMatchObject({ type: 'host-session-refused', error: 'TV_ORIGIN_REJECTED' });
    await expect(app.locator('#host-session')).toHaveText('waiting for the host…');

    await releaseAndExpectHostsId(page, app, devHost);
  });

  test('a handoff from another window at the host origin (a popup) is refused with TV_ORIGIN_REJECTED', async ({ page, context, devHost }) => {
    const { host, proxy } = devHost.vault.origins;
    const app = await openHost(page, devHost, '?hold');
    await expect(app.locator('#host-session')).toHaveText('waiting for the host…');
    const popupEvent = context.waitForEvent('page');
    await page.evaluate((url) => void window.open(url), `${host}/blank`);
    const popup = await popupEvent;
    await popup.waitForLoadState();
    const answer = await postToProxyFrames(popup, 'opener-frame', handoffMessage('a-popup-session-id'), proxy);
    expect(answer).toMatchObject({ type: 'host-session-refused', error: 'TV_ORIGIN_REJECTED' });

    await releaseAndExpectHostsId(page, app, devHost);
  });

  test('a handoff from http://evil.localhost is refused with TV_ORIGIN_REJECTED', async ({ page, context, devHost }) => {
    const { host, evil, proxy } = devHost.vault.origins;
    await page.goto(`${evil}/`);
    const popupEvent = context.waitForEvent('page');
    await page.evaluate((url) => void ((window as unknown as { victim: Window | null }).victim = window.open(url)), `${host}/?hold`);
    const hostPage = await popupEvent;
    const app = await appFrame(hostPage, devHost);
    await expect(app.locator('#host-session')).toHaveText('waiting for the host…');
    await expect(app.locator('#status')).toHaveText('ready');
    // The attacker reaches the proxy frame through the host window it opened, and addresses it
    // exactly (it knows the proxy origin).
    const answer = await postToProxyFrames(page, 'victim-frame', handoffMessage('an-evil-session-id'), proxy);
    expect(answer).toMatchObject({ type: 'host-session-refused', error: 'TV_ORIGIN_REJECTED' });
    await expect(app.locator('#host-session')).toHaveText('waiting for the host…');

    await releaseAndExpectHostsId(hostPage, app, devHost);
    expect(devHost.vault.requestLog.find('evil', '/collect')).toHaveLength(0);
  });

  const malformed: [string, unknown, string][] = [
    ['a session ID longer than 4096 characters', handoffMessage('a'.repeat(4097)), 'TV_MALFORMED_MESSAGE'],
    ['a session ID with a space', handoffMessage('abc def'), 'TV_MALFORMED_MESSAGE'],
    ['a session ID with CR LF (header injection)', handoffMessage('abc\r\nX-Injected: 1'), 'TV_MALFORMED_MESSAGE'],
    ['an empty session ID', handoffMessage(''), 'TV_MALFORMED_MESSAGE'],
    ['a session ID that is a number', handoffMessage(12345), 'TV_MALFORMED_MESSAGE'],
    ['an extra field', { ...handoffMessage('abc'), header: 'cookie' }, 'TV_MALFORMED_MESSAGE'],
    ['another protocol version', { ...handoffMessage('abc'), v: 'tokenvault/2' }, 'TV_VERSION_MISMATCH'],
  ];
  // One host page, every malformed handoff in turn (each a step): each is refused with its code and
  // changes nothing, so the host's own handoff still works after all of them.
  test('a malformed handoff is refused with its code and changes nothing', { tag: ENGINE_NEUTRAL }, async ({ page, devHost }) => {
    const app = await openHost(page, devHost, '?hold');
    await expect(app.locator('#host-session')).toHaveText('waiting for the host…');
    for (const [name, message, code] of malformed) {
      await test.step(`${name}: ${code}`, async () => {
        const answer = await postToProxyFrames(page, 'own-frame', message, devHost.vault.origins.proxy);
        expect(answer).toMatchObject({ type: 'host-session-refused', error: code });
        // The refusal does not repeat what was sent.
        expect(JSON.stringify(answer)).not.toContain('abc');
        await expect(app.locator('#host-session')).toHaveText('waiting for the host…');
      });
    }
    await releaseAndExpectHostsId(page, app, devHost);
  });
});
