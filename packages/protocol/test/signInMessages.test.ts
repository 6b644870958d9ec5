import { describe, expect, it } from 'vitest';
import { VaultError } from '../src/errors.js';
import { PROTOCOL_VERSION, ProxyRequestSchemas, parseMessage } from '../src/messages.js';
import { parseProxyReply } from '../src/replies.js';

function code(data: unknown): string {
  try {
    parseMessage(ProxyRequestSchemas, data);
  } catch (err) {
    if (err instanceof VaultError) return err.code;
    throw err;
  }
  return 'accepted';
}

const signIn = { v: PROTOCOL_VERSION, type: 'sign-in', id: 3 };

describe('sealed sign-in messages (app → proxy)', () => {
  it('accepts a sign-in with hints, and a user request', () => {
    expect(code({ ...signIn, prompt: 'login', loginHint: 'alice', scope: 'openid api' })).toBe('accepted');
    expect(code({ v: PROTOCOL_VERSION, type: 'user', id: 4 })).toBe('accepted');
  });

  it.each([
    ['an unknown prompt', { ...signIn, prompt: 'always' }],
    ['a login hint with a control character', { ...signIn, loginHint: 'a\u0000b' }],
    ['an empty login hint', { ...signIn, loginHint: '' }],
    // Where the result goes is the proxy's: a redirect URI, a state or a PKCE challenge from the app is refused.
    ['a redirect URI', { ...signIn, redirectUri: 'https://app.example.com/callback' }],
    ['a code challenge', { ...signIn, codeChallenge: 'x' }],
    ['a state', { ...signIn, state: 'chosen-by-the-app' }],
  ])('refuses %s (TV_MALFORMED_MESSAGE)', (_name, message) => {
    expect(code(message)).toBe('TV_MALFORMED_MESSAGE');
  });
});

describe('sealed events and results (proxy → app)', () => {
  it('accepts the four events, with a reason or an error code', () => {
    for (const name of ['signed-in', 'renewed', 'signed-out', 'error']) expect(parseProxyReply({ v: PROTOCOL_VERSION, type: 'event', name })).toMatchObject({ name });
    expect(parseProxyReply({ v: PROTOCOL_VERSION, type: 'event', name: 'signed-out', reason: 'session-ended' })).toMatchObject({ reason: 'session-ended' });
    expect(parseProxyReply({ v: PROTOCOL_VERSION, type: 'event', name: 'error', error: 'TV_INVALID_STATE', message: 'x' })).toMatchObject({ error: 'TV_INVALID_STATE' });
  });

  it('refuses an unknown event and an error code outside the catalog', () => {
    expect(() => parseProxyReply({ v: PROTOCOL_VERSION, type: 'event', name: 'code' })).toThrow(expect.objectContaining({ code: 'TV_MALFORMED_MESSAGE' }));
    expect(() => parseProxyReply({ v: PROTOCOL_VERSION, type: 'event', name: 'error', error: 'E_NOPE' })).toThrow(expect.objectContaining({ code: 'TV_MALFORMED_MESSAGE' }));
  });

  it('accepts a user result with claims or null', () => {
    expect(parseProxyReply({ v: PROTOCOL_VERSION, type: 'result', id: 1, signedIn: true, expiresAt: null, user: { sub: 'alice' } })).toMatchObject({ user: { sub: 'alice' } });
    expect(parseProxyReply({ v: PROTOCOL_VERSION, type: 'result', id: 1, signedIn: false, expiresAt: null, user: null })).toMatchObject({ user: null });
  });
});
