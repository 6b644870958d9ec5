import { base64url, VaultError } from '@tokenvault/protocol';
import { describe, expect, it } from 'vitest';
import { checkIdToken, type IdTokenExpectations } from '../src/checkIdToken.js';

const jwt = (claims: unknown) => `${base64url('{"alg":"RS256"}')}.${base64url(JSON.stringify(claims))}.sig`;
const NOW = 1_800_000_000_000;
const EXPECTED: IdTokenExpectations = { issuer: 'https://op.example.com', clientId: 'spa', nonce: 'n-1', now: NOW };
const GOOD = { iss: EXPECTED.issuer, sub: 'alice', aud: 'spa', nonce: 'n-1', iat: NOW / 1000 - 5, exp: NOW / 1000 + 300 };

const refusal = (claims: unknown, expected: IdTokenExpectations = EXPECTED): string => {
  try {
    checkIdToken(typeof claims === 'string' ? claims : jwt(claims), expected, 'TV_SESSION_CHECK_FAILED');
  } catch (err) {
    return err instanceof VaultError ? `${err.code}: ${err.message}` : 'not a VaultError';
  }
  return 'no error';
};

describe('checkIdToken: the ID token of the kit’s own authorization request, checked before anything is kept', () => {
  it('passes a token that names the issuer, the client, the nonce, a live expiry; the same user', () => {
    const token = jwt(GOOD);
    expect(checkIdToken(token, { ...EXPECTED, sub: 'alice' }, 'TV_SIGN_IN_FAILED')).toEqual({ idToken: token, claims: GOOD, sameUser: true });
  });
  it('reports another user without failing: the caller signs out with user-changed', () => {
    expect(checkIdToken(jwt({ ...GOOD, sub: 'mallory' }), { ...EXPECTED, sub: 'alice' }, 'TV_SIGN_IN_FAILED').sameUser).toBe(false);
  });
  it('a first sign-in has no user to compare with', () => {
    expect(checkIdToken(jwt(GOOD), EXPECTED, 'TV_SIGN_IN_FAILED').sameUser).toBe(true);
  });
  it('accepts an audience list that includes the client when azp names it', () => {
    expect(refusal({ ...GOOD, aud: ['api', 'spa'], azp: 'spa' })).toBe('no error');
  });
  it('throws with the caller’s code', () => {
    expect(() => checkIdToken(jwt({ ...GOOD, nonce: 'x' }), EXPECTED, 'TV_SIGN_IN_FAILED')).toThrow(expect.objectContaining({ code: 'TV_SIGN_IN_FAILED' }));
  });
  it.each([
    ['another issuer', { ...GOOD, iss: 'https://evil.example.com' }, 'issuer (iss)'],
    ['another audience', { ...GOOD, aud: 'other-client' }, 'audience (aud)'],
    ['several audiences without azp', { ...GOOD, aud: ['api', 'spa'] }, 'authorized party (azp)'],
    ['an azp of another client', { ...GOOD, azp: 'other-client' }, 'authorized party (azp)'],
    ['another nonce', { ...GOOD, nonce: 'replayed' }, 'nonce'],
    ['no nonce', { ...GOOD, nonce: undefined }, 'nonce'],
    ['an expiry past the clock tolerance', { ...GOOD, exp: NOW / 1000 - 301 }, 'expiry (exp)'],
    ['no expiry', { ...GOOD, exp: undefined }, 'expiry (exp)'],
    ['an issue time beyond the clock tolerance', { ...GOOD, iat: NOW / 1000 + 301 }, 'issue time (iat)'],
    ['no issue time', { ...GOOD, iat: undefined }, 'issue time (iat)'],
  ])('refuses an ID token with %s', (_, claims, claim) => {
    expect(refusal(claims)).toBe(`TV_SESSION_CHECK_FAILED: The ID token's ${claim} is not the one expected`);
  });
  it('takes a clock up to the tolerance off', () => {
    expect(refusal({ ...GOOD, exp: NOW / 1000 - 299, iat: NOW / 1000 + 299 })).toBe('no error');
    expect(refusal({ ...GOOD, exp: NOW / 1000 - 10 }, { ...EXPECTED, clockToleranceSeconds: 5 })).toMatch(/expiry/);
  });
  it('refuses what is not an ID token', () => {
    expect(refusal('not-a-jwt')).toBe('TV_SESSION_CHECK_FAILED: The ID token is not a JWT');
    expect(refusal({ iss: GOOD.iss, aud: 'spa' })).toMatch(/lacks iss, sub or aud/);
  });
});
