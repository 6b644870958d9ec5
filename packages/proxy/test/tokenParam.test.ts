import { describe, expect, it } from 'vitest';
import { tokenParam } from '../src/handlers/tokenParam.js';
import { REDACTED, STORED, form } from './helpers.js';

const URL_ = 'https://op.example.com/token/revocation';
const code = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return undefined;
};

describe('tokenParam: the one-field rule for token=REDACTED', () => {
  it('the hint names the stored token of that kind', () => {
    expect(
      tokenParam(
        form(URL_, [
          ['token', REDACTED],
          ['token_type_hint', 'refresh_token'],
        ]),
        STORED,
        'spa',
      ),
    ).toEqual({ kind: 'refresh_token', token: 'rt-secret' });
    expect(
      tokenParam(
        form(URL_, [
          ['token', REDACTED],
          ['token_type_hint', 'access_token'],
          ['client_id', 'spa'],
        ]),
        STORED,
        'spa',
      ),
    ).toEqual({ kind: 'access_token', token: 'at-secret' });
  });
  it('without a hint: the refresh token, or the access token when there is none', () => {
    expect(tokenParam(form(URL_, [['token', REDACTED]]), STORED, 'spa').kind).toBe('refresh_token');
    expect(tokenParam(form(URL_, [['token', REDACTED]]), { ...STORED, refreshToken: null }, 'spa')).toEqual({ kind: 'access_token', token: 'at-secret' });
  });
  it('nothing stored: no token', () => {
    expect(tokenParam(form(URL_, [['token', REDACTED]]), null, 'spa').token).toBeNull();
  });
  it('refuses a token that is not the placeholder (the app holds none)', () => {
    expect(code(() => tokenParam(form(URL_, [['token', 'rt-secret']]), STORED, 'spa'))).toBe('TV_INVALID_REQUEST');
  });
  it('refuses a repeated token, hint or client_id', () => {
    expect(
      code(() =>
        tokenParam(
          form(URL_, [
            ['token', REDACTED],
            ['token', REDACTED],
          ]),
          STORED,
          'spa',
        ),
      ),
    ).toBe('TV_INVALID_REQUEST');
    expect(
      code(() =>
        tokenParam(
          form(URL_, [
            ['token', REDACTED],
            ['token_type_hint', 'access_token'],
            ['token_type_hint', 'refresh_token'],
          ]),
          STORED,
          'spa',
        ),
      ),
    ).toBe('TV_INVALID_REQUEST');
    expect(
      code(() =>
        tokenParam(
          form(URL_, [
            ['token', REDACTED],
            ['client_id', 'spa'],
            ['client_id', 'spa'],
          ]),
          STORED,
          'spa',
        ),
      ),
    ).toBe('TV_INVALID_REQUEST');
  });
  it('refuses an unknown hint', () => {
    expect(
      code(() =>
        tokenParam(
          form(URL_, [
            ['token', REDACTED],
            ['token_type_hint', 'id_token'],
          ]),
          STORED,
          'spa',
        ),
      ),
    ).toBe('TV_INVALID_REQUEST');
  });
  it("refuses another client's client_id", () => {
    expect(
      code(() =>
        tokenParam(
          form(URL_, [
            ['token', REDACTED],
            ['client_id', 'other'],
          ]),
          STORED,
          'spa',
        ),
      ),
    ).toBe('TV_INVALID_REQUEST');
  });
  it('refuses a body that is not a form, and GET', () => {
    expect(code(() => tokenParam(form(URL_, [['token', REDACTED]], 'application/json'), STORED, 'spa'))).toBe('TV_INVALID_REQUEST');
    expect(code(() => tokenParam({ url: URL_, method: 'GET', headers: [], body: null }, STORED, 'spa'))).toBe('TV_INVALID_REQUEST');
  });
});
