import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../src/build.js';
import { defined } from '@tokenvault/test-support';

const PORT = 8297;
const HOST = `host.localhost:${PORT}`;
const PROXY = `http://proxy.vault.localhost:${PORT}`;
const APP = `http://app.vault.localhost:${PORT}`;
let app: FastifyInstance;

beforeAll(async () => {
  app = await build({ port: PORT });
});
afterAll(async () => {
  await app.close();
});

describe('the sample host page', () => {
  it('embeds the app and carries the session ID it hands over, framing only the app', async () => {
    const response = await app.inject({ url: '/', headers: { host: HOST } });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-security-policy']).toContain(`frame-src ${APP}`);
    expect(response.headers['content-security-policy']).toContain("script-src 'self'");
    const block = /<script type="application\/json" id="host-config">(.*?)<\/script>/.exec(response.body);
    expect(JSON.parse(defined(block)[1])).toEqual({ appUrl: `${APP}/`, appOrigin: APP, proxyOrigin: PROXY, sessionId: app.vault.hostSessionId });
  });

  it('is allowed to frame the app, and to be an ancestor of the proxy', async () => {
    const appPage = await app.inject({ url: '/', headers: { host: `app.vault.localhost:${PORT}` } });
    expect(appPage.headers['content-security-policy']).toContain(`frame-ancestors 'self' http://${HOST}`);
    const proxyPage = await app.inject({ url: '/', headers: { host: `proxy.vault.localhost:${PORT}` } });
    expect(proxyPage.headers['content-security-policy']).toContain(`frame-ancestors ${APP} http://${HOST}`);
  });
});

describe('the sample host API', () => {
  const call = (authorization?: string, origin = PROXY) =>
    app.inject({ url: '/api/v1/me', headers: { host: HOST, origin, ...(authorization !== undefined ? { authorization } : {}) } });

  it('accepts the session ID as the whole Authorization header', async () => {
    const response = await call(app.vault.hostSessionId);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ session: 'valid' });
    expect(response.headers['access-control-allow-origin']).toBe(PROXY);
  });

  it.each([
    ['no Authorization header', () => undefined],
    ['another session ID', () => 'another-session-id'],
    ['the ID as a bearer token', (id: string) => `Bearer ${id}`],
  ])('refuses %s', async (_name, authorization: (id: string) => string | undefined) => {
    const response = await call(authorization(app.vault.hostSessionId));
    expect(response.statusCode).toBe(401);
  });

  it('answers CORS to the proxy origin only', async () => {
    const preflight = (origin: string) =>
      app.inject({
        method: 'OPTIONS',
        url: '/api/v1/me',
        headers: { host: HOST, origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
      });
    const fromProxy = await preflight(PROXY);
    expect(fromProxy.headers['access-control-allow-origin']).toBe(PROXY);
    expect(fromProxy.headers['access-control-allow-headers']).toContain('authorization');
    const fromApp = await preflight(APP);
    expect(fromApp.headers['access-control-allow-origin']).toBeUndefined();
    expect(fromApp.headers['access-control-allow-headers']).toBeUndefined();
    expect((await call(app.vault.hostSessionId, APP)).headers['access-control-allow-origin']).toBeUndefined();
  });
});
