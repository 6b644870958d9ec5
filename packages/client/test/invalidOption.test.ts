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
  it('throws TV_INVALID_ARGUMENT with the message', () => {
    const error = thrown(() => invalidOption('createVault(options): options.proxyUrl must be the absolute URL of the proxy page', 'proxyUrl'));
    expect(error).toBeInstanceOf(VaultError);
    expect(error).toMatchObject({ code: 'TV_INVALID_ARGUMENT', message: 'createVault(options): options.proxyUrl must be the absolute URL of the proxy page' });
  });
  it('says only the short form when a production build dropped the message', () => {
    expect(thrown(() => invalidOption(false, 'proxyUrl'))).toMatchObject({ code: 'TV_INVALID_ARGUMENT', message: 'proxyUrl' });
    // Nothing at all: the catalog's message, as `new VaultError(code, '')` gives.
    expect(thrown(() => invalidOption(false))).toMatchObject({ code: 'TV_INVALID_ARGUMENT', message: new VaultError('TV_INVALID_ARGUMENT', '').message });
  });
});
