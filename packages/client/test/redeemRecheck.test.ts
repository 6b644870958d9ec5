import { VaultError } from '@tokenvault/protocol';
import { describe, expect, it } from 'vitest';
import { base64url } from '@tokenvault/protocol';
import { redeemRecheck } from '../src/redeemRecheck.js';

// The vault is a stand-in that answers as the proxy does (a redacted token response); the e2e
// session suites redeem through the real vault and OP.
const jwt = (claims: unknown) => `${base64url(new TextEncoder().encode('{"alg":"RS256"}'))}.${base64url(new TextEncoder().encode(JSON.stringify(claims)))}.sig`;
const CLIENT = { issuer: 'https://op.example.com', clientId: 'spa', redirectUri: 'https://app.example.com/silent.html' };
const GOOD = { iss: CLIENT.issuer, sub: 'alice', aud: 'spa', nonce: 'n-1' };

function vault(status: number, body: unknown) {
  const requests: { url: string; body: string }[] = [];
  return {
    requests,
    fetch: async (url: RequestInfo | URL, init?: RequestInit) => {
      const request = new Request(url, init);
      requests.push({ url: request.url, body: await request.text() });
      return new Response(typeof body === 'string' ? body : JSON.stringify(body), { status });
    },
  };
}
const redeem = (v: ReturnType<typeof vault>) => redeemRecheck(v, CLIENT, 'https://op.example.com/token', 'the-code', 'the-verifier', 'n-1');
const refusal = async (v: ReturnType<typeof vault>): Promise<string> => {
  try {
    await redeem(v);
  } catch (err) {
    return err instanceof VaultError ? `${err.code}: ${err.message}` : 'not a VaultError';
  }
  return 'no error';
};

describe('redeemRecheck: the re-check’s code, redeemed through the vault', () => {
  it('posts the authorization_code grant with the PKCE verifier and returns the checked ID token', async () => {
    const idToken = jwt(GOOD);
    const v = vault(200, { access_token: 'REDACTED', token_type: 'Bearer', id_token: idToken });
    expect(await redeem(v)).toBe(idToken);
    expect(v.requests[0]?.url).toBe('https://op.example.com/token');
    expect(Object.fromEntries(new URLSearchParams(v.requests[0]?.body))).toEqual({
      grant_type: 'authorization_code',
      code: 'the-code',
      redirect_uri: CLIENT.redirectUri,
      code_verifier: 'the-verifier',
      client_id: 'spa',
    });
  });
  it('accepts an audience list that includes the client', async () => {
    expect(await redeem(vault(200, { id_token: jwt({ ...GOOD, aud: ['api', 'spa'] }) }))).toBeTruthy();
  });
  it('refuses a token request the vault or OP refused, naming the error', async () => {
    expect(await refusal(vault(400, { error: 'invalid_grant' }))).toBe("TV_SESSION_CHECK_FAILED: The re-check's token request failed (400 invalid_grant)");
  });
  it('refuses a refusal without an OAuth error, with its status only', async () => {
    expect(await refusal(vault(502, 'Bad Gateway'))).toBe("TV_SESSION_CHECK_FAILED: The re-check's token request failed (502)");
  });
  it('refuses an answer without an ID token', async () => {
    expect(await refusal(vault(200, { access_token: 'REDACTED' }))).toMatch(/^TV_SESSION_CHECK_FAILED: The ID token is not a JWT/);
  });
  it.each([
    ['another issuer', { ...GOOD, iss: 'https://evil.example.com' }],
    ['another audience', { ...GOOD, aud: 'other-client' }],
    ['another nonce', { ...GOOD, nonce: 'replayed' }],
    ['no nonce', { iss: GOOD.iss, sub: 'alice', aud: 'spa' }],
  ])('refuses an ID token with %s', async (_, claims) => {
    expect(await refusal(vault(200, { id_token: jwt(claims) }))).toBe("TV_SESSION_CHECK_FAILED: The re-check's ID token has another issuer, audience or nonce");
  });
});
