import type { Frame, Page } from '@playwright/test';
import type { FastifyInstance } from 'fastify';
import { appFrame, authorizationHash, expect } from './fixtures.js';
import { askReadyAgain, attacker, callHostApi, hostApiCalls, openHost, recordAppMessages, releaseAndExpectHostsId, sessionIdMessage, test } from './hostPage.js';

// The 'app-window' compatibility mode (`hostSession: { handoff: 'app-window' }` in the proxy's
// configuration), for hosts we do not control: they post the seed's JSON string to the app's window.
// The vendor's page (apps/host/vendor.html) plays such a host: it answers every "ready", to "*" with
// ?target=star, else to the app's origin.
// The host holds its answer while a test posts its own messages: a slow engine under load needs
// more than the default 10 s before the vault gives up on the host.
test.use({ devHostOptions: { hostSessionHandoff: 'app-window', hostSessionTimeoutMs: 30_000 } });

/** Opens the vendor's host page; resolves once the app listens (it does once its proxy said hello, before ready). */
async function openVendor(page: Page, devHost: FastifyInstance, query: string): Promise<Frame> {
  const app = await openHost(page, devHost, query);
  await expect(app.locator('#status')).toHaveText('ready');
  return app;
}

test.describe("the 'app-window' compatibility mode", () => {
  for (const [target, query] of [
    ['"*"', 'vendor?target=star'],
    ['the app origin', 'vendor'],
  ] as const) {
    test(`a host that posts the seed's JSON string to ${target} hands the ID to the vault, and the host API call carries it`, async ({ page, devHost }) => {
      const app = await openHost(page, devHost, query);
      await expect(app.locator('#host-session')).toHaveText('held by the vault');
      await expect(page.locator('#log')).toContainText(`posted the session ID to ${target}`);
      await expect(app.locator('#events')).toContainText('host-session');
      await callHostApi(app);
      await expect(app.locator('#api-response')).toContainText('"session": "valid"');
      const calls = hostApiCalls(devHost);
      expect(calls.map((call) => call.authorization?.sha256)).toEqual([authorizationHash(devHost.vault.hostSessionId)]);
      expect(calls[0].headers.origin).toBe(devHost.vault.origins.proxy);
    });
  }

  // What the README's threat model says of this mode, proven: the ID passes through the app's window.
  test('app-origin script can read the ID as it passes, and ask a host that answers every "ready" for it again', async ({ page, devHost }) => {
    const { host } = devHost.vault.origins;
    const app = await openVendor(page, devHost, 'vendor?hold');
    const recorded = await recordAppMessages(app);
    await page.evaluate(() => {
      window.host.release();
    });
    await expect(app.locator('#host-session')).toHaveText('held by the vault');
    await expect.poll(async () => (await recorded()).filter((message) => message.data.includes(devHost.vault.hostSessionId)).length).toBe(1);
    await askReadyAgain(app, host, 2);
    await expect.poll(async () => (await recorded()).filter((message) => message.data.includes(devHost.vault.hostSessionId)).length).toBe(3);
  });

  test("the proxy takes the first ID only: one from the app after the host's is refused with TV_HOST_SESSION_ALREADY_SET", async ({ page, devHost }) => {
    const app = await openHost(page, devHost, 'vendor');
    await expect(app.locator('#host-session')).toHaveText('held by the vault');
    await attacker.connect(app, devHost.vault.origins.proxy, 'vault');
    expect(await attacker.request(app, { type: 'host-session', sessionId: 'the-attackers-id' })).toMatchObject({ type: 'error', error: 'TV_HOST_SESSION_ALREADY_SET' });
    await callHostApi(app);
    await expect(app.locator('#api-response')).toContainText('"session": "valid"');
    expect(hostApiCalls(devHost).map((call) => call.authorization?.sha256)).toEqual([authorizationHash(devHost.vault.hostSessionId)]);
  });

  // Also in the threat model: in this mode the app is the channel, so script there that is first wins.
  test('app-origin script that is first can hand a proxy page an ID of its own (why this mode is not the default)', async ({ page, devHost }) => {
    const app = await openVendor(page, devHost, 'vendor?hold');
    await expect(app.locator('#status')).toHaveText('ready');
    await attacker.connect(app, devHost.vault.origins.proxy, 'vault');
    expect(await attacker.request(app, { type: 'host-session', sessionId: 'the-attackers-id' })).toMatchObject({ type: 'result' });
    // The vault says it holds a host session, and it is the attacker's.
    await expect(app.locator('#host-session')).toHaveText('held by the vault');
    await page.evaluate(() => {
      window.host.release();
    });
    await callHostApi(app);
    await expect(app.locator('#api-response')).toContainText('"status": 401');
    expect(hostApiCalls(devHost).map((call) => call.authorization?.sha256)).toEqual([authorizationHash('the-attackers-id')]);
  });

  test('a session_id from another window at the host origin is ignored', async ({ page, context, devHost }) => {
    const { app: appOrigin, host } = devHost.vault.origins;
    const app = await openVendor(page, devHost, 'vendor?hold');
    await expect(app.locator('#host-session')).toHaveText('waiting for the host…');
    const popupEvent = context.waitForEvent('page');
    await page.evaluate((url) => void window.open(url), `${host}/blank`);
    const popup = await popupEvent;
    await popup.waitForLoadState();
    // Same origin as the host, but not the app's parent window.
    await popup.evaluate(
      ({ message, target }) => {
        (window.opener as Window).frames[0].postMessage(message, target);
      },
      { message: sessionIdMessage('a-sibling-session-id'), target: appOrigin },
    );
    await expect(app.locator('#host-ignored')).toContainText('last: source');
    await expect(app.locator('#host-session')).toHaveText('waiting for the host…');

    await releaseAndExpectHostsId(page, app, devHost);
  });

  test('a session_id from http://evil.localhost is ignored', async ({ page, context, devHost }) => {
    const { host, evil } = devHost.vault.origins;
    await page.goto(`${evil}/`);
    const popupEvent = context.waitForEvent('page');
    await page.evaluate((url) => void ((window as unknown as { victim: Window | null }).victim = window.open(url)), `${host}/vendor?hold`);
    const hostPage = await popupEvent;
    const app = await appFrame(hostPage, devHost);
    await expect(app.locator('#host-session')).toHaveText('waiting for the host…');
    // The app listens once its vault's proxy said which handoff it takes (well before ready).
    await expect(app.locator('#status')).toHaveText('ready');
    await page.evaluate(
      ({ message, target }) => {
        (window as unknown as { victim: Window }).victim.frames[0].postMessage(message, target);
      },
      { message: sessionIdMessage('an-evil-session-id'), target: devHost.vault.origins.app },
    );
    await expect(app.locator('#host-ignored')).toContainText('last: origin');
    await expect(app.locator('#host-session')).toHaveText('waiting for the host…');

    await releaseAndExpectHostsId(hostPage, app, devHost);
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
  // One vendor page, every malformed session_id message in turn (each a step): each is ignored
  // (the app's counter of ignored messages moves on) and changes nothing, so the host's own
  // handoff still works after all of them.
  test('a malformed session_id message is ignored and changes nothing', async ({ page, devHost }) => {
    const app = await openVendor(page, devHost, 'vendor?hold');
    await expect(app.locator('#host-session')).toHaveText('waiting for the host…');
    let ignored = 0;
    for (const [name, message] of malformed) {
      await test.step(name, async () => {
        await page.evaluate(
          ({ data, target }) => {
            const app = (document.getElementById('app') as HTMLIFrameElement).contentWindow;
            if (!app) throw new Error('no app frame');
            app.postMessage(data, target);
          },
          { data: message, target: devHost.vault.origins.app },
        );
        ignored++;
        await expect(app.locator('#host-ignored')).toContainText(`(${String(ignored)} other message${ignored > 1 ? 's' : ''} ignored, last: malformed)`);
        await expect(app.locator('#host-session')).toHaveText('waiting for the host…');
      });
    }
    await page.evaluate(() => {
      window.host.release();
    });
    await expect(app.locator('#host-session')).toHaveText('held by the vault');
  });

  test('the session_id may come as an object instead of a JSON string', async ({ page, devHost }) => {
    const app = await openVendor(page, devHost, 'vendor?hold');
    await expect(app.locator('#host-session')).toHaveText('waiting for the host…');
    await page.evaluate(
      ({ data, target }) => {
        const app = (document.getElementById('app') as HTMLIFrameElement).contentWindow;
        if (!app) throw new Error('no app frame');
        app.postMessage(data, target);
      },
      { data: { message_id: 'session_id', data: { session_id: devHost.vault.hostSessionId } }, target: devHost.vault.origins.app },
    );
    await expect(app.locator('#host-session')).toHaveText('held by the vault');
    await callHostApi(app);
    await expect(app.locator('#api-response')).toContainText('"session": "valid"');
  });
});
