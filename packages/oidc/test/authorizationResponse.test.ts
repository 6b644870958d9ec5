import { VaultError } from '@tokenvault/protocol';
import { describe, expect, it } from 'vitest';
import { readAuthorizationResponse, type AuthorizationResponseExpectations } from '../src/authorizationResponse.js';

const ISSUER = 'https://op.example.com';
const EXPECTED: AuthorizationResponseExpectations = { issuer: ISSUER, issRequired: false };
const read = (params: Record<string, string>, expected = EXPECTED) => readAuthorizationResponse(new URLSearchParams(params), expected, 'TV_SIGN_IN_FAILED');
const refusal = (params: Record<string, string>, expected = EXPECTED): string => {
  try {
    read(params, expected);
  } catch (err) {
    return err instanceof VaultError ? `${err.code}: ${err.message}` : 'not a VaultError';
  }
  return 'no error';
};

describe('readAuthorizationResponse', () => {
  it('a code and a session_state', () => {
    expect(read({ code: 'c', session_state: 's.1', iss: ISSUER })).toEqual({ code: 'c', sessionState: 's.1' });
  });
  it('a session_state that is not 1-1024 visible characters is none', () => {
    expect(read({ code: 'c', session_state: 'has space' })).toEqual({ code: 'c', sessionState: null });
    expect(read({ code: 'c' })).toEqual({ code: 'c', sessionState: null });
  });
  it('an answer without iss is taken where the OP does not advertise it (RFC 9207 is optional)', () => {
    expect(read({ code: 'c' })).toEqual({ code: 'c', sessionState: null });
  });
  it('an answer without iss is refused where the OP advertises it: a mix-up', () => {
    expect(refusal({ code: 'c' }, { ...EXPECTED, issRequired: true })).toBe('TV_SIGN_IN_FAILED: The OP advertises iss in its authorization responses, and this one has none');
    expect(refusal({ error: 'login_required' }, { ...EXPECTED, issRequired: true })).toMatch(/advertises iss/);
  });
  it('refuses an answer that names another issuer, before reading anything else', () => {
    expect(refusal({ iss: 'https://evil.example.com', error: 'login_required' })).toBe('TV_SIGN_IN_FAILED: The authorization response names another issuer');
  });
  it('checks the state when given', () => {
    expect(refusal({ code: 'c', state: 'other' }, { ...EXPECTED, state: 'mine' })).toBe('TV_SIGN_IN_FAILED: The authorization response carries another state');
    expect(read({ code: 'c', state: 'mine' }, { ...EXPECTED, state: 'mine' })).toEqual({ code: 'c', sessionState: null });
  });
  it('returns the OP’s error (at most 64 characters) for the caller to decide', () => {
    expect(read({ error: 'login_required' })).toEqual({ error: 'login_required' });
    expect(read({ error: 'x'.repeat(100) })).toEqual({ error: 'x'.repeat(64) });
  });
  it('refuses an answer without a code or an error', () => {
    expect(refusal({ session_state: 's' })).toBe('TV_SIGN_IN_FAILED: The authorization response has no code');
  });
});
