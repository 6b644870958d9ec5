import { expect } from 'vitest';
import { apiTokensInPage, type ApiTokens } from '../e2e/inPage.js';
import { authorizationHash, inProxyFrame, jwtClaims, pageFetch, profileAuthorizations, storedTokens, type WebKitContext } from './harness.js';
import { defined } from '@tokenvault/test-support';

// One token per API (RFC 8707, the dev host's `perApi: true`) in WebKitGTK: what the proxy frame
// holds for each API, and the check both the one-site and the other-site files make of it.

/** Each API's own tokens, read in the current tab's proxy frame. */
export function apiTokens(wk: WebKitContext): Promise<ApiTokens> {
  return inProxyFrame(wk, () => wk.driver.executeScript<ApiTokens>(`return (${apiTokensInPage.toString()})();`));
}

/**
 * Each sample API answers 200 with a token of its own audience, sent by the proxy and held in the
 * API's slot; the vault's own token (the OP's opaque one) works at the OP's userinfo. Returns the two
 * APIs' tokens.
 */
export async function expectOneTokenPerApi(wk: WebKitContext): Promise<{ api: string; api2: string }> {
  const { driver, devHost } = wk;
  const aud = { api: `${devHost.vault.origins.api}/`, api2: `${devHost.vault.origins.api2}/` };
  for (const name of ['api', 'api2'] as const) {
    const answer = await pageFetch(driver, `${devHost.vault.origins[name]}/v1/profile`);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text)).toMatchObject({ sub: 'alice', aud: aud[name] });
  }
  const held = await apiTokens(wk);
  const t1 = defined(held[aud.api]).accessToken;
  const t2 = defined(held[aud.api2]).accessToken;
  expect([jwtClaims(t1).aud, jwtClaims(t2).aud]).toEqual([aud.api, aud.api2]);
  expect(profileAuthorizations(devHost, 'api')).toEqual([authorizationHash(`Bearer ${t1}`)]);
  expect(profileAuthorizations(devHost, 'api2')).toEqual([authorizationHash(`Bearer ${t2}`)]);
  expect(defined(await storedTokens(wk)).accessToken.includes('.')).toBe(false);
  expect((await pageFetch(driver, `${devHost.vault.origins.op}/me`)).status).toBe(200);
  return { api: t1, api2: t2 };
}
