import { REDACTED } from '../src/tokens/redact.js';
import { VaultError } from '@tokenvault/protocol';
import { describe, expect, it } from 'vitest';
import { toTokenSet } from '../src/tokens/toTokenSet.js';
import { STORED } from './helpers.js';

const code = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    return err instanceof VaultError ? err.code : 'not a VaultError';
  }
  return 'no error';
};

describe('toTokenSet: what the vault keeps of a token response', () => {
  it('keeps the tokens, the scope and the expiry, and calls the type Bearer', () => {
    const before = Date.now();
    const set = toTokenSet({ access_token: 'at', token_type: 'bearer', expires_in: 60, refresh_token: 'rt', id_token: 'id', scope: 'openid' }, null);
    expect(set).toMatchObject({ accessToken: 'at', tokenType: 'Bearer', refreshToken: 'rt', idToken: 'id', scope: 'openid' });
    expect(set.expiresAt).toBeGreaterThanOrEqual(before + 60_000);
  });
  it('keeps the refresh token, ID token and scope of the previous set that a refresh did not replace', () => {
    expect(toTokenSet({ access_token: 'at2', token_type: 'Bearer', refresh_token: '' }, STORED)).toMatchObject({
      refreshToken: STORED.refreshToken,
      scope: STORED.scope,
      expiresAt: null,
    });
  });
  it('takes a DPoP token when the request carried a proof', () => {
    expect(toTokenSet({ access_token: 'at', token_type: 'DPoP' }, null, true).tokenType).toBe('DPoP');
  });
  it('refuses an answer that is not an object', () => {
    expect(code(() => toTokenSet('at', null))).toBe('TV_INVALID_TOKEN_RESPONSE');
    expect(code(() => toTokenSet(null, null))).toBe('TV_INVALID_TOKEN_RESPONSE');
  });
  it('refuses an answer without an access_token', () => {
    expect(code(() => toTokenSet({ token_type: 'Bearer' }, null))).toBe('TV_INVALID_TOKEN_RESPONSE');
    expect(code(() => toTokenSet({ access_token: '', token_type: 'Bearer' }, null))).toBe('TV_INVALID_TOKEN_RESPONSE');
  });
  it('refuses the placeholder as an access token', () => {
    expect(code(() => toTokenSet({ access_token: REDACTED, token_type: 'Bearer' }, null))).toBe('TV_INVALID_TOKEN_RESPONSE');
  });
  it('refuses an answer without token_type, or of another type', () => {
    expect(code(() => toTokenSet({ access_token: 'at' }, null))).toBe('TV_INVALID_TOKEN_RESPONSE');
    expect(code(() => toTokenSet({ access_token: 'at', token_type: 'mac' }, null, true))).toBe('TV_INVALID_TOKEN_RESPONSE');
  });
  it('refuses a DPoP token the request did not ask for (no proof: bound to no key the vault holds)', () => {
    expect(code(() => toTokenSet({ access_token: 'at', token_type: 'DPoP' }, null, false))).toBe('TV_INVALID_TOKEN_RESPONSE');
  });
  it.each([-1, '60', Number.POSITIVE_INFINITY, Number.NaN])('refuses expires_in %s', (expiresIn) => {
    expect(code(() => toTokenSet({ access_token: 'at', token_type: 'Bearer', expires_in: expiresIn }, null))).toBe('TV_INVALID_TOKEN_RESPONSE');
  });
  it("an answer without scope has the requested one (RFC 6749 §5.1), else the previous set's, else none", () => {
    const previous = { ...STORED, scope: 'openid api' };
    expect(toTokenSet({ access_token: 'at', token_type: 'Bearer' }, previous, false, 'openid').scope).toBe('openid');
    expect(toTokenSet({ access_token: 'at', token_type: 'Bearer' }, previous).scope).toBe('openid api');
    expect(toTokenSet({ access_token: 'at', token_type: 'Bearer' }, null).scope).toBeNull();
    expect(toTokenSet({ access_token: 'at', token_type: 'Bearer', scope: 'openid email' }, previous, false, 'openid').scope).toBe('openid email');
  });
});
