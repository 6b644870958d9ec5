import { describe, expect, it } from 'vitest';
import { VaultError } from '@tokenvault/protocol';
import { findRule, parseRequestUrl } from '../src/rules.js';
import { normalizeRule } from '../src/normalizeRule.js';
import { parseOrigin } from '../src/parseOrigin.js';

const rules = [normalizeRule({ origin: 'https://api.example.com', pathPrefix: '/v1/' })];
const match = (url: string, method = 'GET') => findRule(rules, url, method) !== undefined;
const code = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (err) {
    return err instanceof VaultError ? err.code : 'not a VaultError';
  }
  return undefined;
};

describe('normalizeRule', () => {
  it('canonicalises origin (case, default port) and drops the trailing slash of the prefix', () => {
    expect(normalizeRule({ origin: 'https://API.Example.com:443', pathPrefix: '/v1/' })).toEqual({
      origin: 'https://api.example.com',
      base: '/v1',
      methods: null,
      credential: 'access_token',
      dpop: false,
      resource: null,
      requireAuthorizationHeader: false,
    });
  });

  it('names the API of a rule: resource (RFC 8707) or audience (Auth0)', () => {
    expect(normalizeRule({ origin: 'https://api.example.com', resource: 'https://api.example.com/' }).resource).toEqual({ param: 'resource', value: 'https://api.example.com/' });
    expect(normalizeRule({ origin: 'https://api.example.com', audience: 'urn:my-api' }).resource).toEqual({ param: 'audience', value: 'urn:my-api' });
  });

  it('takes a per-rule scope: alone it names the API (Entra ID v2.0, Keycloak); with resource or audience it goes beside it', () => {
    expect(normalizeRule({ origin: 'https://api.example.com', scope: 'api://my-api/.default' }).resource).toEqual({ param: 'scope', value: 'api://my-api/.default' });
    expect(normalizeRule({ origin: 'https://api.example.com', resource: 'https://api.example.com/', scope: 'read write' }).resource).toEqual({
      param: 'resource',
      value: 'https://api.example.com/',
      scope: 'read write',
    });
    expect(normalizeRule({ origin: 'https://api.example.com', audience: 'urn:my-api', scope: 'read' }).resource).toEqual({ param: 'audience', value: 'urn:my-api', scope: 'read' });
  });

  it('marks a rule whose requests the worker routes only with an Authorization header', () => {
    expect(normalizeRule({ origin: 'https://api.example.com', requireAuthorizationHeader: true }).requireAuthorizationHeader).toBe(true);
  });

  it('marks a rule for DPoP', () => {
    expect(normalizeRule({ origin: 'https://api.example.com', dpop: true }).dpop).toBe(true);
  });

  it('keeps an explicit non-default port', () => {
    expect(normalizeRule({ origin: 'https://api.example.com:8443' }).origin).toBe('https://api.example.com:8443');
  });

  it.each([
    ['an origin with a path', { origin: 'https://api.example.com/v1' }],
    ['an origin with credentials', { origin: 'https://user@api.example.com' }],
    ['an origin with a query', { origin: 'https://api.example.com?x=1' }],
    ['a non-http origin', { origin: 'ftp://api.example.com' }],
    ['not a URL', { origin: 'api.example.com' }],
    ['a relative prefix', { origin: 'https://a.example', pathPrefix: 'v1/' }],
    ['a prefix with a dot segment', { origin: 'https://a.example', pathPrefix: '/v1/../admin/' }],
    ['a prefix with an encoded slash', { origin: 'https://a.example', pathPrefix: '/v1%2fadmin/' }],
    ['a protocol-relative prefix', { origin: 'https://a.example', pathPrefix: '//evil.example/' }],
    ['lower-case methods', { origin: 'https://a.example', methods: ['get'] }],
    ['an empty method list', { origin: 'https://a.example', methods: [] }],
    ['an unknown credential', { origin: 'https://a.example', credential: 'cookie' }],
    ['dpop that is not a boolean', { origin: 'https://a.example', dpop: 'yes' }],
    ['requireAuthorizationHeader that is not a boolean', { origin: 'https://a.example', requireAuthorizationHeader: 1 }],
    ['dpop on a host-session rule', { origin: 'https://a.example', credential: 'host_session', dpop: true }],
    ['an unknown field (a typo of dpop)', { origin: 'https://a.example', dPoP: true }],
    ['a relative resource', { origin: 'https://a.example', resource: '/api' }],
    ['a resource with a fragment', { origin: 'https://a.example', resource: 'https://a.example/#x' }],
    ['an empty resource', { origin: 'https://a.example', resource: '' }],
    ['a resource that is not a string', { origin: 'https://a.example', resource: 42 }],
    ['an audience with a space', { origin: 'https://a.example', audience: 'my api' }],
    ['both resource and audience', { origin: 'https://a.example', resource: 'https://a.example/', audience: 'https://a.example/' }],
    ['a resource on a host-session rule', { origin: 'https://a.example', credential: 'host_session', resource: 'https://a.example/' }],
    ['an empty scope', { origin: 'https://a.example', scope: '' }],
    ['a scope that is not a string', { origin: 'https://a.example', scope: ['api'] }],
    ['a scope with two spaces between tokens', { origin: 'https://a.example', scope: 'read  write' }],
    ['a scope with a leading space', { origin: 'https://a.example', scope: ' read' }],
    ['a scope with a quote (not NQCHAR)', { origin: 'https://a.example', scope: 'read"' }],
    ['a scope with a backslash (not NQCHAR)', { origin: 'https://a.example', scope: 'read\\x' }],
    ['a scope with a line break', { origin: 'https://a.example', scope: 'read\nwrite' }],
    ['a scope longer than 1024 characters', { origin: 'https://a.example', scope: 'a'.repeat(1025) }],
    ['a scope on a host-session rule', { origin: 'https://a.example', credential: 'host_session', scope: 'api' }],
  ])('refuses %s with TV_INVALID_CONFIG', (_name, rule) => {
    expect(code(() => normalizeRule(rule as never))).toBe('TV_INVALID_CONFIG');
  });

  it('names the field in the error', () => {
    expect(() => normalizeRule({ origin: 'nope' }, 'rules[2]')).toThrow(/rules\[2\]\.origin/);
    expect(() => normalizeRule({ origin: 'https://a.example', scope: 'a  b' }, 'rules[1]')).toThrow(/rules\[1\]\.scope/);
  });
});

describe('findRule: segment boundary', () => {
  it.each([
    ['https://api.example.com/v1', true],
    ['https://api.example.com/v1/', true],
    ['https://api.example.com/v1/users/7?x=1#f', true],
    ['https://api.example.com/v10', false],
    ['https://api.example.com/v1x/users', false],
    ['https://api.example.com/', false],
    ['https://api.example.com/V1/users', false],
  ])('%s → %s', (url, expected) => {
    expect(match(url)).toBe(expected);
  });

  it('a root prefix matches every path of the origin', () => {
    const root = [normalizeRule({ origin: 'https://api.example.com' })];
    expect(findRule(root, 'https://api.example.com/anything/at/all', 'GET')).toBeDefined();
  });
});

describe('findRule: origins', () => {
  it.each([
    ['https://api.example.com.evil.tld/v1/', false],
    ['https://evil.tld/api.example.com/v1/', false],
    ['https://api.example.com./v1/', false],
    ['https://API.EXAMPLE.COM/v1/x', true],
    ['https://api.example.com:443/v1/x', true],
    ['https://api.example.com:8443/v1/x', false],
    ['http://api.example.com/v1/x', false],
    ['https://xapi.example.com/v1/x', false],
  ])('%s → %s', (url, expected) => {
    expect(match(url)).toBe(expected);
  });
});

describe('findRule: ambiguous URLs are refused, not guessed', () => {
  it.each([
    ['userinfo', 'https://user@api.example.com/v1/x'],
    ['userinfo with password', 'https://user:pw@api.example.com/v1/x'],
    ['an @ that moves the host', 'https://api.example.com@evil.tld/v1/x'],
    ['an encoded slash', 'https://api.example.com/v1/..%2Fadmin'],
    ['an encoded slash, upper case', 'https://api.example.com/v1%2F..%2Fadmin'],
    ['an encoded backslash', 'https://api.example.com/v1/%5c..%5cadmin'],
    ['an encoded dot segment', 'https://api.example.com/v1/%2e%2e/admin'],
    ['a raw dot-dot segment', 'https://api.example.com/v1/../admin'],
    ['a raw dot segment', 'https://api.example.com/v1/./x'],
    ['a backslash', 'https://api.example.com/v1\\..\\admin'],
    ['a dot-dot segment with a ; parameter', 'https://api.example.com/v1/..;/admin'],
    ['a dot segment with a ; parameter', 'https://api.example.com/v1/.;/x'],
    ['a ; inside a segment', 'https://api.example.com/v1/x;jsessionid=1'],
    ['an encoded ;', 'https://api.example.com/v1/..%3b/admin'],
    ['a double-encoded slash', 'https://api.example.com/v1/..%252fadmin'],
    ['a double-encoded dot', 'https://api.example.com/v1/%252e%252e/admin'],
    ['a %u escape', 'https://api.example.com/v1/%u002e%u002e/admin'],
    ['a % without two hex digits', 'https://api.example.com/v1/100%'],
    ['an overlong UTF-8 dot', 'https://api.example.com/v1/%c0%ae%c0%ae/admin'],
    ['an overlong UTF-8 slash', 'https://api.example.com/v1/..%c0%afadmin'],
    ['a three-byte overlong dot', 'https://api.example.com/v1/%e0%80%ae/x'],
    ['a lone continuation byte', 'https://api.example.com/v1/%80'],
    ['a relative URL', '/v1/x'],
    ['a javascript: URL', 'javascript:alert(1)'],
    ['a data: URL', 'data:text/plain,hi'],
  ])('%s', (_name, url) => {
    expect(code(() => findRule(rules, url, 'GET'))).toBe('TV_AMBIGUOUS_URL');
  });

  it('a percent-encoded character that is not a separator is fine', () => {
    expect(match('https://api.example.com/v1/caf%C3%A9')).toBe(true);
    expect(match('https://api.example.com/v1/café')).toBe(true);
    expect(match('https://api.example.com/v1/100%25')).toBe(true);
    expect(match('https://api.example.com/v1/a%20b')).toBe(true);
  });

  it('parseRequestUrl returns the parsed URL', () => {
    expect(parseRequestUrl('https://api.example.com/v1/x?y=1').pathname).toBe('/v1/x');
  });
});

describe('findRule: methods', () => {
  const readOnly = [normalizeRule({ origin: 'https://api.example.com', pathPrefix: '/v1', methods: ['GET', 'HEAD'] })];
  it('allows the listed methods only', () => {
    expect(findRule(readOnly, 'https://api.example.com/v1/x', 'GET')).toBeDefined();
    expect(findRule(readOnly, 'https://api.example.com/v1/x', 'head')).toBeDefined();
    expect(findRule(readOnly, 'https://api.example.com/v1/x', 'DELETE')).toBeUndefined();
  });
});

describe('parseOrigin', () => {
  it('accepts a trailing slash', () => {
    expect(parseOrigin('https://a.example/', 'x')).toBe('https://a.example');
  });
  it('lower-cases and drops the default port', () => {
    expect(parseOrigin('HTTP://A.Example:80', 'x')).toBe('http://a.example');
  });
});
