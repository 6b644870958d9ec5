import { SILENT_CALLBACK_PAGE, proxyFlowPageHeaders, resolveConfig } from '@tokenvault/build';
import type { FastifyInstance } from 'fastify';
import { SignJWT, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { benchJson, streamBody } from '../src/benchBodies.js';
import { build } from '../src/build.js';
import { defined } from '@tokenvault/test-support';

const PORT = 8299;
const host = (name: string) => `${name}.localhost:${PORT}`;
let app: FastifyInstance;

beforeAll(async () => {
  app = await build({ port: PORT });
});
afterAll(async () => {
  await app.close();
});

describe('the sealed sign-in start page', () => {
  it('refuses /signin to a navigation from another site or from no page (Sec-Fetch-Site), serves it to the app’s site', async () => {
    const signin = (site?: string) => app.inject({ url: '/signin?prompt=none', headers: { host: host('proxy.vault'), ...(site ? { 'sec-fetch-site': site } : {}) } });
    for (const site of ['cross-site', 'none']) {
      const refused = await signin(site);
      expect(refused.statusCode, site).toBe(403);
      expect(refused.body).toContain('TV_SIGN_IN_NOT_STARTED');
      expect(refused.headers['cache-control']).toBe('no-store');
    }
    for (const site of ['same-site', 'same-origin', undefined]) expect((await signin(site)).statusCode, site).toBe(200);
  });

  it('answers /silent-callback with a page that runs nothing, with the sign-in pages’ headers', async () => {
    const response = await app.inject({ url: '/silent-callback?code=x&state=y', headers: { host: host('proxy.vault'), 'sec-fetch-site': 'cross-site' } });
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe(SILENT_CALLBACK_PAGE);
    expect(response.headers).toMatchObject({ ...proxyFlowPageHeaders(resolveConfig(app.vault.config)), 'content-type': 'text/html; charset=utf-8' });
  });

  it('serves the drop-in demo on an origin of its own: no client has a redirect URI on the sealed app origin', () => {
    const sealedApp = `http://app.vault.localhost:${PORT}`;
    expect(app.vault.opClients.flatMap((client) => client.redirectUris).filter((uri) => uri.startsWith(`${sealedApp}/`))).toEqual([]);
    expect(app.vault.opClients.find((client) => client.clientId === 'demo')?.redirectUris).toEqual([
      `http://dropin.vault.localhost:${PORT}/callback`,
      `http://dropin.vault.localhost:${PORT}/silent-callback.html`,
    ]);
  });
});

describe('routing by Host header', () => {
  it('answers 404 for a host it does not serve', async () => {
    const response = await app.inject({ url: '/', headers: { host: 'other.localhost' } });
    expect(response.statusCode).toBe(404);
  });

  it('serves the OP discovery document with the issuer and the token endpoint', async () => {
    const response = await app.inject({ url: '/.well-known/openid-configuration', headers: { host: host('op.vault') } });
    expect(response.statusCode).toBe(200);
    const doc = response.json<Record<string, unknown>>();
    expect(doc.issuer).toBe(`http://op.vault.localhost:${PORT}`);
    expect(doc.token_endpoint).toBe(`http://op.vault.localhost:${PORT}/token`);
    expect(doc.code_challenge_methods_supported).toEqual(['S256']);
  });
});

describe('the proxy page', () => {
  it('carries its configuration and a policy that only the app origin may frame it', async () => {
    const response = await app.inject({ url: '/', headers: { host: host('proxy.vault') } });
    expect(response.statusCode).toBe(200);
    const csp = response.headers['content-security-policy'] as string;
    expect(csp).toContain(`frame-ancestors http://app.vault.localhost:${PORT}`);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['referrer-policy']).toBe('no-referrer');
    const block = /<script type="application\/json" id="tokenvault-config">(.*?)<\/script>/.exec(response.body);
    expect(JSON.parse(defined(block)[1])).toMatchObject({ appOrigins: [`http://app.vault.localhost:${PORT}`], clientId: 'sealed', mode: 'sealed' });
  });
});

describe('the app origin', () => {
  it('serves the worker with its routing configuration and no caching', async () => {
    const response = await app.inject({ url: '/sw.js', headers: { host: host('app.vault') } });
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-cache');
    expect(response.body.startsWith('self.TOKENVAULT_CONFIG={"issuer":"http://op.vault.localhost:8299"')).toBe(true);
  });

  it('serves the demo with a strict policy', async () => {
    const response = await app.inject({ url: '/', headers: { host: host('app.vault') } });
    expect(response.headers['content-security-policy']).toContain("script-src 'self'");
    expect(response.body).toContain('id="demo-config"');
  });
});

describe('the token endpoint CORS policy', () => {
  const preflight = (origin: string) =>
    app.inject({
      method: 'OPTIONS',
      url: '/token',
      headers: { host: host('op.vault'), origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });

  it('allows the proxy origin', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/token',
      headers: { host: host('op.vault'), origin: `http://proxy.vault.localhost:${PORT}`, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'grant_type=authorization_code&client_id=demo&code=nope&code_verifier=x&redirect_uri=x',
    });
    expect(response.statusCode).toBe(400);
    expect(response.headers['access-control-allow-origin']).toBe(`http://proxy.vault.localhost:${PORT}`);
    expect((await preflight(`http://proxy.vault.localhost:${PORT}`)).headers['access-control-allow-origin']).toBe(`http://proxy.vault.localhost:${PORT}`);
  });

  it('does not allow the app origin', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/token',
      headers: { host: host('op.vault'), origin: `http://app.vault.localhost:${PORT}`, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'grant_type=authorization_code&client_id=demo&code=nope&code_verifier=x&redirect_uri=x',
    });
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('the sample API', () => {
  it('refuses a request without a token', async () => {
    const response = await app.inject({ url: '/v1/profile', headers: { host: host('api.vault') } });
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toMatch(/^Bearer /);
  });

  it('refuses the "Bearer REDACTED" placeholder', async () => {
    const response = await app.inject({ url: '/v1/profile', headers: { host: host('api.vault'), authorization: 'Bearer REDACTED' } });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual({ error: 'invalid_token' });
  });

  it('refuses a well-formed JWT signed by another key', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const forged = await new SignJWT({ scope: 'api' })
      .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt' })
      .setIssuer(`http://op.vault.localhost:${PORT}`)
      .setAudience(`http://api.vault.localhost:${PORT}/`)
      .setSubject('alice')
      .setExpirationTime('5m')
      .sign(privateKey);
    const response = await app.inject({ url: '/v1/profile', headers: { host: host('api.vault'), authorization: `Bearer ${forged}` } });
    expect(response.statusCode).toBe(401);
  });

  it('answers CORS to the proxy origin only', async () => {
    const ask = (origin: string) =>
      app.inject({
        method: 'OPTIONS',
        url: '/v1/profile',
        headers: { host: host('api.vault'), origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
      });
    expect((await ask(`http://proxy.vault.localhost:${PORT}`)).headers['access-control-allow-origin']).toBe(`http://proxy.vault.localhost:${PORT}`);
    expect((await ask(`http://app.vault.localhost:${PORT}`)).headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('the request log', () => {
  it('keeps credentials only as hashes and paths without queries', async () => {
    app.vault.requestLog.clear();
    await app.inject({ url: '/v1/profile?code=secret-code', headers: { host: host('api.vault'), authorization: 'Bearer secret-token' } });
    const [entry] = app.vault.requestLog.find('api');
    expect(entry).toMatchObject({ origin: 'api', method: 'GET', path: '/v1/profile', authorization: { scheme: 'Bearer' } });
    expect(JSON.stringify(entry)).not.toContain('secret');
  });

  it('keeps no scheme for a header that is the credential alone (the host session ID)', async () => {
    app.vault.requestLog.clear();
    await app.inject({ url: '/api/v1/me', headers: { host: host('host'), authorization: 'secret-session-id' } });
    const [entry] = app.vault.requestLog.find('host');
    expect(entry.authorization?.scheme).toBe('');
    expect(JSON.stringify(entry)).not.toContain('secret');
  });
});

describe('the benchmark endpoints', () => {
  it('serve a JSON document of exactly 1 KiB', () => {
    const json = benchJson();
    expect(Buffer.byteLength(json)).toBe(1024);
    expect(JSON.parse(json)).toMatchObject({ items: [{ id: 1 }, { id: 2 }] });
  });

  it('stream exactly the bytes asked for, in chunks', async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of streamBody(200_000, 0)) chunks.push(chunk as Buffer);
    expect(chunks.length).toBeGreaterThan(1);
    expect(Buffer.concat(chunks).length).toBe(200_000);
  });

  it('are protected like the rest of /v1/', async () => {
    for (const url of ['/v1/bench/json', '/v1/bench/stream?bytes=10']) {
      const response = await app.inject({ url, headers: { host: host('api.vault') } });
      expect(response.statusCode).toBe(401);
    }
  });

  it('answer CORS to the extra origins only when the host is built with them', async () => {
    const ask = (server: FastifyInstance) =>
      server.inject({
        method: 'OPTIONS',
        url: '/v1/bench/json',
        headers: {
          host: host('api.vault'),
          origin: `http://bench.vault.localhost:${PORT}`,
          'access-control-request-method': 'GET',
          'access-control-request-headers': 'authorization',
        },
      });
    expect((await ask(app)).headers['access-control-allow-origin']).toBeUndefined();
    const withBench = await build({ port: PORT, apiCorsOrigins: [`http://bench.vault.localhost:${PORT}`] });
    try {
      expect((await ask(withBench)).headers['access-control-allow-origin']).toBe(`http://bench.vault.localhost:${PORT}`);
    } finally {
      await withBench.close();
    }
  });
});
