import { describe, expect, it } from 'vitest';
import { DEFAULT_REDACTED_FIELDS, REDACTED, redactTokenResponse } from '../src/redact.js';

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
    expect(redactTokenResponse(response, [...DEFAULT_REDACTED_FIELDS, 'id_token']).id_token).toBe(REDACTED);
  });

  it('leaves no credential anywhere in the serialised result', () => {
    const text = JSON.stringify(redactTokenResponse(response));
    expect(text).not.toContain('secret');
  });
});
