import { base64url, type VaultError } from '@tokenvault/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CheckSessionAnswer } from '../src/checkSessionAnswer.js';
import { SessionWatch, type SessionWatchTransport } from '../src/SessionWatch.js';
import type { GrantState } from '../src/whenSessionEnded.js';

// The loop alone, its transport played by the test (the frames are a browser's: the e2e session
// suites run them against the real OP in both modes). What matters here is the order: the
// renewal's ID token is checked before `keep`, and a failed check or another user keeps nothing.

const ISSUER = 'https://op.example.com';
const jwt = (claims: Record<string, unknown>) => `${base64url('{"alg":"RS256"}')}.${base64url(JSON.stringify(claims))}.sig`;
const idToken = (claims: Record<string, unknown> = {}) =>
  jwt({ iss: ISSUER, aud: 'spa', sub: 'alice', nonce: 'n-renewal', iat: Math.floor(Date.now() / 1000), exp: Math.floor(Date.now() / 1000) + 300, ...claims });

function harness(options: {
  answers: (CheckSessionAnswer | null)[];
  response: Record<string, string>;
  renewalClaims?: Record<string, unknown>;
  grant?: GrantState;
  issRequired?: boolean;
}) {
  const log: string[] = [];
  const transport: SessionWatchTransport = {
    check: async () => {
      const answer = options.answers.shift() ?? 'unchanged';
      log.push(`check ${answer}`);
      return answer;
    },
    authorize: async ({ idTokenHint }) => {
      log.push(`authorize hint=${idTokenHint === first ? 'sign-in' : 'other'}`);
      return { params: new URLSearchParams(options.response), codeVerifier: 'v', nonce: 'n-renewal' };
    },
    redeem: async (code, verifier) => {
      log.push(`redeem ${code} ${verifier}`);
      return {
        idToken: idToken(options.renewalClaims),
        keep: async () => {
          log.push('keep');
        },
        discard: async () => {
          log.push('discard');
        },
      };
    },
    grant: async () => {
      log.push(`grant ${options.grant ?? 'alive'}`);
      return options.grant ?? 'alive';
    },
    hidden: () => false,
    close: () => log.push('close'),
  };
  const first = idToken({ nonce: 'n-sign-in' });
  const watch = new SessionWatch(
    { issuer: ISSUER, issRequired: options.issRequired ?? false, clientId: 'spa', sessionState: 's-0', idToken: first, intervalMs: 1000, timeoutMs: 500 },
    transport,
    {
      renewed: ({ sessionState }) => void log.push(`renewed ${sessionState}`),
      signedOut: ({ reason, error }) => void log.push(`signedOut ${reason}${error ? ` ${error}` : ''}`),
      unwatchable: ({ reason }) => void log.push(`unwatchable ${reason}`),
      error: (error: VaultError) => void log.push(`error ${error.code}: ${error.message}`),
    },
  );
  return { watch, log };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('SessionWatch: the session-check loop', () => {
  it('unchanged: asks again every interval', async () => {
    const { watch, log } = harness({ answers: ['unchanged', 'unchanged'], response: {} });
    watch.start();
    await vi.advanceTimersByTimeAsync(1000);
    expect(log).toEqual(['check unchanged', 'check unchanged']);
    watch.stop();
  });

  it('changed, the same user: the renewal is checked, then kept, then announced; the watch goes on with the new session_state', async () => {
    const { watch, log } = harness({ answers: ['unchanged', 'changed'], response: { code: 'c1', session_state: 's-1', iss: ISSUER } });
    watch.start();
    await vi.advanceTimersByTimeAsync(1000);
    expect(log).toEqual(['check unchanged', 'check changed', 'authorize hint=sign-in', 'redeem c1 v', 'keep', 'renewed s-1']);
    expect(watch.sessionState).toBe('s-1');
    watch.stop();
  });

  it('a renewal whose ID token fails a check keeps nothing, ends its tokens and announces nothing', async () => {
    const { watch, log } = harness({ answers: ['changed'], response: { code: 'c1', session_state: 's-1' }, renewalClaims: { nonce: 'not-the-request-nonce' } });
    watch.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(log).toEqual([
      'check changed',
      'authorize hint=sign-in',
      'redeem c1 v',
      'discard',
      'close',
      "error TV_SESSION_CHECK_FAILED: The ID token's nonce is not the one expected",
    ]);
    expect(watch.state).toBe('stopped');
  });

  it('another user: signs out with user-changed, keeping nothing of that user and ending its tokens', async () => {
    const { watch, log } = harness({ answers: ['changed'], response: { code: 'c1', session_state: 's-1' }, renewalClaims: { sub: 'mallory' } });
    watch.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(log).toEqual(['check changed', 'authorize hint=sign-in', 'redeem c1 v', 'discard', 'close', 'signedOut user-changed']);
  });

  it('no session after an unchanged: signs out with session-ended, without asking about the grant', async () => {
    const { watch, log } = harness({ answers: ['unchanged', 'changed'], response: { error: 'login_required' } });
    watch.start();
    await vi.advanceTimersByTimeAsync(1000);
    expect(log).toEqual(['check unchanged', 'check changed', 'authorize hint=sign-in', 'close', 'signedOut session-ended login_required']);
  });

  it('no session from frames that never saw one, while the OP honours the grant: unwatchable, nothing signed out', async () => {
    const { watch, log } = harness({ answers: ['changed'], response: { error: 'login_required' }, grant: 'alive' });
    watch.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(log).toEqual(['check changed', 'authorize hint=sign-in', 'grant alive', 'close', 'unwatchable op-cookies-not-visible']);
  });

  it('the same, with the grant refused: a sign-out at the OP (session-ended)', async () => {
    const { watch, log } = harness({ answers: ['changed'], response: { error: 'login_required' }, grant: 'dead' });
    watch.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(log.at(-1)).toBe('signedOut session-ended login_required');
  });

  it('a re-check answer from another issuer, or without the iss the OP advertises, is an error; nothing redeemed', async () => {
    for (const [response, issRequired] of [
      [{ code: 'c1', session_state: 's-1', iss: 'https://evil.example.com' }, false],
      [{ code: 'c1', session_state: 's-1' }, true],
    ] as const) {
      const { watch, log } = harness({ answers: ['changed'], response, issRequired });
      watch.start();
      await vi.advanceTimersByTimeAsync(0);
      expect(log.some((line) => line.startsWith('redeem'))).toBe(false);
      expect(log.at(-1)).toMatch(/^error TV_SESSION_CHECK_FAILED: The (authorization response names another issuer|OP advertises iss)/);
    }
  });

  it('another OP error than "no session" is an error, not a sign-out', async () => {
    const { watch, log } = harness({ answers: ['changed'], response: { error: 'server_error' } });
    watch.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(log.at(-1)).toBe('error TV_SESSION_CHECK_FAILED: The OP answered the prompt=none request with "server_error"');
  });

  it('stopped: raises nothing more', async () => {
    const { watch, log } = harness({ answers: ['unchanged'], response: {} });
    watch.start();
    watch.stop();
    await vi.advanceTimersByTimeAsync(5000);
    expect(log).toEqual(['close']);
  });
});
