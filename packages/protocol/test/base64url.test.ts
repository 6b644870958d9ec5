import { describe, expect, it } from 'vitest';
import { base64url, pkceChallenge, randomToken } from '../src/base64url.js';

describe('PKCE and random values', () => {
  it('encodes without padding, URL-safe', () => {
    expect(base64url(new Uint8Array([0xfb, 0xff, 0xfe]))).toBe('-__-');
    expect(base64url(new Uint8Array([1]))).toBe('AQ');
  });

  it('computes the S256 challenge of RFC 7636 appendix B', async () => {
    expect(await pkceChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });

  it('makes unpadded base64url random tokens of 32 bytes', () => {
    expect(randomToken()).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(randomToken()).not.toBe(randomToken());
  });
});

describe('base64url of other inputs', () => {
  it('encodes a string as its UTF-8 and an ArrayBuffer as its bytes', () => {
    expect(base64url('é')).toBe('w6k');
    expect(base64url(new Uint8Array([0xfb, 0xff, 0xfe]).buffer)).toBe('-__-');
  });
});
