import { compactVerify, decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, jwtVerify, SignJWT, UnsecuredJWT, createLocalJWKSet } from 'jose';
import { describe, expect, it } from 'vitest';
import { newPlaceholderMark, placeholderFor, placeholderKind, type PlaceholderOptions } from '../src/tokens/placeholder.js';
import { REDACTED } from '../src/tokens/redact.js';
import type { TokenSet } from '../src/tokens/TokenStore.js';

const JWT_SHAPE: PlaceholderOptions = { shape: 'jwt', issuer: 'https://op.example.com', clientId: 'spa' };
const MARK = newPlaceholderMark();

function opaqueSet(changes: Partial<TokenSet> = {}): TokenSet {
  const idToken = `${btoa('{"alg":"RS256"}')}.${btoa(JSON.stringify({ sub: 'alice', sid: 's-1' })).replace(/=+$/, '')}.sig`;
  return {
    accessToken: 'opaque-at-0123456789',
    refreshToken: 'opaque-rt-0123456789',
    idToken,
    tokenType: 'Bearer',
    scope: 'openid api',
    expiresAt: 1_900_000_000_000,
    placeholderMark: MARK,
    ...changes,
  };
}

describe('placeholderFor: the shape the app sees', () => {
  it('is REDACTED by default, and for a set stored before marks existed', () => {
    expect(placeholderFor(opaqueSet(), 'access_token', { ...JWT_SHAPE, shape: 'REDACTED' })).toBe(REDACTED);
    expect(placeholderFor(opaqueSet({ placeholderMark: undefined }), 'access_token', JWT_SHAPE)).toBe(REDACTED);
  });

  it.each(['RS256', 'ES256', 'EdDSA', 'HS256'] as const)('keeps a %s JWT header and claims, with a signature that verifies under no key (jose)', async (alg) => {
    const secret = alg === 'HS256' ? crypto.getRandomValues(new Uint8Array(32)) : undefined;
    const pair = secret ? undefined : await generateKeyPair(alg, { extractable: true });
    const signingKey = secret ?? (pair as CryptoKeyPair).privateKey;
    const publicKey = pair?.publicKey;
    const token = await new SignJWT({ scope: 'api', azp: 'spa' }).setProtectedHeader({ alg, kid: 'k1' }).setSubject('alice').setIssuedAt().setExpirationTime('5m').sign(signingKey);
    const placeholder = placeholderFor(opaqueSet({ accessToken: token }), 'access_token', JWT_SHAPE);
    // A client that decodes tokens reads the same header and claims.
    expect(decodeProtectedHeader(placeholder)).toEqual(decodeProtectedHeader(token));
    expect(decodeJwt(placeholder)).toEqual(decodeJwt(token));
    expect(placeholder.split('.').slice(0, 2)).toEqual(token.split('.').slice(0, 2));
    expect(placeholder).not.toContain(token.split('.')[2]);
    // The real token verifies with the key; the placeholder does not, under it or as a JWKS.
    const verifyKey = secret ?? (publicKey as CryptoKey);
    await expect(jwtVerify(token, verifyKey)).resolves.toBeTruthy();
    await expect(jwtVerify(placeholder, verifyKey)).rejects.toThrow();
    await expect(compactVerify(placeholder, verifyKey)).rejects.toThrow();
    if (publicKey) {
      const jwks = createLocalJWKSet({ keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg }] });
      await expect(jwtVerify(placeholder, jwks)).rejects.toThrow();
    }
  });

  it('gives an opaque token an unsigned JWT-shaped placeholder with the claims clients read, which no verifier takes', async () => {
    const now = 1_800_000_000_000;
    const placeholder = placeholderFor(opaqueSet(), 'access_token', JWT_SHAPE, now);
    expect(decodeProtectedHeader(placeholder)).toEqual({ alg: 'none', typ: 'JWT' });
    expect(decodeJwt(placeholder)).toEqual({ iss: 'https://op.example.com', sub: 'alice', azp: 'spa', scope: 'openid api', sid: 's-1', iat: 1_800_000_000, exp: 1_900_000_000 });
    // An unsecured JWS must have an empty signature (RFC 7518 §3.6): even a `none`-accepting decoder refuses it.
    expect(() => UnsecuredJWT.decode(placeholder)).toThrow();
    const { publicKey } = await generateKeyPair('RS256');
    await expect(jwtVerify(placeholder, publicKey)).rejects.toThrow();
    // The refresh token's placeholder: its lifetime is unknown, so no exp.
    expect(decodeJwt(placeholderFor(opaqueSet(), 'refresh_token', JWT_SHAPE, now)).exp).toBeUndefined();
    expect(placeholder).not.toContain('opaque-at');
  });

  it('treats an unsigned JWT (alg none) as opaque: its claims are not copied under another header', () => {
    const unsecured = new UnsecuredJWT({ sub: 'mallory' }).encode();
    const placeholder = placeholderFor(opaqueSet({ accessToken: unsecured }), 'access_token', JWT_SHAPE);
    expect(decodeJwt(placeholder).sub).toBe('alice');
  });

  it('has a signature part outside base64url that decodes, leniently, to a length no JWS algorithm signs with', () => {
    const signature = placeholderFor(opaqueSet(), 'access_token', JWT_SHAPE).split('.')[2];
    expect(signature).toMatch(/^~tvA~[\w-]{22}$/);
    const lenient = Buffer.from(signature, 'base64url');
    expect([32, 48, 64, 96, 132]).not.toContain(lenient.length);
    expect(lenient.length).toBeLessThan(256);
  });
});

describe('placeholderKind: only this grant’s current placeholder is recognised', () => {
  const set = opaqueSet();
  const access = placeholderFor(set, 'access_token', JWT_SHAPE);
  const refresh = placeholderFor(set, 'refresh_token', JWT_SHAPE);

  it('names the kind of its own placeholders, whatever claims the grant had then', () => {
    expect(placeholderKind(access, set, 'jwt')).toBe('access_token');
    expect(placeholderKind(refresh, set, 'jwt')).toBe('refresh_token');
    // After a refresh the vault made alone, the app's older placeholder still stands for the grant.
    const older = placeholderFor({ ...set, expiresAt: 1_000 }, 'refresh_token', JWT_SHAPE, 0);
    expect(placeholderKind(older, { ...set, refreshToken: 'rotated-0123456789' }, 'jwt')).toBe('refresh_token');
  });

  it.each([
    ['REDACTED under the jwt shape', REDACTED],
    ['a placeholder of an earlier sign-in', placeholderFor({ ...set, placeholderMark: newPlaceholderMark() }, 'refresh_token', JWT_SHAPE)],
    ['the real token', 'opaque-rt-0123456789'],
    ['a placeholder with text around it', ` ${refresh}`],
    ['a placeholder with a fourth part', `${refresh}.x`],
    ['a placeholder with its marker altered', refresh.replace('~tvR~', '~tvX~')],
    ['a placeholder with a bad header segment', `!${refresh}`],
    ['nothing', null],
  ])('refuses %s', (_name, value) => {
    expect(placeholderKind(value, set, 'jwt')).toBeNull();
  });

  it('under the REDACTED shape knows REDACTED alone, which names no kind', () => {
    expect(placeholderKind(REDACTED, set, 'REDACTED')).toBe('any');
    expect(placeholderKind(refresh, set, 'REDACTED')).toBeNull();
    expect(placeholderKind('redacted', set, 'REDACTED')).toBeNull();
  });

  it('with nothing stored, names the kind of a well-formed placeholder (it stands for nothing)', () => {
    expect(placeholderKind(access, null, 'jwt')).toBe('access_token');
    expect(placeholderKind(`${access}x`, null, 'jwt')).toBeNull();
  });
});
