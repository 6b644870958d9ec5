import { SILENT_CALLBACK_PAGE, appCsp, proxyCsp, proxyFlowPageHeaders, resolveConfig } from '@tokenvault/build';
import { NEEDS_CDP, devTools, expect, proxyFrame, test } from './fixtures.js';
import { defined } from '@tokenvault/test-support';

// What a deployment must get right, as the browser receives it. Runs in both projects: the dev
// host renders per port what the Vite plugin and the nginx template serve as static files.
test.describe('the deployed origins', () => {
  test('the proxy page arrives with its own configuration and a policy that only the app may frame it', async ({ page, devHost }) => {
    const resolved = resolveConfig(devHost.vault.config);
    const response = defined(await page.goto(`${devHost.vault.origins.proxy}/`));
    expect(response.status()).toBe(200);
    const headers = response.headers();
    expect(headers['content-security-policy']).toBe(proxyCsp(resolved));
    expect(headers['content-security-policy']).toContain(`frame-ancestors ${devHost.vault.origins.app}`);
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['referrer-policy']).toBe('no-referrer');
    expect(headers['cache-control']).toBe('no-cache');
    const block = await page.locator('#tokenvault-config').textContent();
    expect(JSON.parse(defined(block))).toEqual(JSON.parse(JSON.stringify(resolved.proxy)));
  });

  test('the proxy page asks for its own agent cluster (Origin-Agent-Cluster): document.domain cannot join it to the app’s site', async ({ page, devHost }) => {
    const response = defined(await page.goto(`${devHost.vault.origins.proxy}/`));
    expect(response.headers()['origin-agent-cluster']).toBe('?1');
    await page.goto(`${devHost.vault.origins.app}/`);
    await expect(page.locator('#status')).toHaveText('ready');
    const frame = proxyFrame(page, devHost);
    const isolation = await frame.evaluate(() => {
      let domainRelaxed: string;
      try {
        // Same-site with the app: without its own agent cluster the frame could relax to the site.
        document.domain = location.hostname.split('.').slice(1).join('.');
        domainRelaxed = document.domain;
      } catch (err) {
        domainRelaxed = `refused: ${String(err)}`;
      }
      return { originAgentCluster: (window as { originAgentCluster?: boolean }).originAgentCluster, domainRelaxed };
    });
    // Measured without the header: Chromium 156 keys agent clusters by origin anyway; Firefox ESR
    // 153 did not (originAgentCluster false, and document.domain relaxed to vault.localhost).
    expect(isolation).toEqual({ originAgentCluster: true, domainRelaxed: new URL(devHost.vault.origins.proxy).hostname });
  });

  test('Chromium runs the proxy frame in a renderer process of its own, not in the app page’s', { tag: NEEDS_CDP }, async ({ page, devHost }) => {
    const { app, proxy } = devHost.vault.origins;
    await page.goto(`${app}/`);
    await expect(page.locator('#status')).toHaveText('ready');
    // An out-of-process frame is a target of its own. Measured without Origin-Agent-Cluster:
    // Chromium 156 keeps the same-site proxy frame in the app's process (no such target); a
    // Spectre-class read from the app's process would then reach the proxy's memory.
    const { targetInfos } = await (await devTools(page)).send('Target.getTargets');
    expect(targetInfos.filter((target) => target.type === 'iframe').map((target) => target.url)).toContain(`${proxy}/`);
  });

  test('the worker script is never cached without revalidation and may control its scope', async ({ page, devHost }) => {
    const resolved = resolveConfig(devHost.vault.config);
    const response = defined(await page.goto(`${devHost.vault.origins.app}${resolved.serviceWorker.path}`));
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toMatch(/^text\/javascript/);
    expect(response.headers()['cache-control']).toBe('no-cache');
    expect(response.headers()['service-worker-allowed']).toBe(resolved.serviceWorker.scope);
    expect(await response.text()).toMatch(/^self\.TOKENVAULT_CONFIG=\{"issuer":/);
  });

  test('the app page carries the app side of the configuration and the strict policy', async ({ page, devHost }) => {
    const resolved = resolveConfig(devHost.vault.config);
    const response = defined(await page.goto(`${devHost.vault.origins.app}/`));
    expect(response.headers()['content-security-policy']).toContain(appCsp(resolved).split('; frame-ancestors')[0]);
    await expect(page.locator('#status')).toHaveText('ready');
    const block = await page.locator('#tokenvault-app-config').textContent();
    expect(JSON.parse(defined(block))).toEqual(JSON.parse(JSON.stringify(resolved.app)));
    // The demo took its proxy from that block: the frame is on the configured proxy origin.
    expect(proxyFrame(page, devHost).url()).toBe(resolved.app.proxyUrl);
  });

  test('another origin cannot frame the proxy page (frame-ancestors)', async ({ browserName, page, devHost }) => {
    const { evil, proxy } = devHost.vault.origins;
    // Chromium says why on the console, naming the policy; other engines word it their own way.
    const refused = browserName === 'chromium' ? page.waitForEvent('console', (message) => message.text().includes('frame-ancestors')) : null;
    await page.goto(`${evil}/`);
    await page.evaluate((src) => {
      const frame = document.createElement('iframe');
      frame.src = src;
      document.body.append(frame);
      return new Promise((resolve) => {
        frame.addEventListener('load', resolve, { once: true });
      });
    }, `${proxy}/`);
    if (refused) {
      const message = (await refused).text();
      expect(message).toContain(`'${proxy}/'`);
      expect(message).toContain(`"frame-ancestors ${[devHost.vault.origins.app, ...(devHost.vault.config.hostOrigins ?? [])].join(' ')}"`);
      expect(message).toContain('blocked');
    }
    // Nothing of the proxy page ran there.
    const frame = page.frames().find((f) => f !== page.mainFrame());
    expect(await frame?.evaluate(() => document.getElementById('status')?.textContent ?? null).catch(() => null)).toBeNull();
  });
});

test.describe('the deployed proxy origin, sealed mode', () => {
  test.use({ devHostOptions: { demo: 'sealed' } });

  // The redirect URI of the proxy frame's prompt=none renewal: the proxy frame reads the answer
  // from its child frame's URL, so the page runs nothing and asks nothing (the proxy page here
  // would preload the OP's discovery document and load the proxy's script on every renewal).
  test('/silent-callback answers a page that runs nothing, with the sign-in pages’ headers', async ({ page, devHost }) => {
    const resolved = resolveConfig(devHost.vault.config);
    const requested: string[] = [];
    page.on('request', (request) => requested.push(request.url()));
    const url = `${devHost.vault.origins.proxy}/silent-callback?code=x&state=y`;
    const response = defined(await page.goto(url));
    expect(response.status()).toBe(200);
    const headers = response.headers();
    for (const [name, value] of Object.entries(proxyFlowPageHeaders(resolved))) expect(headers[name], name).toBe(value);
    expect(headers['content-type']).toMatch(/^text\/html/);
    expect(await response.text()).toBe(SILENT_CALLBACK_PAGE);
    expect(requested).toEqual([url]);
  });
});
