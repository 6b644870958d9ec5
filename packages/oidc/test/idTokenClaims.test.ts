import { describe, expect, it } from 'vitest';
import { base64url } from '@tokenvault/protocol';
import { idTokenClaims } from '../src/idTokenClaims.js';

const jwt = (claims: unknown) => `${base64url(new TextEncoder().encode('{"alg":"RS256"}'))}.${base64url(new TextEncoder().encode(JSON.stringify(claims)))}.sig`;

describe('idTokenClaims', () => {
  it('reads iss, sub, aud and nonce, including non-ASCII claims', () => {
    const claims = { iss: 'https://op.example.com', sub: 'alice', aud: 'spa', nonce: 'n', name: 'Ålice' };
    expect(idTokenClaims(jwt(claims))).toEqual(claims);
  });

  it('accepts an audience list', () => {
    expect(idTokenClaims(jwt({ iss: 'i', sub: 's', aud: ['a', 'b'] })).aud).toEqual(['a', 'b']);
  });

  it.each([
    ['not a string', 42],
    ['not a JWT', 'abc'],
    ['a payload that is not JSON', 'a.b.c'],
    ['no sub', jwt({ iss: 'i', aud: 'a' })],
    ['an audience of numbers', jwt({ iss: 'i', sub: 's', aud: [1] })],
    ['a nonce that is not a string', jwt({ iss: 'i', sub: 's', aud: 'a', nonce: 1 })],
  ])('refuses %s with the caller’s code (TV_SESSION_CHECK_FAILED by default)', (_name, token) => {
    expect(() => idTokenClaims(token)).toThrow(expect.objectContaining({ code: 'TV_SESSION_CHECK_FAILED' }));
  });
});
