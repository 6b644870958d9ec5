import { VaultError } from '@tokenvault/protocol';
import { describe, expect, it } from 'vitest';
import { assertSignInOptions } from '../src/signIn.js';

describe('assertSignInOptions: timeoutMs (the popup flow’s time limit)', () => {
  it('takes an integer from 1000 to 600000 ms', () => {
    for (const timeoutMs of [1000, 4000, 300_000, 600_000]) {
      expect(() => {
        assertSignInOptions({ flow: 'popup', timeoutMs });
      }).not.toThrow();
    }
  });
  it('refuses anything else with TV_INVALID_ARGUMENT naming the option', () => {
    for (const timeoutMs of [999, 600_001, 1500.5, Number.NaN, Infinity, '4000', null, -1]) {
      let error: unknown;
      try {
        assertSignInOptions({ flow: 'popup', timeoutMs });
      } catch (err) {
        error = err;
      }
      expect(error, String(timeoutMs)).toBeInstanceOf(VaultError);
      expect(error).toMatchObject({ code: 'TV_INVALID_ARGUMENT' });
      expect((error as VaultError).message).toContain('timeoutMs');
    }
  });
});
