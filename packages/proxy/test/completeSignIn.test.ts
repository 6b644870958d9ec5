import { resolveProxyConfig } from '@tokenvault/config';
import { describe, expect, it } from 'vitest';
import { completeSignIn, newPendingSignIn } from '../src/signin/AuthorizationFlow.js';
import type { TokenStore } from '../src/tokens/TokenStore.js';
import { VaultProxy } from '../src/routing/VaultProxy.js';
import { MemoryStore, failure, useTestOp } from './helpers.js';

// completeSignIn against a real HTTP server in Node playing the OP: RFC 9207's `iss` on the
// authorization response, required when the OP's discovery document says it sends one.

const op = await useTestOp();

const unsigned = (claims: Record<string, unknown>): string => `h.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.s`;

function signInAt() {
  const config = resolveProxyConfig({ mode: 'sealed', appOrigins: ['https://app.example.com'], issuer: op.base, clientId: 'sealed', rules: [], scope: 'openid api' });
  const store = new MemoryStore();
  const proxy = new VaultProxy(config, store as unknown as TokenStore);
  const pending = newPendingSignIn(config, 'https://proxy.example.com/callback', {});
  op.answer.set('/token', () => ({
    status: 200,
    body: {
      access_token: 'at-0123456789',
      token_type: 'Bearer',
      expires_in: 600,
      scope: 'openid api',
      id_token: unsigned({ iss: op.base, aud: 'sealed', nonce: pending.nonce, sub: 'alice', iat: Math.floor(Date.now() / 1000), exp: Math.floor(Date.now() / 1000) + 600 }),
    },
  }));
  return { proxy, store, pending };
}
const tokenPosts = (): number => op.received.filter((r) => r.path === '/token').length;

describe('completeSignIn: iss on the authorization response (RFC 9207)', () => {
  it('an OP that advertises authorization_response_iss_parameter_supported: a response without iss is TV_SIGN_IN_FAILED, the code never redeemed', async () => {
    op.discovery.authorization_response_iss_parameter_supported = true;
    const { proxy, store, pending } = signInAt();
    expect(await failure(completeSignIn(proxy, pending, new URLSearchParams({ code: 'c', state: pending.state })))).toBe('TV_SIGN_IN_FAILED');
    expect(tokenPosts()).toBe(0);
    expect(store.saved).toBeNull();
  });

  it('the same OP with its iss: signed in', async () => {
    op.discovery.authorization_response_iss_parameter_supported = true;
    const { proxy, store, pending } = signInAt();
    await completeSignIn(proxy, pending, new URLSearchParams({ code: 'c', state: pending.state, iss: op.base }));
    expect(store.saved?.accessToken).toBe('at-0123456789');
  });

  it('another issuer is refused whether advertised or not', async () => {
    const { proxy, pending } = signInAt();
    expect(await failure(completeSignIn(proxy, pending, new URLSearchParams({ code: 'c', state: pending.state, iss: 'https://mix-up.example.net' })))).toBe('TV_SIGN_IN_FAILED');
    expect(tokenPosts()).toBe(0);
  });

  it('an OP that does not advertise it: a response without iss is taken', async () => {
    const { proxy, store, pending } = signInAt();
    await completeSignIn(proxy, pending, new URLSearchParams({ code: 'c', state: pending.state }));
    expect(store.saved?.accessToken).toBe('at-0123456789');
  });
});
