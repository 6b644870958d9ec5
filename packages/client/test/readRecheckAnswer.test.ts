import { VaultError } from '@tokenvault/protocol';
import { describe, expect, it } from 'vitest';
import { readRecheckAnswer } from '../src/readRecheckAnswer.js';

const ISSUER = 'https://op.example.com';
const read = (params: Record<string, string>) => readRecheckAnswer(new URLSearchParams(params), ISSUER);
const refusal = (params: Record<string, string>): string => {
  try {
    read(params);
  } catch (err) {
    return err instanceof VaultError ? `${err.code}: ${err.message}` : 'not a VaultError';
  }
  return 'no error';
};

describe('readRecheckAnswer: the prompt=none answer', () => {
  it('a code and a session_state: redeem it', () => {
    expect(read({ code: 'c', session_state: 's.1', iss: ISSUER })).toEqual({ ended: false, code: 'c', sessionState: 's.1' });
  });
  it('an answer without iss is taken (RFC 9207 is optional for the OP)', () => {
    expect(read({ code: 'c', session_state: 's' }).ended).toBe(false);
  });
  it.each(['login_required', 'interaction_required', 'consent_required', 'account_selection_required'])('%s: the session ended', (error) => {
    expect(read({ error })).toEqual({ ended: true, error });
  });
  it('refuses an answer that names another issuer, before reading anything else', () => {
    expect(refusal({ iss: 'https://evil.example.com', error: 'login_required' })).toBe('TV_SESSION_CHECK_FAILED: The prompt=none answer names another issuer');
  });
  it('refuses another error (the OP could not answer)', () => {
    expect(refusal({ error: 'server_error' })).toBe('TV_SESSION_CHECK_FAILED: The OP answered the prompt=none request with "server_error"');
  });
  it('refuses an answer without a code', () => {
    expect(refusal({ session_state: 's' })).toMatch(/lacks a code or a session_state/);
  });
  it('refuses an answer without a session_state', () => {
    expect(refusal({ code: 'c' })).toMatch(/lacks a code or a session_state/);
  });
  it('refuses a session_state with spaces or control characters', () => {
    expect(refusal({ code: 'c', session_state: 'a b' })).toMatch(/lacks a code or a session_state/);
    expect(refusal({ code: 'c', session_state: 'a\nb' })).toMatch(/lacks a code or a session_state/);
  });
});
