import { VaultError } from '@tokenvault/protocol';
import { describe, expect, it } from 'vitest';
import { afterCheck } from '../src/afterCheck.js';

/** What the watch's error says (in development: these tests run the sources, where `dev` is on). */
function said(step: ReturnType<typeof afterCheck>): string {
  if (typeof step !== 'object') throw new Error(`expected a failure, got ${step}`);
  return new VaultError('TV_SESSION_CHECK_FAILED', step.fail).message;
}

describe('afterCheck: what the monitor does with the check frame’s answer', () => {
  it('unchanged: asks again later', () => {
    expect(afterCheck('unchanged', false, 10_000)).toBe('schedule');
    expect(afterCheck('unchanged', true, 10_000)).toBe('schedule');
  });
  it('changed: re-checks with prompt=none', () => {
    expect(afterCheck('changed', false, 10_000)).toBe('recheck');
  });
  it('changed right after a successful re-check: stops instead of re-checking in a loop', () => {
    expect(afterCheck('changed', true, 10_000)).toEqual({ fail: { why: 'changedAfterRecheck' } });
    expect(said(afterCheck('changed', true, 10_000))).toBe('The OP reports a change right after a successful re-check');
  });
  it('error: stops (the frame does not know this client, origin or session_state)', () => {
    expect(said(afterCheck('error', false, 10_000))).toContain('answered "error"');
  });
  it('no answer in time: stops, saying how long it waited', () => {
    expect(afterCheck(null, false, 2500)).toEqual({ fail: { why: 'checkSessionTimeout', ms: 2500 } });
    expect(said(afterCheck(null, false, 2500))).toBe('The check_session_iframe did not answer within 2500 ms');
  });
});
