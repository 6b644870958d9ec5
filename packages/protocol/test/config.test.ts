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
    ['an unknown time limit', { ...valid, timeouts: { forever: 1 } }, /timeouts\.forever/],
    ['a negative time limit', { ...valid, timeouts: { upstreamMs: -1 } }, /timeouts\.upstreamMs/],
    ['a fractional skew', { ...valid, refreshSkewSeconds: 1.5 }, /refreshSkewSeconds/],
    ['a host session header that is no header name', { ...valid, hostSession: { header: 'x session' } }, /hostSession\.header/],
    ['a host session header a page may not set', { ...valid, hostSession: { header: 'Cookie' } }, /hostSession\.header/],
    ['a host session header in Sec-', { ...valid, hostSession: { header: 'Sec-Session' } }, /hostSession\.header/],
    ['a host session prefix with CR LF', { ...valid, hostSession: { prefix: 'S\r\nX: ' } }, /hostSession\.prefix/],
    ['an unknown host session field', { ...valid, hostSession: { scheme: 'x' } }, /hostSession\.scheme/],
    ['an unknown host session handoff', { ...valid, hostSession: { handoff: 'any' } }, /hostSession\.handoff/],
    ['host origins that are not a list', { ...valid, hostOrigins: 'https://host.example.com' }, /hostOrigins/],
    ['a host origin with a path', { ...valid, hostOrigins: ['https://host.example.com/tab'] }, /hostOrigins\[0\]/],
    ['an app origin as host origin (the app would hand itself the ID)', { ...valid, hostOrigins: ['https://app.example.com'] }, /hostOrigins\[0\]/],
  ])('refuses %s, naming the field', (_name, input, field) => {
    expect(() => resolveProxyConfig(input)).toThrow(field);
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
