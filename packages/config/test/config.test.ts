import { describe, expect, it } from 'vitest';
import { DEFAULT_TIMEOUTS, resolveInterceptorConfig, resolveProxyConfig } from '../src/config.js';

const valid = {
  appOrigins: ['https://app.example.com'],
  issuer: 'https://op.example.com/',
  clientId: 'spa',
  rules: [{ origin: 'https://api.example.com', pathPrefix: '/v1/' }],
};

describe('resolveProxyConfig', () => {
  it('applies defaults', () => {
    const config = resolveProxyConfig(valid);
    expect(config.issuer).toBe('https://op.example.com');
    expect(config.redact).toEqual(['access_token', 'refresh_token']);
    expect(config.refreshSkewSeconds).toBe(30);
    expect(config.timeouts).toEqual(DEFAULT_TIMEOUTS);
    expect(config.rules[0]).toMatchObject({ origin: 'https://api.example.com', base: '/v1' });
    expect(config.hostSession).toEqual({ header: 'authorization', prefix: '', handoff: 'direct' });
    expect(config.hostOrigins).toEqual([]);
    expect(config.placeholder).toBe('REDACTED');
    expect(config.sessionWatch).toBe('auto');
  });

  it("turns the sealed session watch off only with sessionWatch: 'off'", () => {
    expect(resolveProxyConfig({ ...valid, sessionWatch: 'off' }).sessionWatch).toBe('off');
    expect(() => resolveProxyConfig({ ...valid, sessionWatch: false })).toThrow(/sessionWatch/);
  });

  it('takes the session check times of sealed mode, each with its default when absent', () => {
    expect(resolveProxyConfig(valid).sessionCheck).toEqual({ intervalMs: 3000, timeoutMs: 10_000 });
    expect(resolveProxyConfig({ ...valid, sessionCheck: {} }).sessionCheck).toEqual({ intervalMs: 3000, timeoutMs: 10_000 });
    expect(resolveProxyConfig({ ...valid, sessionCheck: { intervalMs: 60_000 } }).sessionCheck).toEqual({ intervalMs: 60_000, timeoutMs: 10_000 });
    expect(resolveProxyConfig({ ...valid, sessionCheck: { timeoutMs: 2500 } }).sessionCheck).toEqual({ intervalMs: 3000, timeoutMs: 2500 });
    // The limits of SessionMonitor's options, both ends included.
    expect(resolveProxyConfig({ ...valid, sessionCheck: { intervalMs: 200, timeoutMs: 1 } }).sessionCheck).toEqual({ intervalMs: 200, timeoutMs: 1 });
    expect(resolveProxyConfig({ ...valid, sessionCheck: { intervalMs: 3_600_000, timeoutMs: 3_600_000 } }).sessionCheck).toEqual({ intervalMs: 3_600_000, timeoutMs: 3_600_000 });
    // With the watch off it waits there, unused, for the watch to be turned on again.
    expect(resolveProxyConfig({ ...valid, sessionWatch: 'off', sessionCheck: { intervalMs: 5000 } }).sessionCheck.intervalMs).toBe(5000);
  });

  it.each([
    ['a session check that is not an object', { ...valid, sessionCheck: 3000 }, 'sessionCheck must be an object'],
    ['a session check that is a list', { ...valid, sessionCheck: [3000] }, 'sessionCheck must be an object'],
    [
      'an unknown session check time',
      { ...valid, sessionCheck: { intervalMs: 3000, everyMs: 1 } },
      'sessionCheck.everyMs is not a known session check time (known: intervalMs, timeoutMs)',
    ],
    ['an interval under 200 ms', { ...valid, sessionCheck: { intervalMs: 199 } }, 'sessionCheck.intervalMs must be a whole number of milliseconds between 200 and 3600000'],
    ['an interval over an hour', { ...valid, sessionCheck: { intervalMs: 3_600_001 } }, 'sessionCheck.intervalMs must be a whole number of milliseconds between 200 and 3600000'],
    ['an interval that is not whole', { ...valid, sessionCheck: { intervalMs: 1000.5 } }, 'sessionCheck.intervalMs must be a whole number of milliseconds between 200 and 3600000'],
    ['an interval given as text', { ...valid, sessionCheck: { intervalMs: '3000' } }, 'sessionCheck.intervalMs must be a whole number of milliseconds between 200 and 3600000'],
    ['a time limit of 0 ms', { ...valid, sessionCheck: { timeoutMs: 0 } }, 'sessionCheck.timeoutMs must be a whole number of milliseconds between 1 and 3600000'],
    ['a time limit over an hour', { ...valid, sessionCheck: { timeoutMs: 3_600_001 } }, 'sessionCheck.timeoutMs must be a whole number of milliseconds between 1 and 3600000'],
    ['a time limit that is null', { ...valid, sessionCheck: { timeoutMs: null } }, 'sessionCheck.timeoutMs must be a whole number of milliseconds between 1 and 3600000'],
    ['a time limit that is infinite', { ...valid, sessionCheck: { timeoutMs: Infinity } }, 'sessionCheck.timeoutMs must be a whole number of milliseconds between 1 and 3600000'],
    ['a session check in drop-in mode (the app’s SessionMonitor takes it)', { ...valid, mode: 'drop-in', sessionCheck: { intervalMs: 3000 } }, "sessionCheck is sealed mode's"],
  ])('refuses %s (TV_INVALID_CONFIG, naming the field)', (_name, input, message) => {
    let caught: unknown;
    try {
      resolveProxyConfig(input);
    } catch (err) {
      caught = err;
    }
    expect(caught).toMatchObject({ code: 'TV_INVALID_CONFIG' });
    expect((caught as Error).message).toContain(message);
  });

  it("takes the JWT-shaped placeholder when asked for ('jwt')", () => {
    expect(resolveProxyConfig({ ...valid, placeholder: 'jwt' }).placeholder).toBe('jwt');
  });

  it('lists the APIs the rules name once each, in rule order; rules without one share the sign-in token', () => {
    const config = resolveProxyConfig({
      ...valid,
      rules: [
        { origin: 'https://api.example.com', pathPrefix: '/v1/', resource: 'https://api.example.com/' },
        { origin: 'https://api.example.com', pathPrefix: '/v2/', resource: 'https://api.example.com/' },
        { origin: 'https://api2.example.com', audience: 'urn:api2' },
        { origin: 'https://legacy.example.com' },
      ],
    });
    expect(config.resources).toEqual([
      { param: 'resource', value: 'https://api.example.com/' },
      { param: 'audience', value: 'urn:api2' },
    ]);
    expect(config.rules[3]?.resource).toBeNull();
    expect(resolveProxyConfig(valid).resources).toEqual([]);
  });

  it('refuses one API named as resource in one rule and as audience in another (TV_INVALID_CONFIG, naming the field)', () => {
    const rules = [
      { origin: 'https://api.example.com', resource: 'https://api.example.com/' },
      { origin: 'https://api2.example.com', audience: 'https://api.example.com/' },
    ];
    expect(() => resolveProxyConfig({ ...valid, rules })).toThrow(/rules\[1\]\.audience/);
  });

  it('refuses one API asked with two scopes (TV_INVALID_CONFIG, naming the field); several rules with the same scope are one API', () => {
    const rules = [
      { origin: 'https://api.example.com', pathPrefix: '/v1/', resource: 'https://api.example.com/', scope: 'read' },
      { origin: 'https://api.example.com', pathPrefix: '/v2/', resource: 'https://api.example.com/' },
    ];
    expect(() => resolveProxyConfig({ ...valid, rules })).toThrow(/rules\[1\]\.scope/);
    expect(() => resolveProxyConfig({ ...valid, rules })).toThrow(expect.objectContaining({ code: 'TV_INVALID_CONFIG' }));
    const entra = [
      { origin: 'https://api.example.com', pathPrefix: '/v1/', scope: 'api://my-api/.default' },
      { origin: 'https://api.example.com', pathPrefix: '/v2/', scope: 'api://my-api/.default' },
      { origin: 'https://graph.microsoft.com', scope: 'https://graph.microsoft.com/.default' },
    ];
    expect(resolveProxyConfig({ ...valid, rules: entra }).resources).toEqual([
      { param: 'scope', value: 'api://my-api/.default' },
      { param: 'scope', value: 'https://graph.microsoft.com/.default' },
    ]);
  });

  it('takes a header and a prefix for the host session ID', () => {
    expect(resolveProxyConfig({ ...valid, hostSession: { header: 'X-Session-ID' } }).hostSession).toEqual({ header: 'x-session-id', prefix: '', handoff: 'direct' });
    expect(resolveProxyConfig({ ...valid, hostSession: { prefix: 'Session ' } }).hostSession).toEqual({ header: 'authorization', prefix: 'Session ', handoff: 'direct' });
  });

  it("takes the 'app-window' compatibility handoff only when asked for, and host origins in canonical form", () => {
    expect(resolveProxyConfig({ ...valid, hostSession: { handoff: 'app-window' } }).hostSession.handoff).toBe('app-window');
    expect(resolveProxyConfig({ ...valid, hostOrigins: ['https://Host.example.com:443'] }).hostOrigins).toEqual(['https://host.example.com']);
  });

  it.each([
    ['no app origin', { ...valid, appOrigins: [] }, /appOrigins/],
    ['an app origin with a path', { ...valid, appOrigins: ['https://app.example.com/x'] }, /appOrigins\[0\]/],
    ['no client id', { ...valid, clientId: '' }, /clientId/],
    ['an issuer that is no URL', { ...valid, issuer: 'op' }, /issuer/],
    ['rules that are not a list', { ...valid, rules: {} }, /rules/],
    ['a bad rule', { ...valid, rules: [{ origin: 'https://api.example.com', pathPrefix: 'v1' }] }, /rules\[0\]\.pathPrefix/],
    ['a redaction list without refresh_token', { ...valid, redact: ['access_token'] }, /redact/],
    ['an unknown placeholder shape', { ...valid, placeholder: 'JWT' }, /placeholder must be 'REDACTED'/],
    ['a placeholder that is any text', { ...valid, placeholder: 'XXX' }, /placeholder/],
    ['an unknown time limit', { ...valid, timeouts: { forever: 1 } }, /timeouts\.forever/],
    ['a negative time limit', { ...valid, timeouts: { upstreamMs: -1 } }, /timeouts\.upstreamMs/],
    ['a fractional skew', { ...valid, refreshSkewSeconds: 1.5 }, /refreshSkewSeconds/],
    ['a host session header that is no header name', { ...valid, hostSession: { header: 'x session' } }, /hostSession\.header/],
    ['a host session header a page may not set', { ...valid, hostSession: { header: 'Cookie' } }, /hostSession\.header/],
    ['a host session header in Sec-', { ...valid, hostSession: { header: 'Sec-Session' } }, /hostSession\.header/],
    ['a host session prefix with CR LF', { ...valid, hostSession: { prefix: 'S\r\nX: ' } }, /hostSession\.prefix/],
    ['an unknown host session field', { ...valid, hostSession: { scheme: 'x' } }, /hostSession\.scheme/],
    // Configuration sanity: where a credential would go.
    ['a rule on the app origin', { ...valid, rules: [valid.rules[0], { origin: 'https://APP.example.com:443' }] }, /rules\[1\]\.origin must not be an app origin/],
    ['a rule over plain http on a public name', { ...valid, rules: [{ origin: 'http://api.example.com' }] }, /rules\[0\]\.origin must be https/],
    ['an issuer over plain http on a public name', { ...valid, issuer: 'http://op.example.com' }, /issuer must be https/],
    ['an OP origin over plain http on a public name', { ...valid, opOrigins: ['http://tokens.example.com'] }, /opOrigins\[0\] must be https/],
    ['an app origin over plain http on a public name', { ...valid, appOrigins: ['http://app.example.com'] }, /appOrigins\[0\] must be https/],
    ['a keep-list naming a credential', { ...valid, keep: ['device_secret'] }, /keep must not list device_secret/],
    ['a keep-list that is not a list of names', { ...valid, keep: [''] }, /keep must be a list/],
    ['OP origins that are not a list', { ...valid, opOrigins: 'https://tokens.example.com' }, /opOrigins must be a list/],
    // Rules that overlap the OP, before any discovery: the issuer's path and all below it.
    ['a rule on the whole OP origin', { ...valid, rules: [{ origin: 'https://op.example.com' }] }, /rules\[0\] must not cover the OP's issuer path/],
    [
      'a rule over the issuer path, in another case',
      { ...valid, issuer: 'https://op.example.com/realms/x', rules: [{ origin: 'https://op.example.com', pathPrefix: '/Realms/' }] },
      /rules\[0\] must not cover the OP's issuer path/,
    ],
    ['an unknown host session handoff', { ...valid, hostSession: { handoff: 'any' } }, /hostSession\.handoff/],
    ['host origins that are not a list', { ...valid, hostOrigins: 'https://host.example.com' }, /hostOrigins/],
    ['a host origin with a path', { ...valid, hostOrigins: ['https://host.example.com/tab'] }, /hostOrigins\[0\]/],
    ['an app origin as host origin (the app would hand itself the ID)', { ...valid, hostOrigins: ['https://app.example.com'] }, /hostOrigins\[0\]/],
  ])('refuses %s, naming the field', (_name, input, field) => {
    expect(() => resolveProxyConfig(input)).toThrow(field);
  });
});

describe('resolveProxyConfig: sanity it still allows', () => {
  it('takes plain http on loopback names, OP origins once each, and rules beside the issuer path', () => {
    const config = resolveProxyConfig({
      ...valid,
      appOrigins: ['http://app.vault.localhost:8080'],
      issuer: 'http://op.vault.localhost:8080/realms/x',
      opOrigins: ['http://tokens.vault.localhost:8080', 'http://TOKENS.vault.localhost:8080'],
      rules: [{ origin: 'http://op.vault.localhost:8080', pathPrefix: '/api/' }, { origin: 'http://127.0.0.1:9' }],
    });
    expect(config.opOrigins).toEqual(['http://op.vault.localhost:8080', 'http://tokens.vault.localhost:8080']);
    expect(config.rules).toHaveLength(2);
  });
});

describe('resolveInterceptorConfig', () => {
  it('keeps only what routing needs', () => {
    const config = resolveInterceptorConfig({ issuer: 'https://op.example.com/realms/x', rules: valid.rules });
    expect(config.issuerOrigin).toBe('https://op.example.com');
    expect(config.rules).toHaveLength(1);
  });
  it('refuses a missing configuration', () => {
    expect(() => resolveInterceptorConfig(undefined)).toThrow(/config must be an object/);
  });
});
