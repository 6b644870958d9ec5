import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { proxyFlowPageHeaders } from '../src/securityHeaders.js';
import { serveProxyOrigin, type ProxyOriginServer } from '../src/serveProxyOrigin.js';
import { SILENT_CALLBACK_PAGE } from '../src/silentCallbackPage.js';
import { exampleConfig } from './exampleConfig.js';
import { defined, freePort } from '@tokenvault/test-support';

// The proxy origin the Vite plugin serves (dev and preview), on a real port: what a browser's
// navigation gets from it. The dev host and the nginx template are held to the same rule in their
// own tests (infra/dev-host/test/build.test.ts, infra/nginx/test/startNginx.test.ts).

let assets: string;
let server: ProxyOriginServer | undefined;
let port: number;

function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host: `proxy.vault.localhost:${String(port)}`, ...headers } }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => {
        resolve({ status: defined(res.statusCode), headers: res.headers, body });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

beforeEach(async () => {
  assets = mkdtempSync(join(tmpdir(), 'tokenvault-proxy-origin-'));
  port = await freePort();
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  rmSync(assets, { recursive: true, force: true });
});

function sealedConfig(): ReturnType<typeof exampleConfig> {
  return exampleConfig({
    appOrigins: [`http://app.vault.localhost:${String(port)}`],
    proxyOrigin: `http://proxy.vault.localhost:${String(port)}`,
    issuer: 'http://op.vault.localhost:8080',
    rules: [{ origin: 'http://api.vault.localhost:8080', pathPrefix: '/v1/' }],
  });
}

describe('serveProxyOrigin (the Vite plugin’s proxy origin), sealed mode', () => {
  it('answers /silent-callback with a page that runs nothing, with the flow pages’ headers', async () => {
    const config = sealedConfig();
    expect(config.mode).toBe('sealed');
    server = await serveProxyOrigin(config, { page: '<!doctype html><title>proxy</title><script type="module" src="/assets/x.js"></script>', assets });

    // As the OP sends the browser back: a cross-site navigation with a code in the URL.
    const response = await get('/silent-callback?code=x&state=y', { 'sec-fetch-site': 'cross-site' });
    expect(response.status).toBe(200);
    expect(response.body).toBe(SILENT_CALLBACK_PAGE);
    expect(response.body).not.toMatch(/<script|<link/);
    const { date: _date, connection: _connection, 'keep-alive': _keepAlive, 'transfer-encoding': _encoding, ...headers } = response.headers;
    expect(headers).toEqual({ ...proxyFlowPageHeaders(config), 'content-type': 'text/html; charset=utf-8' });
  });

  it('refuses /signin to a navigation from another site or from no page (Sec-Fetch-Site): sign-in CSRF', async () => {
    const config = sealedConfig();
    expect(config.mode).toBe('sealed');
    server = await serveProxyOrigin(config, { page: '<!doctype html><title>proxy</title>', assets });

    for (const site of ['cross-site', 'none']) {
      const refused = await get('/signin?prompt=none', { 'sec-fetch-site': site });
      expect(refused.status, site).toBe(403);
      expect(refused.body).toContain('TV_SIGN_IN_NOT_STARTED');
      expect(refused.body).not.toContain('<title>proxy</title>');
    }
    for (const headers of [{ 'sec-fetch-site': 'same-site' }, { 'sec-fetch-site': 'same-origin' }, {}] as Record<string, string>[]) {
      const served = await get('/signin?ticket=x', headers);
      expect(served.status, JSON.stringify(headers)).toBe(200);
      expect(served.body).toContain('<title>proxy</title>');
    }
    // The callback comes from the OP, which may be on another site: never refused on this header.
    expect((await get('/callback?code=x&state=y', { 'sec-fetch-site': 'cross-site' })).status).toBe(200);
  });
});
