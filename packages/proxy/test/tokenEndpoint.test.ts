import { VaultError } from '@tokenvault/protocol';
import { describe, expect, it } from 'vitest';
import { grantIsDead, oauthError, readAnswer, refreshGrant, tokenSetOf, type TokenAnswer } from '../src/tokens/tokenEndpoint.js';

// The vault's one token-endpoint client: what a refusal means and how an answer is read are
// decided here for every grant (sealed and drop-in, the sign-in's set and each API's token).

const answer = (status: number, json: unknown): TokenAnswer => ({ status, statusText: '', ok: status >= 200 && status < 300, json });
const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (err) {
    return err instanceof VaultError ? err.code : 'not a VaultError';
  }
  return undefined;
};

describe('the token endpoint client', () => {
  it('only invalid_grant in a 400 or 401 says the grant is dead', () => {
    expect(grantIsDead(answer(400, { error: 'invalid_grant' }))).toBe(true);
    expect(grantIsDead(answer(401, { error: 'invalid_grant' }))).toBe(true);
    // What app script could provoke, or the OP's own trouble, keeps the tokens.
    expect(grantIsDead(answer(400, { error: 'invalid_request' }))).toBe(false);
    expect(grantIsDead(answer(401, { error: 'invalid_client' }))).toBe(false);
    expect(grantIsDead(answer(500, { error: 'invalid_grant' }))).toBe(false);
    expect(grantIsDead(answer(400, undefined))).toBe(false);
    expect(grantIsDead(answer(400, ['invalid_grant']))).toBe(false);
    expect(grantIsDead(answer(400, { error: ['invalid_grant'] }))).toBe(false);
  });

  it('reads the body once, as JSON or as nothing', async () => {
    const json = await readAnswer(new Response('{"error":"invalid_grant"}', { status: 400, statusText: 'Bad Request' }));
    expect(json).toEqual({ status: 400, statusText: 'Bad Request', ok: false, json: { error: 'invalid_grant' } });
    expect(oauthError(json)).toBe('invalid_grant');
    const html = await readAnswer(new Response('<html>gateway</html>', { status: 502 }));
    expect(html.json).toBeUndefined();
    expect(oauthError(html)).toBeNull();
  });

  it("a successful answer that is not JSON is TV_INVALID_TOKEN_RESPONSE, with the caller's why", () => {
    let caught: unknown;
    try {
      tokenSetOf(answer(200, undefined), 'refreshNotJson', null, false);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(VaultError);
    expect((caught as VaultError).code).toBe('TV_INVALID_TOKEN_RESPONSE');
    // Development builds say the why's sentence, production ones its id.
    expect((caught as VaultError).message).toMatch(/refresh response is not JSON|refreshNotJson/);
    expect(codeOf(() => tokenSetOf(answer(200, { token_type: 'Bearer' }), 'tokenResponseNotJson', null, false))).toBe('TV_INVALID_TOKEN_RESPONSE');
    expect(tokenSetOf(answer(200, { access_token: 'at', token_type: 'Bearer' }), 'tokenResponseNotJson', null, false, 'openid').scope).toBe('openid');
  });

  it('writes the refresh grant, naming one API and its scope when asked', () => {
    expect(Object.fromEntries(refreshGrant('app', 'rt'))).toEqual({ grant_type: 'refresh_token', refresh_token: 'rt', client_id: 'app' });
    const api = refreshGrant('app', 'rt', { param: 'audience', value: 'https://api.example/', scope: 'read' });
    expect(api.getAll('audience')).toEqual(['https://api.example/']);
    expect(api.getAll('scope')).toEqual(['read']);
    expect(refreshGrant('app', 'rt', { param: 'resource', value: 'https://api.example/' }).has('scope')).toBe(false);
  });
});
