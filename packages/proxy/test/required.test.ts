import { VaultError } from '@tokenvault/protocol';
import { describe, expect, it } from 'vitest';
import { required } from '../src/shared/required.js';

describe('required', () => {
  it('returns a value that is there, falsy ones included', () => {
    const key = { kind: 'key' };
    expect(required(key)).toBe(key);
    expect(required('')).toBe('');
    expect(required(0)).toBe(0);
  });

  it('refuses a missing one with TV_INTERNAL, never a TypeError later', () => {
    for (const missing of [undefined, null]) {
      expect(() => required(missing)).toThrow(VaultError);
      expect(() => required(missing)).toThrow(expect.objectContaining({ code: 'TV_INTERNAL' }) as Error);
    }
  });
});
