import { describe, expect, it } from 'vitest';
import type { InterceptorConfig } from '@tokenvault/config';
import { resolveConfig } from '../src/resolveConfig.js';

const valid = {
  appOrigins: ['https://app.example.com'],
  proxyOrigin: 'https://proxy.example.com',
  issuer: 'https://op.example.com',
  clientId: 'spa',
  rules: [{ origin: 'https://api.example.com', pathPrefix: '/v1/' }, { origin: 'https://files.example.com' }],
  timeouts: { proxyMs: 5000 },
};

describe('resolveConfig', () => {
  it('derives the proxy block, the worker config and the app side from one config', () => {
    const config = resolveConfig(valid);
    expect(config.proxy).toEqual({
      appOrigins: valid.appOrigins,
      issuer: valid.issuer,
      clientId: 'spa',
      rules: valid.rules,
      timeouts: valid.timeouts,
    });
    expect(config.proxy).not.toHaveProperty('proxyOrigin');
    expect(config.interceptor).toEqual({ issuer: valid.issuer, rules: valid.rules, timeouts: valid.timeouts });
    expect(config.app).toEqual({
      issuer: valid.issuer,
      clientId: 'spa',
      proxyUrl: 'https://proxy.example.com/',
      serviceWorkerUrl: '/sw.js',
      scope: '/',
      rules: valid.rules,
      timeouts: valid.timeouts,
    });
    expect(config.connectOrigins).toEqual(['https://op.example.com', 'https://api.example.com', 'https://files.example.com']);
    expect(config.serviceWorker).toEqual({ path: '/sw.js', scope: '/' });
  });

  it('keeps the issuer exactly as written for the app (discovery compares it byte for byte)', () => {
    expect(resolveConfig({ ...valid, issuer: 'https://op.example.com/realms/x/' }).app.issuer).toBe('https://op.example.com/realms/x/');
  });

  it('accepts plain http on localhost names, which browsers treat as secure', () => {
    const config = resolveConfig({ ...valid, appOrigins: ['http://app.vault.localhost:5173'], proxyOrigin: 'http://proxy.vault.localhost:5174' });
    expect(config.proxyOrigin).toBe('http://proxy.vault.localhost:5174');
  });

  it("carries sealed mode's session check into the proxy block, and its checker's refusals out", () => {
    const config = resolveConfig({ ...valid, sessionCheck: { intervalMs: 15_000, timeoutMs: 4000 } });
    expect(config.proxy.sessionCheck).toEqual({ intervalMs: 15_000, timeoutMs: 4000 });
    expect(config.app).not.toHaveProperty('sessionCheck');
    expect(config.interceptor).not.toHaveProperty('sessionCheck');
    expect(() => resolveConfig({ ...valid, sessionCheck: { intervalMs: 100 } })).toThrow(/sessionCheck\.intervalMs must be a whole number of milliseconds between 200 and 3600000/);
  });

  it('takes a worker path and scope', () => {
    const config = resolveConfig({ ...valid, serviceWorker: { path: '/vault/sw.js', scope: '/' } });
    expect(config.app.serviceWorkerUrl).toBe('/vault/sw.js');
    expect(config.serviceWorker).toEqual({ path: '/vault/sw.js', scope: '/' });
  });

  it.each([
    ['not an object', [], /config must be an object: export default defineConfig/],
    ['an unknown field (a typo)', { ...valid, client_id: 'spa' }, /client_id is not a known field \(known: appOrigins, hostOrigins, issuer, clientId/],
    ['no proxy origin', { ...valid, proxyOrigin: undefined }, /proxyOrigin is missing: set it to the origin that serves the proxy page/],
    ['a proxy origin with a path', { ...valid, proxyOrigin: 'https://proxy.example.com/vault' }, /proxyOrigin must be an origin such as/],
    ['the app origin as proxy origin', { ...valid, proxyOrigin: 'https://app.example.com' }, /proxyOrigin must be another origin than the app's \(appOrigins\[0\]\)/],
    ['plain http on a public name', { ...valid, proxyOrigin: 'http://proxy.example.com' }, /proxyOrigin must be https \(plain http works only on localhost names/],
    ['an http app origin on a public name', { ...valid, appOrigins: ['http://app.example.com'] }, /appOrigins\[0\] must be https/],
    [
      'schemes that differ',
      { ...valid, appOrigins: ['http://app.localhost:1'], proxyOrigin: 'https://proxy.localhost:2' },
      /proxyOrigin must use the same scheme as appOrigins\[0\]/,
    ],
    ['a worker path that is no .js file', { ...valid, serviceWorker: { path: '/sw' } }, /serviceWorker\.path must name a \.js file/],
    ['a worker path with dot segments', { ...valid, serviceWorker: { path: '/a/../sw.js' } }, /serviceWorker\.path must be a path on the app origin/],
    ['a relative scope', { ...valid, serviceWorker: { scope: 'app/' } }, /serviceWorker\.scope must be a path on the app origin/],
    ['an unknown worker field', { ...valid, serviceWorker: { url: '/sw.js' } }, /serviceWorker\.url is not a known field/],
    ['the proxy origin as host origin', { ...valid, hostOrigins: [valid.proxyOrigin] }, /hostOrigins\[0\] must not be the proxy origin/],
    ['an http host origin on a public name', { ...valid, hostOrigins: ['http://host.example.com'] }, /hostOrigins\[0\] must be https/],
    // The fields the proxy checks again at start-up are checked by the same code here.
    ['no client id', { ...valid, clientId: '' }, /clientId must be the OAuth client_id/],
    ['a bad rule', { ...valid, rules: [{ origin: 'https://api.example.com', pathPrefix: '/v1/../x' }] }, /rules\[0\]\.pathPrefix must not contain dot segments/],
    ['an unknown time limit', { ...valid, timeouts: { forever: 1 } }, /timeouts\.forever is not a known time limit/],
    ['a rule on the proxy origin', { ...valid, rules: [{ origin: 'https://proxy.example.com', pathPrefix: '/v1/' }] }, /rules\[0\]\.origin must not be the proxy origin/],
    ['a rule on the app origin', { ...valid, rules: [{ origin: 'https://app.example.com', pathPrefix: '/v1/' }] }, /rules\[0\]\.origin must not be an app origin/],
    ['a rule over plain http on a public name', { ...valid, rules: [{ origin: 'http://api.example.com' }] }, /rules\[0\]\.origin must be https/],
    ['a rule over the whole OP', { ...valid, rules: [{ origin: new URL(valid.issuer).origin }] }, /rules\[0\] must not cover the OP's issuer path/],
  ])('refuses %s, naming the field and the fix', (_name, input, message) => {
    expect(() => resolveConfig(input)).toThrow(message);
    try {
      resolveConfig(input);
    } catch (err) {
      expect((err as { code?: string }).code).toBe('TV_INVALID_CONFIG');
    }
  });
});

// A production worker and client only fill in defaults (resolveInterceptorConfig, createVault): their
// configuration is the app origin's own code, and the build checks it before it writes it. Every
// field the worker reads, and the one the client is told, is refused here when it is wrong.
describe('the build checks what the worker and the client do not check in production', () => {
  // The compiler keeps this list complete: a new interceptor field must get a case below.
  const INTERCEPTOR_FIELDS: Record<keyof InterceptorConfig, true> = { issuer: true, opOrigins: true, opPassThrough: true, rules: true, timeouts: true };
  const cases: [field: string, change: Record<string, unknown>, named: string][] = [
    ['issuer', { issuer: 'op.example.com' }, 'issuer'],
    ['issuer', { issuer: 'http://op.example.com' }, 'issuer'],
    ['issuer', { issuer: 'https://op.example.com/?x=1' }, 'issuer'],
    ['opOrigins', { opOrigins: 'https://tokens.example.com' }, 'opOrigins'],
    ['opOrigins', { opOrigins: ['https://tokens.example.com/path'] }, 'opOrigins[0]'],
    ['opPassThrough', { opPassThrough: 'https://op.example.com/json/' }, 'opPassThrough'],
    ['opPassThrough', { opPassThrough: ['https://elsewhere.example.com/json/'] }, 'opPassThrough[0]'],
    ['opPassThrough', { opPassThrough: ['https://op.example.com/a/%2e%2e/json/'] }, 'opPassThrough[0]'],
    ['rules', { rules: { origin: 'https://api.example.com' } }, 'rules'],
    ['rules', { rules: ['https://api.example.com'] }, 'rules[0]'],
    ['rules', { rules: [{ origin: 'https://api.example.com/v1' }] }, 'rules[0].origin'],
    ['rules', { rules: [{ origin: 'https://api.example.com', pathPrefix: 'v1/' }] }, 'rules[0].pathPrefix'],
    ['rules', { rules: [{ origin: 'https://api.example.com', methods: ['get'] }] }, 'rules[0].methods'],
    ['rules', { rules: [{ origin: 'https://api.example.com', requireAuthorizationHeader: 'yes' }] }, 'rules[0].requireAuthorizationHeader'],
    ['rules', { rules: [{ origin: 'https://api.example.com', path: '/v1/' }] }, 'rules[0].path'],
    ['timeouts', { timeouts: 5000 }, 'timeouts'],
    ['timeouts', { timeouts: { proxyMs: 0 } }, 'timeouts.proxyMs'],
    ['timeouts', { timeouts: { upstreamMs: '30000' } }, 'timeouts.upstreamMs'],
    // The client's createVault options (virtual:tokenvault/config): proxyUrl and serviceWorkerUrl.
    ['client: proxyUrl', { proxyOrigin: 'proxy.example.com' }, 'proxyOrigin'],
    ['client: proxyUrl', { proxyOrigin: valid.appOrigins[0] }, 'proxyOrigin'],
    ['client: serviceWorkerUrl', { serviceWorker: { path: 'https://cdn.example.com/sw.js' } }, 'serviceWorker.path'],
  ];

  it('has a case for every interceptor field', () => {
    expect(new Set(cases.map(([field]) => field).filter((field) => !field.startsWith('client:')))).toEqual(new Set(Object.keys(INTERCEPTOR_FIELDS)));
  });

  it.each(cases)('refuses a bad %s (%j), naming %s', (_field, change, named) => {
    let error: { code?: string; message?: string } | undefined;
    try {
      resolveConfig({ ...valid, ...change });
    } catch (err) {
      error = err as typeof error;
    }
    expect(error?.code).toBe('TV_INVALID_CONFIG');
    expect(error?.message).toContain(`${named} `);
  });
});
