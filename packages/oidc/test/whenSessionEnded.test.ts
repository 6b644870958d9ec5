import { describe, expect, it } from 'vitest';
import { whenSessionEnded, type GrantState } from '../src/whenSessionEnded.js';

/** A grant probe that answers `state` and counts how often it was asked. */
function probe(state: GrantState): { ask: () => Promise<GrantState>; asked: () => number } {
  let count = 0;
  return {
    ask: () => {
      count++;
      return Promise.resolve(state);
    },
    asked: () => count,
  };
}

describe('whenSessionEnded: a sign-out at the OP or frames that cannot see its cookies', () => {
  it('the check frame answered unchanged before: it could see the cookies, the session really ended (no refresh spent)', async () => {
    const grant = probe('alive');
    expect(await whenSessionEnded(true, grant.ask)).toBe('sign-out');
    expect(grant.asked()).toBe(0);
  });

  it('never unchanged, and the OP still honours the refresh token: the frames are blind, keep the session', async () => {
    const grant = probe('alive');
    expect(await whenSessionEnded(false, grant.ask)).toBe('blind');
    expect(grant.asked()).toBe(1);
  });

  it('never unchanged, and the OP refuses the refresh token: signed out at the OP (a reload after a sign-out there)', async () => {
    expect(await whenSessionEnded(false, probe('dead').ask)).toBe('sign-out');
  });

  it('the OP does not answer the refresh: the error goes up, neither sign-out nor blind is decided', async () => {
    await expect(whenSessionEnded(false, () => Promise.reject(new Error('502')))).rejects.toThrow('502');
  });
});
