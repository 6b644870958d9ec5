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
    expect(config.hostSession).toEqual({ header: 'authorization', prefix: '' });
  });

  it('takes a header and a prefix for the host session ID', () => {
    expect(resolveProxyConfig({ ...valid, hostSession: { header: 'X-Session-ID' } }).hostSession).toEqual({ header: 'x-session-id', prefix: '' });
    expect(resolveProxyConfig({ ...valid, hostSession: { prefix: 'Session ' } }).hostSession).toEqual({ header: 'authorization', prefix: 'Session ' });
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
