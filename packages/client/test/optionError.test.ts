import { VaultError } from '@tokenvault/protocol';
import { describe, expect, it } from 'vitest';
import { optionError, type OptionFail } from '../src/optionError.js';

const thrown = (fn: () => void): VaultError | null => {
  try {
    fn();
  } catch (err) {
    return err as VaultError;
  }
  return null;
};

describe('optionError: the one way the client refuses an option', () => {
  const fail: OptionFail = optionError('createVault(options)');
  it('throws TV_INVALID_ARGUMENT naming the function and the fix', () => {
    const error = thrown(() => fail('options.proxyUrl must be the absolute URL of the proxy page'));
    expect(error).toBeInstanceOf(VaultError);
    expect(error).toMatchObject({ code: 'TV_INVALID_ARGUMENT', message: 'createVault(options): options.proxyUrl must be the absolute URL of the proxy page' });
  });
  it('says only the short form when a production build dropped the fix', () => {
    expect(thrown(() => fail(false, 'proxyUrl'))).toMatchObject({ code: 'TV_INVALID_ARGUMENT', message: 'proxyUrl' });
  });
});
