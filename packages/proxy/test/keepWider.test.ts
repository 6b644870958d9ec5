import { describe, expect, it } from 'vitest';
import { keepWider } from '../src/tokens/keepWider.js';
import type { TokenSet } from '../src/tokens/TokenStore.js';
import { STORED } from './helpers.js';

const idToken = (sub: string): string => `h.${Buffer.from(JSON.stringify({ sub })).toString('base64url')}.s`;
const wide: TokenSet = { ...STORED, idToken: idToken('alice'), scope: 'openid profile api' };
const set = (scope: string | null, sub = 'alice', extra: Partial<TokenSet> = {}): TokenSet => ({
  ...STORED,
  accessToken: 'new-at',
  refreshToken: 'new-rt',
  idToken: idToken(sub),
  scope,
  ...extra,
});

describe('keepWider: a narrower answer never replaces a wider token set', () => {
  it('code exchange, same user, fewer scopes (a session-status query): the stored set stays', () => {
    expect(keepWider(wide, set('openid'), 'authorization_code')).toBe(wide);
  });
  it('code exchange, another user: the new set replaces it', () => {
    const next = set('openid', 'bob');
    expect(keepWider(wide, next, 'authorization_code')).toBe(next);
  });
  it('code exchange with the same or more scopes: replaced', () => {
    const same = set('openid profile api');
    expect(keepWider(wide, same, 'authorization_code')).toBe(same);
    const more = set('openid profile api offline_access');
    expect(keepWider(wide, more, 'authorization_code')).toBe(more);
  });
  it('scopes not comparable: replaced', () => {
    const other = set('openid email');
    expect(keepWider(wide, other, 'authorization_code')).toBe(other);
  });
  it('code exchange whose scope is unknown (no scope in the answer, none requested that the vault saw), same user: the stored set stays', () => {
    expect(keepWider(wide, set(null), 'authorization_code')).toBe(wide);
  });
  it('code exchange whose scope is unknown, another user, or no scope known on either side: replaced', () => {
    const bob = set(null, 'bob');
    expect(keepWider(wide, bob, 'authorization_code')).toBe(bob);
    const none = set(null);
    expect(keepWider({ ...wide, scope: null }, none, 'authorization_code')).toBe(none);
  });
  it('code exchange without ID tokens to tell the user: replaced', () => {
    const next = set('openid', 'alice', { idToken: null });
    expect(keepWider(wide, next, 'authorization_code')).toBe(next);
  });
  it('refresh narrowed by a scope parameter: the rotated refresh token is kept, the wider access token stays', () => {
    const kept = keepWider(wide, set('openid'), 'refresh_token');
    expect(kept).toEqual({ ...wide, refreshToken: 'new-rt', idToken: idToken('alice') });
  });
  it('nothing stored: the new set', () => {
    const next = set('openid');
    expect(keepWider(null, next, 'authorization_code')).toBe(next);
  });
});
