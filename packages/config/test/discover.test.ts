import { describe, expect, it } from 'vitest';
import { VaultError } from '@tokenvault/protocol';
import { discover, opEndpointsFrom } from '../src/discover.js';

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

describe('discover', () => {
  const issuer = 'https://op.example.com';
  const valid = { issuer, token_endpoint: `${issuer}/token`, authorization_endpoint: `${issuer}/auth`, check_session_iframe: `${issuer}/session` };
  /** A fetcher that answers `body` (JSON unless a string) with `status`, and records the URL it was asked for. */
  function answering(body: unknown, status = 200) {
    const asked: string[] = [];
    const fetchDocument = (url: string): Promise<Response> => {
      asked.push(url);
      return Promise.resolve(new Response(typeof body === 'string' ? body : JSON.stringify(body), { status }));
    };
    return { asked, fetchDocument };
  }

  it('fetches the issuer’s well-known document and gives its endpoints', async () => {
    const { asked, fetchDocument } = answering(valid);
    const metadata = await discover(issuer, 1000, fetchDocument);
    expect(asked).toEqual([`${issuer}/.well-known/openid-configuration`]);
    expect(metadata).toMatchObject({ issuer, token_endpoint: `${issuer}/token`, authorization_endpoint: `${issuer}/auth`, check_session_iframe: `${issuer}/session` });
    expect(metadata.endpoints.token).toBe(`${issuer}/token`);
  });

  it('refuses a document that names another issuer (a mix-up) with TV_INVALID_CONFIG', async () => {
    await expect(discover(issuer, 1000, answering({ ...valid, issuer: 'https://evil.example' }).fetchDocument)).rejects.toMatchObject({ code: 'TV_INVALID_CONFIG' });
  });

  it('refuses a document that is not JSON, or not an object, with TV_INVALID_CONFIG', async () => {
    await expect(discover(issuer, 1000, answering('<html>').fetchDocument)).rejects.toMatchObject({ code: 'TV_INVALID_CONFIG' });
    await expect(discover(issuer, 1000, answering('null').fetchDocument)).rejects.toMatchObject({ code: 'TV_INVALID_CONFIG' });
  });

  it('refuses an optional endpoint that is not an http(s) URL with TV_INVALID_CONFIG', async () => {
    await expect(discover(issuer, 1000, answering({ ...valid, check_session_iframe: 'javascript:alert(1)' }).fetchDocument)).rejects.toMatchObject({ code: 'TV_INVALID_CONFIG' });
  });

  it('fails with TV_UPSTREAM_UNREACHABLE when the document answers an error status', async () => {
    await expect(discover(issuer, 1000, answering({}, 503).fetchDocument)).rejects.toMatchObject({ code: 'TV_UPSTREAM_UNREACHABLE' });
  });

  it('fails with TV_UPSTREAM_UNREACHABLE on a network error, and keeps a typed error of the fetcher as it is', async () => {
    await expect(discover(issuer, 1000, () => Promise.reject(new TypeError('network')))).rejects.toMatchObject({ code: 'TV_UPSTREAM_UNREACHABLE' });
    await expect(discover(issuer, 1000, () => Promise.reject(new VaultError('TV_UPSTREAM_TIMEOUT')))).rejects.toMatchObject({ code: 'TV_UPSTREAM_TIMEOUT' });
  });
});
