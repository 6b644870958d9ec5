import { describe, expect, it } from 'vitest';
import { afterCheck } from '../src/afterCheck.js';

describe('afterCheck: what the monitor does with the check frame’s answer', () => {
  it('unchanged: asks again later', () => {
    expect(afterCheck('unchanged', false, 10_000)).toBe('schedule');
    expect(afterCheck('unchanged', true, 10_000)).toBe('schedule');
  });
  it('changed: re-checks with prompt=none', () => {
    expect(afterCheck('changed', false, 10_000)).toBe('recheck');
  });
  it('changed right after a successful re-check: stops instead of re-checking in a loop', () => {
    expect(afterCheck('changed', true, 10_000)).toEqual({ fail: 'The OP reports a change right after a successful re-check' });
  });
  it('error: stops (the frame does not know this client, origin or session_state)', () => {
    expect(afterCheck('error', false, 10_000)).toEqual({ fail: expect.stringContaining('answered "error"') as string });
  });
  it('no answer in time: stops, saying how long it waited', () => {
    expect(afterCheck(null, false, 2500)).toEqual({ fail: 'The check_session_iframe did not answer within 2500 ms' });
  });
});
