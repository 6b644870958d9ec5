import { describe, expect, it } from 'vitest';
import { VaultError } from '../src/errors.js';
import { PROTOCOL_VERSION, ProxyRequestSchemas, parseMessage } from '../src/messages.js';
import { parseProxyReply } from '../src/replies.js';
import { isFlowId } from '../src/check.js';

// A popup sign-in's flow id: minted by the proxy, carried in its answer to the `sign-in` request
// and in the outcome event that names it. The reply guards check its shape; the page never sends one.

const FLOW = 'Zx-_0123456789abcdefghijklmnopqrstuvwxyzABC';

function code(check: () => unknown): string {
  try {
    check();
  } catch (err) {
    if (err instanceof VaultError) return err.code;
    throw err;
  }
  return 'accepted';
}
const reply = (message: Record<string, unknown>): string => code(() => parseProxyReply({ v: PROTOCOL_VERSION, ...message }));

describe('a popup sign-in flow id in the protocol', () => {
  it('is 43 base64url characters (randomToken)', () => {
    expect(FLOW).toHaveLength(43);
    expect(isFlowId(FLOW)).toBe(true);
    for (const bad of ['', 'x'.repeat(42), 'x'.repeat(44), `${FLOW.slice(0, 42)}.`, `${FLOW.slice(0, 42)} `, 43, null, undefined, { flow: FLOW }]) {
      expect(isFlowId(bad), JSON.stringify(bad)).toBe(false);
    }
  });

  it("the sign-in's result and its outcome events carry it", () => {
    expect(reply({ type: 'result', id: 2, signedIn: false, expiresAt: null, flow: FLOW })).toBe('accepted');
    expect(reply({ type: 'event', name: 'signed-in', flow: FLOW })).toBe('accepted');
    expect(reply({ type: 'event', name: 'error', error: 'TV_SIGN_IN_FAILED', message: 'm', flow: FLOW })).toBe('accepted');
  });

  it.each([
    ['a result whose flow is too short', { type: 'result', id: 2, signedIn: false, expiresAt: null, flow: 'abc' }],
    ['a result whose flow is not a string', { type: 'result', id: 2, signedIn: false, expiresAt: null, flow: 7 }],
    ['an event whose flow has a character of no base64url', { type: 'event', name: 'signed-in', flow: `${FLOW.slice(0, 42)}/` }],
    ['an event whose flow is an object', { type: 'event', name: 'error', error: 'TV_SIGN_IN_FAILED', flow: { id: FLOW } }],
  ])('%s is TV_MALFORMED_MESSAGE', (_name, message) => {
    expect(reply(message)).toBe('TV_MALFORMED_MESSAGE');
  });

  it('a page cannot name a flow: a sign-in request carrying a flow id is refused (the proxy mints them)', () => {
    expect(code(() => parseMessage(ProxyRequestSchemas, { v: PROTOCOL_VERSION, type: 'sign-in', id: 3, flow: FLOW }))).toBe('TV_MALFORMED_MESSAGE');
  });
});
