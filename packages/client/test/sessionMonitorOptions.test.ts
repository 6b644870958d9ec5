import { VaultError } from '@tokenvault/protocol';
import { describe, expect, it } from 'vitest';
import { base64url } from '@tokenvault/protocol';
import { sessionMonitorOptions, type SessionMonitorOptions } from '../src/sessionMonitorOptions.js';

const jwt = (claims: unknown) => `${base64url(new TextEncoder().encode('{"alg":"RS256"}'))}.${base64url(new TextEncoder().encode(JSON.stringify(claims)))}.sig`;
const APP = 'https://app.example.com';
const vault = {
  fetch: async () => new Response(),
  logout: async () => ({ revocation: 'revoked' as const, revocations: [], storageCleared: true }),
} as unknown as SessionMonitorOptions['vault'];
const GOOD: SessionMonitorOptions = {
  vault,
  issuer: 'https://op.example.com',
  clientId: 'spa',
  sessionState: 'abc.salt',
  idToken: jwt({ iss: 'https://op.example.com', sub: 'alice', aud: 'spa' }),
  redirectUri: `${APP}/silent-callback.html`,
};
const refusal = (options: unknown): string => {
  try {
    sessionMonitorOptions(options, APP);
  } catch (err) {
    return err instanceof VaultError ? `${err.code}: ${err.message}` : 'not a VaultError';
  }
  return 'no error';
};

describe('sessionMonitorOptions: new SessionMonitor(options) checked at the door', () => {
  it('fills in the defaults and reads the user from the ID token', () => {
    expect(sessionMonitorOptions(GOOD, APP)).toMatchObject({ scope: 'openid', intervalMs: 3000, timeoutMs: 10_000, sub: 'alice' });
  });
  it.each<[string, unknown, string]>([
    ['not an object', null, 'options must be an object'],
    ['a vault without fetch', { ...GOOD, vault: {} }, 'options.vault must be the vault from createVault()'],
    ['an issuer that is not an http(s) URL', { ...GOOD, issuer: 'javascript:alert(1)' }, 'options.issuer must be the OP issuer URL'],
    ['an empty client_id', { ...GOOD, clientId: '' }, 'options.clientId must be the OAuth client_id'],
    ['a session_state with spaces', { ...GOOD, sessionState: 'a b' }, 'options.sessionState must be the session_state of the authorization response'],
    [
      'a redirect URI on another origin',
      { ...GOOD, redirectUri: 'https://evil.example.com/cb' },
      'options.redirectUri must be a page on this origin that runs nothing, registered at the OP',
    ],
    ['a scope without openid', { ...GOOD, scope: 'profile' }, 'options.scope must be a scope string that includes openid'],
    ['an ID token that is not a JWT', { ...GOOD, idToken: 'opaque' }, 'options.idToken must be the ID token of the sign-in'],
    ['an interval under 200 ms', { ...GOOD, intervalMs: 199 }, 'options.intervalMs must be a whole number of milliseconds between 200 and 3600000'],
    ['a timeout that is not whole', { ...GOOD, timeoutMs: 1.5 }, 'options.timeoutMs must be a whole number of milliseconds between 1 and 3600000'],
  ])('refuses %s (TV_INVALID_ARGUMENT)', (_, options, message) => {
    expect(refusal(options)).toBe(`TV_INVALID_ARGUMENT: new SessionMonitor(options): ${message}`);
  });
});
