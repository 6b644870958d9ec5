import { expect, test } from './fixtures.js';
import { run, signInWith, site } from './exampleApps.js';

// OP_CORS=proxy-only: every OP endpoint, discovery and the JWKS included, answers CORS to the
// proxy origins only, as an OP with a single global allowed origin does. A client library still
// signs in: what it reads before it has a token comes through the vault.
test.use({ devHostOptions: { opCors: 'proxy-only' } });

test.describe('an OP with one CORS setting for everything (the proxy origin only)', () => {
  for (const name of ['oidc-client-ts', 'openid-client'] as const) {
    test(`${name} signs in: discovery and the JWKS come through the vault`, async ({ page, devHost }) => {
      const example = site(devHost, name);
      await signInWith(page, devHost, example);
      expect(await run(page, 'callApi')).toMatchObject({ status: 200, body: { sub: 'alice' } });
    });
  }

  test('the OP answers CORS to no app origin, discovery included', async ({ devHost }) => {
    const example = site(devHost, 'oidc-client-ts');
    const preflight = await devHost.inject({
      method: 'GET',
      url: '/.well-known/openid-configuration',
      headers: { host: new URL(devHost.vault.origins.op).host, origin: example.app },
    });
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    const fromProxy = await devHost.inject({
      method: 'GET',
      url: '/.well-known/openid-configuration',
      headers: { host: new URL(devHost.vault.origins.op).host, origin: example.proxy },
    });
    expect(fromProxy.headers['access-control-allow-origin']).toBe(example.proxy);
  });
});
