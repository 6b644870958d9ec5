import { describe, expect, it } from 'vitest';
import { DEFAULT_REDACTED_FIELDS } from '@tokenvault/config';
import { REDACTED, redactTokenResponse } from '../src/tokens/redact.js';

describe('redactTokenResponse', () => {
  const response = {
    access_token: 'eyJhbGciOi.secret.sig',
    refresh_token: 'rt-secret',
    id_token: 'eyJ.id.token',
    token_type: 'Bearer',
    expires_in: 600,
    scope: 'openid api',
  };

  it('replaces access_token and refresh_token and keeps the rest', () => {
    expect(redactTokenResponse(response)).toEqual({ ...response, access_token: REDACTED, refresh_token: REDACTED });
  });

  it('does not add fields that were absent', () => {
    const { refresh_token: _dropped, ...withoutRefresh } = response;
    expect(redactTokenResponse(withoutRefresh)).not.toHaveProperty('refresh_token');
  });

  it('does not change its input', () => {
    const input = { ...response };
    redactTokenResponse(input);
    expect(input).toEqual(response);
  });

  it('redacts a configured list', () => {
    expect(redactTokenResponse(response, { redact: [...DEFAULT_REDACTED_FIELDS, 'id_token'] }).id_token).toBe(REDACTED);
  });

  it('leaves no credential anywhere in the serialised result', () => {
    const text = JSON.stringify(redactTokenResponse(response));
    expect(text).not.toContain('secret');
  });
});

describe('redactTokenResponse: an allow-list, not a filter', () => {
  const response = {
    access_token: 'at-0123456789',
    refresh_token: 'rt-0123456789',
    token_type: 'Bearer',
    expires_in: 600,
    issued_token_type: 'urn:ietf:params:oauth:token-type:access_token',
    device_secret: 'ds-0123456789',
    vendor_token: 'vt-0123456789',
    nested: { access_token: 'at-0123456789' },
    tokens: ['at-0123456789'],
    session_hint: 'plain',
  };

  it('passes only the safe fields and the placeholders', () => {
    expect(redactTokenResponse(response)).toEqual({
      access_token: REDACTED,
      refresh_token: REDACTED,
      token_type: 'Bearer',
      expires_in: 600,
      issued_token_type: 'urn:ietf:params:oauth:token-type:access_token',
    });
  });

  it('passes a kept field with a plain value, never a nested one or a credential', () => {
    const out = redactTokenResponse(response, { keep: ['session_hint', 'nested', 'tokens', 'device_secret'] });
    expect(out.session_hint).toBe('plain');
    expect(out).not.toHaveProperty('nested');
    expect(out).not.toHaveProperty('tokens');
    expect(out).not.toHaveProperty('device_secret');
  });

  it('drops a kept or safe field that carries a copy of a stored token', () => {
    const out = redactTokenResponse(
      { ...response, scope: 'api rt-0123456789', session_hint: 'at-0123456789' },
      { keep: ['session_hint'], secrets: ['at-0123456789', 'rt-0123456789'] },
    );
    expect(out).not.toHaveProperty('scope');
    expect(out).not.toHaveProperty('session_hint');
    expect(JSON.stringify(out)).not.toMatch(/0123456789/);
  });
});
