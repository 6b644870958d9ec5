import { VaultError } from '@tokenvault/protocol';
import { describe, expect, it } from 'vitest';
import { invalidOption } from '../src/invalidOption.js';

const thrown = (fn: () => void): unknown => {
  try {
    fn();
  } catch (err) {
    return err;
  }
  return null;
};

describe('invalidOption: the one way the client refuses an option', () => {
  it("throws TV_INVALID_ARGUMENT with its template's message (development)", () => {
    const error = thrown(() => invalidOption({ why: 'proxyUrl' }));
    expect(error).toBeInstanceOf(VaultError);
    expect(error).toMatchObject({ code: 'TV_INVALID_ARGUMENT', message: 'createVault(options): options.proxyUrl must be the absolute URL of the proxy page' });
  });
  it("says the code's description when the details name no template", () => {
    expect(thrown(() => invalidOption({}))).toMatchObject({ code: 'TV_INVALID_ARGUMENT', message: new VaultError('TV_INVALID_ARGUMENT').message });
  });
});
