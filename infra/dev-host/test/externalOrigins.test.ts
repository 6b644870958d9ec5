import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../src/build.js';

// The app and its proxy served elsewhere (nginx, a Vite dev server): the OP and the API are set up for them.
const PORT = 8298;
const appOrigin = 'http://app.vault.localhost:5173';
const proxyOrigin = 'http://proxy.vault.localhost:5174';
let app: FastifyInstance;

beforeAll(async () => {
  app = await build({ port: PORT, appOrigin, proxyOrigin });
});
afterAll(async () => {
  await app.close();
});

describe('a dev host for an app served elsewhere', () => {
  it('describes the external origins in its configuration', () => {
    expect(app.vault.origins).toMatchObject({ app: appOrigin, proxy: proxyOrigin, op: `http://op.vault.localhost:${PORT}` });
    expect(app.vault.config).toMatchObject({ appOrigins: [appOrigin], proxyOrigin, issuer: `http://op.vault.localhost:${PORT}`, clientId: 'sealed' });
  });

  it('answers token endpoint CORS to the external proxy origin only', async () => {
    // oidc-provider answers every preflight; the policy is applied to the request itself.
    const post = (origin: string) =>
      app.inject({
        method: 'POST',
        url: '/token',
        headers: { host: `op.vault.localhost:${PORT}`, origin, 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'grant_type=authorization_code&client_id=demo&code=nope&code_verifier=x&redirect_uri=x',
      });
    expect((await post(proxyOrigin)).headers['access-control-allow-origin']).toBe(proxyOrigin);
    expect((await post(`http://proxy.vault.localhost:${PORT}`)).headers['access-control-allow-origin']).toBeUndefined();
    expect((await post(appOrigin)).headers['access-control-allow-origin']).toBeUndefined();
  });

  it('lets the API answer CORS to the external proxy origin', async () => {
    const response = await app.inject({
      method: 'OPTIONS',
      url: '/v1/profile',
      headers: { host: `api.vault.localhost:${PORT}`, origin: proxyOrigin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
    });
    expect(response.headers['access-control-allow-origin']).toBe(proxyOrigin);
  });

  it("accepts the external app's redirect URI at the OP (drop-in), and no longer its own; sealed: for no client", async () => {
    const dropIn = await build({ port: PORT, appOrigin, proxyOrigin, demo: 'drop-in' });
    const authorize = (redirectUri: string, host = dropIn) =>
      host.inject({
        url: `/auth?${new URLSearchParams({ client_id: 'demo', redirect_uri: redirectUri, response_type: 'code', scope: 'openid', code_challenge: 'x'.repeat(43), code_challenge_method: 'S256' })}`,
        headers: { host: `op.vault.localhost:${PORT}` },
      });
    const accepted = await authorize(`${appOrigin}/callback`);
    expect(accepted.statusCode).toBe(303);
    expect(accepted.headers.location).toMatch(/^\/interaction\//);
    const refused = await authorize(`http://app.vault.localhost:${PORT}/callback`);
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('redirect_uri');
    await dropIn.close();
    // Served sealed, the app origin is no client's redirect URI (the drop-in demo has its own origin).
    const sealed = await authorize(`${appOrigin}/callback`, app);
    expect(sealed.statusCode).toBe(400);
    expect(app.vault.opClients.flatMap((client) => client.redirectUris).filter((uri) => uri.startsWith(appOrigin))).toEqual([]);
  });

  it('refuses an app origin that is no origin, naming it', async () => {
    await expect(build({ port: PORT, appOrigin: 'http://app.vault.localhost:5173/app' })).rejects.toThrow(/appOrigin must be an origin/);
  });

  it('refuses the app origin as proxy origin at start-up', async () => {
    await expect(build({ port: PORT, appOrigin, proxyOrigin: appOrigin })).rejects.toThrow(/proxyOrigin must be another origin than the app's/);
  });
});
