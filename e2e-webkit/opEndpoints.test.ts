import { describe, expect, test } from 'vitest';
import { openApp, useWebKit, type WebKitContext } from './harness.js';

/** A form POST made by the app page itself (through the worker), and what it answered. */
function postFrom(wk: WebKitContext, url: string, body: Record<string, string>): Promise<{ status: number; error?: string }> {
  return wk.driver.executeScript<{ status: number; error?: string }>(
    `return fetch(arguments[0], { method: 'POST', body: new URLSearchParams(arguments[1]) })
      .then(async (r) => ({ status: r.status, error: (await r.json()).error }), (e) => ({ status: 0, error: String(e) }))`,
    url,
    body,
  );
}

// e2e/op-endpoints.spec.ts in WebKitGTK: the worker and the proxy classify OP requests alike.
describe('WebKit: OP endpoints, one classification in the worker and the proxy', () => {
  const wk = useWebKit();
  const post = (url: string, body: Record<string, string>) => postFrom(wk, url, body);

  test('the token endpoint in another spelling goes through the vault; a POST at none of the endpoints nowhere', async () => {
    const { devHost } = wk;
    const { app, op, proxy } = devHost.vault.origins;
    await openApp(wk);
    const form = { grant_type: 'authorization_code', client_id: 'demo', code: 'not-a-code', code_verifier: 'v', redirect_uri: `${app}/callback` };
    expect(await post(`${op}/TOKEN/`, form)).toEqual({ status: 400, error: 'invalid_grant' });
    expect(await post(`${op}/token?x=1`, form)).toEqual({ status: 400, error: 'TV_INVALID_REQUEST' });
    for (const url of [`${op}/token;x=1`, `${op}/tokens`, `${op}/token%2F`]) {
      expect(await post(url, form)).toEqual({ status: 403, error: 'TV_UNCLASSIFIED_OP_REQUEST' });
    }
    const posts = devHost.vault.requestLog.find('op').filter((entry) => entry.method === 'POST');
    expect(posts.map((entry) => [entry.path, entry.headers.origin])).toEqual([['/token', proxy]]);
  });
});

describe('WebKit: an OP with its token endpoint on another origin', () => {
  const wk = useWebKit({ opProfile: 'split-token-origin' });
  const post = (url: string, body: Record<string, string>) => postFrom(wk, url, body);

  test('the other origin is routed: a token request goes through the vault, a POST at none of its endpoints nowhere', async () => {
    const { devHost } = wk;
    const { app, opTokens, proxy } = devHost.vault.origins;
    await openApp(wk);
    const form = { grant_type: 'authorization_code', client_id: 'demo', code: 'not-a-code', code_verifier: 'v', redirect_uri: `${app}/callback` };
    expect(await post(`${opTokens}/token`, form)).toEqual({ status: 400, error: 'invalid_grant' });
    expect(await post(`${opTokens}/other`, form)).toEqual({ status: 403, error: 'TV_UNCLASSIFIED_OP_REQUEST' });
    const posts = devHost.vault.requestLog.find('opTokens').filter((entry) => entry.method === 'POST');
    expect(posts.map((entry) => [entry.path, entry.headers.origin])).toEqual([['/token', proxy]]);
  });
});
