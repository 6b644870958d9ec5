import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SILENT_CALLBACK_PAGE, appCsp, proxyCsp, proxyFlowPageHeaders, resolveConfig, writeProxyOrigin, type ResolvedTokenVaultConfig } from '@tokenvault/build';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNginx, type RunningNginx } from '../src/startNginx.js';
import { defined, freePort } from '@tokenvault/test-support';

// Debian's real nginx with the production template, on a free loopback port; requests name the
// origin in the Host header (Node's resolver does not know *.localhost).
let port: number;
let config: ResolvedTokenVaultConfig;
let nginx: RunningNginx | undefined;
let dir: string;

function get(
  host: string,
  path: string,
  method = 'GET',
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers: { ...headers, host: `${host}:${port}` } }, (res) => {
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

beforeAll(async () => {
  port = await freePort();
  config = resolveConfig({
    appOrigins: [`http://app.vault.localhost:${port}`],
    proxyOrigin: `http://proxy.vault.localhost:${port}`,
    issuer: 'http://op.vault.localhost:9',
    clientId: 'spa',
    rules: [{ origin: 'http://api.vault.localhost:9', pathPrefix: '/v1/' }],
  });
  dir = mkdtempSync(join(tmpdir(), 'tokenvault-nginx-test-'));
  chmodSync(dir, 0o755);
  mkdirSync(join(dir, 'app', 'assets'), { recursive: true });
  writeFileSync(join(dir, 'app', 'index.html'), '<!doctype html><title>app</title>');
  writeFileSync(join(dir, 'app', 'sw.js'), 'self.TOKENVAULT_CONFIG={};');
  writeFileSync(join(dir, 'app', 'assets', 'index-abc.js'), 'export {};');
  writeProxyOrigin(config, join(dir, 'proxy'));
  nginx = await startNginx({ config, appRoot: join(dir, 'app'), proxyRoot: join(dir, 'proxy') });
});

afterAll(async () => {
  await nginx?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('the proxy origin behind nginx', () => {
  it('serves the proxy page with its configuration, frame-ancestors policy and no caching', async () => {
    const response = await get('proxy.vault.localhost', '/');
    expect(response.status).toBe(200);
    expect(response.headers['content-security-policy']).toBe(proxyCsp(config));
    expect(response.headers['content-security-policy']).toContain(`frame-ancestors http://app.vault.localhost:${port}`);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['referrer-policy']).toBe('no-referrer');
    expect(response.headers['cross-origin-resource-policy']).toBe('same-origin');
    expect(response.headers['origin-agent-cluster']).toBe('?1');
    expect(response.headers['cache-control']).toBe('no-cache');
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.body).toContain('<script type="application/json" id="tokenvault-config">');
  });

  it('serves its hashed script for a year, as JavaScript', async () => {
    const page = await get('proxy.vault.localhost', '/');
    const script = defined(/src="(\/assets\/[^"]+\.js)"/.exec(page.body))[1];
    const response = await get('proxy.vault.localhost', script);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/javascript/);
    expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
  });

  it('refuses /signin to a navigation from another site or from no page (Sec-Fetch-Site): sign-in CSRF', async () => {
    for (const site of ['cross-site', 'none']) {
      const refused = await get('proxy.vault.localhost', '/signin?prompt=none', 'GET', { 'sec-fetch-site': site });
      expect(refused.status, site).toBe(403);
      expect(refused.body).toContain('TV_SIGN_IN_NOT_STARTED');
    }
    for (const headers of [{ 'sec-fetch-site': 'same-site' }, { 'sec-fetch-site': 'same-origin' }, {}] as Record<string, string>[]) {
      expect((await get('proxy.vault.localhost', '/signin?ticket=x', 'GET', headers)).status, JSON.stringify(headers)).toBe(200);
    }
    // The callback comes from the OP, which may be on another site: never refused on this header.
    expect((await get('proxy.vault.localhost', '/callback?code=x&state=y', 'GET', { 'sec-fetch-site': 'cross-site' })).status).toBe(200);
  });

  it('answers /silent-callback with the page that runs nothing, with the sign-in pages’ headers', async () => {
    for (const method of ['GET', 'HEAD']) {
      const response = await get('proxy.vault.localhost', '/silent-callback?code=x&state=y', method, { 'sec-fetch-site': 'cross-site' });
      expect(response.status, method).toBe(200);
      expect(response.headers).toMatchObject(proxyFlowPageHeaders(config));
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      expect(response.body).toBe(method === 'GET' ? SILENT_CALLBACK_PAGE : '');
    }
    expect((await get('proxy.vault.localhost', '/silent-callback.html')).status).toBe(404);
  });

  it('answers /silent-callback with the proxy page when the proxy build has no silent callback page (an earlier release)', async () => {
    const file = join(dir, 'proxy', 'silent-callback.html');
    rmSync(file);
    try {
      const response = await get('proxy.vault.localhost', '/silent-callback?code=x&state=y');
      expect(response.status).toBe(200);
      expect(response.headers).toMatchObject(proxyFlowPageHeaders(config));
      expect(response.body).toContain('<script type="application/json" id="tokenvault-config">');
    } finally {
      writeFileSync(file, SILENT_CALLBACK_PAGE);
    }
  });

  it('answers 404 for any other path, including the page under another name', async () => {
    expect((await get('proxy.vault.localhost', '/index.html')).status).toBe(404);
    expect((await get('proxy.vault.localhost', '/callback.html')).status).toBe(404);
    expect((await get('proxy.vault.localhost', '/signin/x')).status).toBe(404);
    expect((await get('proxy.vault.localhost', '/assets/missing.js')).status).toBe(404);
  });
});

describe('the app origin behind nginx', () => {
  it('serves the worker as JavaScript, revalidated on every update check, with its scope allowed', async () => {
    const response = await get('app.vault.localhost', '/sw.js');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/javascript/);
    expect(response.headers['cache-control']).toBe('no-cache');
    expect(response.headers['service-worker-allowed']).toBe('/');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.body).toBe('self.TOKENVAULT_CONFIG={};');
  });

  it('serves index.html for the redirect URI (a single-page app), with the strict policy', async () => {
    const response = await get('app.vault.localhost', '/callback?code=abc&state=xyz');
    expect(response.status).toBe(200);
    expect(response.body).toContain('<title>app</title>');
    expect(response.headers['content-security-policy']).toBe(appCsp(config));
    expect(response.headers['cache-control']).toBe('no-cache');
    expect(response.headers['referrer-policy']).toBe('no-referrer');
  });

  it('answers a missing asset with 404, not the page', async () => {
    expect((await get('app.vault.localhost', '/assets/missing.js')).status).toBe(404);
    const asset = await get('app.vault.localhost', '/assets/index-abc.js');
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });
});

describe('any other host name', () => {
  it('gets neither origin', async () => {
    const response = await get('rebound.example', '/');
    expect(response.status).toBe(404);
    expect(response.body).not.toContain('tokenvault');
  });
});
