import { describe, expect, it } from 'vitest';
import { classifyOpRequest, opOrigins, routeOrigin, routePath } from '../src/classifyOpRequest.js';
import type { OpEndpoints } from '@tokenvault/protocol';
import { opEndpointsFrom } from '../src/discover.js';

const endpoints: OpEndpoints = {
  issuer: 'https://op.example.com/realms/x',
  token: 'https://op.example.com/realms/x/protocol/token',
  revocation: 'https://op.example.com/realms/x/protocol/revoke',
  introspection: 'https://op.example.com/realms/x/protocol/introspect',
  userinfo: 'https://userinfo.example.com/v1/userinfo',
  pushed_authorization_request: 'https://op.example.com/realms/x/par',
  device_authorization: 'https://op.example.com/realms/x/device',
  end_session: 'https://op.example.com/realms/x/logout',
};
const TOKEN = 'https://op.example.com/realms/x/protocol/token';
const kind = (url: string, method = 'POST') => classifyOpRequest(endpoints, url, method).kind;

describe('classifyOpRequest: the token endpoint in every form a server routes to it', () => {
  it.each([
    ['the exact URL', TOKEN],
    ['an upper-case scheme and host', 'HTTPS://OP.EXAMPLE.COM/realms/x/protocol/token'],
    ['the explicit default port', 'https://op.example.com:443/realms/x/protocol/token'],
    ['the host with a trailing dot', 'https://op.example.com./realms/x/protocol/token'],
    ['an upper-case path', 'https://op.example.com/REALMS/X/PROTOCOL/TOKEN'],
    ['a trailing slash', `${TOKEN}/`],
    ['repeated slashes', 'https://op.example.com//realms/x//protocol/token'],
    ['encoded unreserved characters', 'https://op.example.com/realms/x/protocol/%74oken'],
    ['a query', `${TOKEN}?x=1`],
    ['a fragment', `${TOKEN}#f`],
  ])('%s is the token endpoint', (_name, url) => {
    expect(kind(url)).toBe('token');
  });

  it('reports whether the query is the endpoint’s own, parameters in any order', () => {
    const b2c = { issuer: 'https://op.example.com', token: 'https://op.example.com/token?p=b2c_1&x=2' };
    expect(classifyOpRequest(b2c, 'https://op.example.com/token?x=2&p=b2c_1', 'POST')).toEqual({ kind: 'token', exactQuery: true });
    expect(classifyOpRequest(b2c, 'https://op.example.com/token?p=other', 'POST')).toEqual({ kind: 'token', exactQuery: false });
    expect(classifyOpRequest(b2c, 'https://op.example.com/token', 'POST')).toEqual({ kind: 'token', exactQuery: false });
    expect(classifyOpRequest(endpoints, TOKEN, 'POST')).toEqual({ kind: 'token', exactQuery: true });
  });

  it('classifies whatever the method: a GET to the token endpoint is still the token endpoint', () => {
    expect(kind(TOKEN, 'GET')).toBe('token');
  });

  it('is not fooled by a look-alike host, port, scheme or path', () => {
    expect(kind('https://op.example.com.evil.tld/realms/x/protocol/token')).toBe('none');
    expect(kind('https://op.example.com:8443/realms/x/protocol/token')).toBe('none');
    expect(kind('http://op.example.com/realms/x/protocol/token')).toBe('none');
    expect(kind('https://op.example.com/realms/x/protocol/tokens')).toBe('unclassified');
    expect(kind('https://op.example.com/realms/x/protocol/token;x')).toBe('unclassified');
  });
});

describe('classifyOpRequest: every endpoint kind', () => {
  it.each([
    ['https://op.example.com/realms/x/protocol/revoke', 'revocation'],
    ['https://op.example.com/realms/x/protocol/introspect', 'introspection'],
    ['https://userinfo.example.com/v1/userinfo', 'userinfo'],
    ['https://op.example.com/realms/x/par', 'pushed_authorization_request'],
    ['https://op.example.com/realms/x/device', 'device_authorization'],
    ['https://op.example.com/realms/x/logout', 'end_session'],
  ])('%s is the %s endpoint', (url, expected) => {
    expect(kind(url)).toBe(expected);
  });

  it('tells apart two endpoints that share a path and differ by query', () => {
    const shared = { issuer: 'https://op.example.com', token: 'https://op.example.com/oauth?do=token', revocation: 'https://op.example.com/oauth?do=revoke' };
    expect(classifyOpRequest(shared, 'https://op.example.com/oauth?do=revoke', 'POST')).toEqual({ kind: 'revocation', exactQuery: true });
    expect(classifyOpRequest(shared, 'https://op.example.com/oauth?do=token', 'POST')).toEqual({ kind: 'token', exactQuery: true });
    expect(classifyOpRequest(shared, 'https://op.example.com/oauth', 'POST').kind).toBe('token');
  });
});

describe('classifyOpRequest: the rest of the OP origins', () => {
  it('calls a write at none of the endpoints unclassified, on every endpoint origin', () => {
    expect(kind('https://op.example.com/realms/x/protocol/other')).toBe('unclassified');
    expect(kind('https://op.example.com/', 'PUT')).toBe('unclassified');
    expect(kind('https://userinfo.example.com/v1/other', 'DELETE')).toBe('unclassified');
  });

  it('leaves reads at none of the endpoints alone (discovery, JWKS)', () => {
    expect(kind('https://op.example.com/realms/x/.well-known/openid-configuration', 'GET')).toBe('none');
    expect(kind('https://op.example.com/realms/x/certs', 'head')).toBe('none');
  });

  it('leaves other origins alone', () => {
    expect(kind('https://api.example.com/realms/x/protocol/token')).toBe('none');
  });

  it('lists the issuer’s origin and every endpoint origin', () => {
    expect(opOrigins(endpoints)).toEqual(['https://op.example.com', 'https://userinfo.example.com']);
  });
});

describe('routeOrigin and routePath', () => {
  it('normalise as servers route', () => {
    expect(routeOrigin(new URL('HTTPS://OP.Example.com.:443/x'))).toBe('https://op.example.com');
    expect(routeOrigin(new URL('http://op.example.com:8080/x'))).toBe('http://op.example.com:8080');
    expect(routePath('/OAuth2//Token/')).toBe('/oauth2/token');
    expect(routePath('/')).toBe('');
    expect(routePath('/a%2Fb')).toBe('/a%2fb');
  });
});

describe('classifyOpRequest: the public documents (issue 14)', () => {
  const endpoints = opEndpointsFrom({ issuer: 'https://op.example.com', token_endpoint: 'https://op.example.com/token', jwks_uri: 'https://op.example.com/jwks' });
  it('names discovery and the JWKS, which the vault fetches for the app', () => {
    expect(classifyOpRequest(endpoints, 'https://op.example.com/.well-known/openid-configuration', 'GET')).toEqual({ kind: 'discovery', exactQuery: true });
    expect(classifyOpRequest(endpoints, 'https://op.example.com/jwks', 'GET')).toEqual({ kind: 'jwks', exactQuery: true });
  });
});
