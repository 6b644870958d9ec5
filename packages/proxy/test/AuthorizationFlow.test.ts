import { opEndpointsFrom, resolveProxyConfig, type ProviderMetadata } from '@tokenvault/config';
import { describe, expect, it } from 'vitest';
import { PendingSignIns, SIGN_IN_TTL_MS, authorizationUrl, checkHints, checkReturnTo, newPendingSignIn, userClaims } from '../src/signin/AuthorizationFlow.js';

const config = resolveProxyConfig({
  appOrigins: ['https://app.example.com', 'https://beta.example.com'],
  issuer: 'https://op.example.com',
  clientId: 'spa',
  rules: [],
  scope: 'openid api',
});

/** A provider's metadata as discover() gives it: the document's fields and the endpoints classified from it. */
function metadataOf(doc: { issuer: string; token_endpoint: string; authorization_endpoint: string }): ProviderMetadata {
  return { ...doc, endpoints: opEndpointsFrom(doc) };
}

describe('checkReturnTo', () => {
  it('takes a path on the first app origin, and a URL of any app origin', () => {
    expect(checkReturnTo('/inbox?x=1', config)).toBe('https://app.example.com/inbox?x=1');
    expect(checkReturnTo('https://beta.example.com/', config)).toBe('https://beta.example.com/');
    expect(checkReturnTo(null, config)).toBe('https://app.example.com/');
  });

  it.each([
    ['another origin', 'https://evil.example.net/'],
    ['a scheme-relative URL', '//evil.example.net/'],
    ['a backslash trick', '/\\evil.example.net/'],
    ['a look-alike host', 'https://app.example.com.evil.example.net/'],
    ['credentials', 'https://user:pw@app.example.com/'],
    ['javascript:', 'javascript:alert(1)'],
  ])('refuses %s (TV_RETURN_TO_REJECTED)', (_name, value) => {
    expect(() => checkReturnTo(value, config)).toThrow(expect.objectContaining({ code: 'TV_RETURN_TO_REJECTED' }));
  });
});

describe('checkHints', () => {
  it.each([
    ['an unknown prompt', { prompt: 'always' }],
    ['a login hint with a control character', { loginHint: 'a\nb' }],
    ['a scope without openid', { scope: 'api' }],
  ])('refuses %s (TV_INVALID_ARGUMENT)', (_name, hints) => {
    expect(() => checkHints(hints as never)).toThrow(expect.objectContaining({ code: 'TV_INVALID_ARGUMENT' }));
  });
});

describe('authorizationUrl', () => {
  it('builds Authorization Code + PKCE S256 with state and nonce, the redirect URI the proxy’s', async () => {
    const pending = newPendingSignIn(config, 'https://proxy.example.com/callback', {});
    const url = new URL(
      await authorizationUrl(
        metadataOf({ issuer: config.issuer, token_endpoint: 'https://op.example.com/token', authorization_endpoint: 'https://op.example.com/auth' }),
        config,
        pending,
        {
          prompt: 'login',
          loginHint: 'alice',
        },
      ),
    );
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      client_id: 'spa',
      redirect_uri: 'https://proxy.example.com/callback',
      response_type: 'code',
      scope: 'openid api',
      code_challenge_method: 'S256',
      state: pending.state,
      nonce: pending.nonce,
      prompt: 'login',
      login_hint: 'alice',
    });
    expect(url.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(url.href).not.toContain(pending.verifier);
    expect(url.searchParams.has('resource')).toBe(false);
  });

  it('asks for every API the rules name (RFC 8707 resource, once each); audience only when one API is named so', async () => {
    const metadata = metadataOf({ issuer: config.issuer, token_endpoint: 'https://op.example.com/token', authorization_endpoint: 'https://op.example.com/auth' });
    const withApis = (rules: unknown[]) => resolveProxyConfig({ appOrigins: ['https://app.example.com'], issuer: 'https://op.example.com', clientId: 'spa', rules });
    const perApi = withApis([
      { origin: 'https://api.example.com', pathPrefix: '/v1/', resource: 'https://api.example.com/' },
      { origin: 'https://api.example.com', pathPrefix: '/v2/', resource: 'https://api.example.com/' },
      { origin: 'https://api2.example.com', resource: 'https://api2.example.com/' },
      { origin: 'https://legacy.example.com' },
    ]);
    const url = new URL(await authorizationUrl(metadata, perApi, newPendingSignIn(perApi, 'https://proxy.example.com/callback', {}), {}));
    expect(url.searchParams.getAll('resource')).toEqual(['https://api.example.com/', 'https://api2.example.com/']);
    const auth0 = withApis([{ origin: 'https://api.example.com', audience: 'https://api.example.com' }]);
    const one = new URL(await authorizationUrl(metadata, auth0, newPendingSignIn(auth0, 'https://proxy.example.com/callback', {}), {}));
    expect(one.searchParams.getAll('audience')).toEqual(['https://api.example.com']);
    const two = withApis([
      { origin: 'https://api.example.com', audience: 'a' },
      { origin: 'https://api2.example.com', audience: 'b' },
    ]);
    expect(new URL(await authorizationUrl(metadata, two, newPendingSignIn(two, 'https://proxy.example.com/callback', {}), {})).searchParams.has('audience')).toBe(false);
  });
});

describe('PendingSignIns', () => {
  it('hands a pending sign-in out once: a second take of the same state is TV_INVALID_STATE', () => {
    const pending = new PendingSignIns();
    const one = newPendingSignIn(config, 'https://proxy.example.com/callback', {});
    pending.add(one);
    expect(pending.take(one.state)).toEqual(one);
    expect(() => pending.take(one.state)).toThrow(expect.objectContaining({ code: 'TV_INVALID_STATE' }));
  });

  it('refuses an unknown or missing state, and an expired one (which is removed too)', () => {
    const pending = new PendingSignIns();
    const old = { ...newPendingSignIn(config, 'https://proxy.example.com/callback', {}), createdAt: Date.now() - SIGN_IN_TTL_MS - 1 };
    pending.add(newPendingSignIn(config, 'https://proxy.example.com/callback', {}));
    expect(() => pending.take('unknown')).toThrow(expect.objectContaining({ code: 'TV_INVALID_STATE' }));
    expect(() => pending.take(null)).toThrow(expect.objectContaining({ code: 'TV_INVALID_STATE' }));
    (pending as unknown as { add(p: unknown): void }).add(old);
    // add() drops expired ones; the expired one here was just added, so it is known, and refused as expired.
    expect(() => pending.take(old.state)).toThrow(expect.objectContaining({ code: 'TV_INVALID_STATE' }));
    expect(pending.has(old.state)).toBe(false);
  });
});

describe('userClaims', () => {
  it('leaves out the claims of the flow (nonce, sid, hashes)', () => {
    const payload = btoa(JSON.stringify({ sub: 'alice', nonce: 'n', sid: 's', at_hash: 'h', name: 'Alice' })).replace(/=+$/, '');
    expect(userClaims(`x.${payload}.y`)).toEqual({ sub: 'alice', name: 'Alice' });
  });
});
