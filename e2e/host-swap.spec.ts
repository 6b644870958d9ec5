import { authorizationHash, expect } from './fixtures.js';
import { attacker, callHostApi, handoffMessage, hostApiCalls, hostLog, openHost, postToProxyFrames, test } from './hostPage.js';

// Script in the app origin tries to make the vault hold a session ID of its own choosing (session
// fixation), as it could when the proxy took a host-session from any port of the app. With the
// direct handoff the proxy takes one only from the host window: whatever the app does, the host API
// receives the host's ID and only it.
test.describe('no swap of the host session from the app origin', () => {
  const hostIdOnly = (devHost: Parameters<typeof hostApiCalls>[0]) => {
    const calls = hostApiCalls(devHost);
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.map((call) => call.authorization?.sha256)).toEqual(calls.map(() => authorizationHash(devHost.vault.hostSessionId)));
  };
  const hostFetch = (devHost: Parameters<typeof hostApiCalls>[0]) => ({
    type: 'fetch',
    request: { url: `${devHost.vault.origins.host}/api/v1/me`, method: 'GET', headers: [], body: null },
  });

  test("a host-session of its own, on its own port to the vault's proxy frame, is refused with TV_HOST_SESSION_REFUSED, before and after the host's", async ({ page, devHost }) => {
    const { proxy } = devHost.vault.origins;
    const app = await openHost(page, devHost, '?hold');
    await expect(app.locator('#status')).toHaveText('ready');
    await attacker.connect(app, proxy, 'vault');
    // First, before the host handed anything.
    expect(await attacker.request(app, { type: 'host-session', sessionId: 'the-attackers-id' })).toMatchObject({ type: 'error', error: 'TV_HOST_SESSION_REFUSED' });
    expect(await attacker.request(app, hostFetch(devHost))).toMatchObject({ type: 'error', error: 'TV_NO_HOST_SESSION' });
    expect(hostApiCalls(devHost)).toEqual([]);

    await page.evaluate(() => {
      window.host.release();
    });
    await expect(app.locator('#host-session')).toHaveText('held by the vault');
    expect(await attacker.request(app, { type: 'host-session', sessionId: 'the-attackers-id' })).toMatchObject({ type: 'error', error: 'TV_HOST_SESSION_REFUSED' });
    expect(await attacker.request(app, hostFetch(devHost))).toMatchObject({ type: 'response', status: 200 });
    await callHostApi(app);
    await expect(app.locator('#api-response')).toContainText('"session": "valid"');
    hostIdOnly(devHost);
  });

  test("a host's handoff message posted by the app to the proxy frame's window is refused with TV_ORIGIN_REJECTED", async ({ page, devHost }) => {
    const { proxy } = devHost.vault.origins;
    const app = await openHost(page, devHost, '?hold');
    await expect(app.locator('#status')).toHaveText('ready');
    // The app is the proxy frame's parent, not its grandparent, and not at a host origin.
    expect(await postToProxyFrames(app, 'self', handoffMessage('the-attackers-id'), proxy)).toMatchObject({ type: 'host-session-refused', error: 'TV_ORIGIN_REJECTED' });
    await page.evaluate(() => {
      window.host.release();
    });
    await expect(app.locator('#host-session')).toHaveText('held by the vault');
    await callHostApi(app);
    await expect(app.locator('#api-response')).toContainText('"session": "valid"');
    hostIdOnly(devHost);
  });

  test("a reloaded proxy frame gets the host's ID from the host again, and refuses one from the app", async ({ page, devHost }) => {
    const { proxy } = devHost.vault.origins;
    const app = await openHost(page, devHost, '?hold');
    await expect(app.locator('#status')).toHaveText('ready');
    // Reloaded before the host answered, and the attacker at the fresh page first.
    await attacker.reloadProxyFrame(app);
    await attacker.connect(app, proxy, 'vault');
    expect(await attacker.request(app, { type: 'host-session', sessionId: 'the-attackers-id' })).toMatchObject({ type: 'error', error: 'TV_HOST_SESSION_REFUSED' });

    await page.evaluate(() => {
      window.host.release();
    });
    // The reloaded page asked the host itself (a second "ready", from the proxy origin).
    await expect.poll(async () => (await hostLog(page)).filter((line) => line === 'the app is ready').length).toBe(2);
    await expect.poll(async () => (await attacker.request(app, hostFetch(devHost))).status).toBe(200);
    // Reloaded once more after the handoff: the host hands the new page its ID again.
    await attacker.reloadProxyFrame(app);
    await expect.poll(async () => (await hostLog(page)).filter((line) => line === 'the app is ready').length).toBe(3);
    await attacker.connect(app, proxy, 'vault');
    expect(await attacker.request(app, { type: 'host-session', sessionId: 'the-attackers-id' })).toMatchObject({ type: 'error', error: 'TV_HOST_SESSION_REFUSED' });
    await expect.poll(async () => (await attacker.request(app, hostFetch(devHost))).status).toBe(200);
    hostIdOnly(devHost);
  });

  test("a second vault (a proxy frame of its own, handed to the worker) gets the host's ID, never one of the app's", async ({ page, devHost }) => {
    const { proxy } = devHost.vault.origins;
    const app = await openHost(page, devHost, '?hold');
    await expect(app.locator('#status')).toHaveText('ready');
    // Before the host answered: its own proxy frame, its own page port, and the worker's port.
    await attacker.connect(app, proxy, 'new', true);
    expect(await attacker.request(app, { type: 'host-session', sessionId: 'the-attackers-id' })).toMatchObject({ type: 'error', error: 'TV_HOST_SESSION_REFUSED' });

    await page.evaluate(() => {
      window.host.release();
    });
    await expect(app.locator('#host-session')).toHaveText('held by the vault');
    // Both proxy pages asked the host, and both got the host's ID (to the proxy origin).
    await expect.poll(async () => (await hostLog(page)).filter((line) => line === 'the vault took it').length).toBe(2);
    expect(await attacker.request(app, { type: 'host-session', sessionId: 'the-attackers-id' })).toMatchObject({ type: 'error', error: 'TV_HOST_SESSION_REFUSED' });
    // The vault's own proxy frame gone, the worker's only way to the host API is the attacker's frame.
    await app.evaluate(() => {
      window.demo.vault.close();
    });
    await callHostApi(app);
    await expect(app.locator('#api-response')).toContainText('"session": "valid"');
    expect(await attacker.request(app, hostFetch(devHost))).toMatchObject({ type: 'response', status: 200 });
    hostIdOnly(devHost);
    expect(hostApiCalls(devHost)).toHaveLength(2);
  });
});
