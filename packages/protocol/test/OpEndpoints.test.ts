import { describe, expect, it } from 'vitest';
import { isOpEndpoints, opEndpointsFrom } from '../src/OpEndpoints.js';

describe('opEndpointsFrom', () => {
  it('takes every endpoint kind from a discovery document, and nothing else', () => {
    expect(
      opEndpointsFrom({
        issuer: 'https://op.example.com',
        token_endpoint: 'https://op.example.com/token',
        revocation_endpoint: 'https://op.example.com/revoke',
        introspection_endpoint: 'https://op.example.com/introspect',
        userinfo_endpoint: 'https://op.example.com/me',
        pushed_authorization_request_endpoint: 'https://op.example.com/par',
        device_authorization_endpoint: 'https://op.example.com/device',
        end_session_endpoint: 'https://op.example.com/logout',
        jwks_uri: 'https://op.example.com/jwks',
      }),
    ).toEqual({
      issuer: 'https://op.example.com',
      token: 'https://op.example.com/token',
      revocation: 'https://op.example.com/revoke',
      introspection: 'https://op.example.com/introspect',
      userinfo: 'https://op.example.com/me',
      pushed_authorization_request: 'https://op.example.com/par',
      device_authorization: 'https://op.example.com/device',
      end_session: 'https://op.example.com/logout',
      // The public documents the vault fetches for the app (issue 14).
      jwks: 'https://op.example.com/jwks',
      discovery: 'https://op.example.com/.well-known/openid-configuration',
    });
  });

  it.each([
    ['no token endpoint', { issuer: 'https://op.example.com' }],
    ['a relative endpoint', { issuer: 'https://op.example.com', token_endpoint: '/token' }],
    ['a non-http endpoint', { issuer: 'https://op.example.com', token_endpoint: 'javascript:alert(1)' }],
    ['an endpoint with credentials', { issuer: 'https://op.example.com', token_endpoint: 'https://u:p@op.example.com/token' }],
    ['an optional endpoint that is not a string', { issuer: 'https://op.example.com', token_endpoint: 'https://op.example.com/token', revocation_endpoint: 7 }],
  ])('refuses %s with TV_INVALID_CONFIG', (_name, doc) => {
    expect(() => opEndpointsFrom(doc)).toThrow(expect.objectContaining({ code: 'TV_INVALID_CONFIG' }));
  });
});

describe('isOpEndpoints', () => {
  it('accepts the shape and refuses unknown kinds or non-URLs', () => {
    expect(isOpEndpoints({ issuer: 'https://op.example.com', token: 'https://op.example.com/token' })).toBe(true);
    expect(isOpEndpoints({ issuer: 'https://op.example.com' })).toBe(false);
    expect(isOpEndpoints({ issuer: 'https://op.example.com', token: 'https://op.example.com/token', keys: 'https://op.example.com/j' })).toBe(false);
    expect(isOpEndpoints({ issuer: 'https://op.example.com', token: 'nope' })).toBe(false);
    expect(isOpEndpoints(null)).toBe(false);
  });
});
