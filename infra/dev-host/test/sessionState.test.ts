import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { browserStateCookie, readBrowserState } from '../src/session/browserState.js';
import { checkSessionAnswer } from '../src/session/checkSessionAnswer.js';
import { newBrowserState, newSalt, sessionState } from '../src/session/sessionState.js';

const APP = 'http://app.vault.localhost:8080';
const clients = { demo: [APP] };
const browserState = 'n3XJ5Lq0nqW1w6g2b7Qf8wz0E4V9kYp2hD1sR6tU8cA';

describe('sessionState', () => {
  it('is the hex SHA-256 of "client_id origin browser_state salt", then "." and the salt', async () => {
    // Pinned: any change to the formula (order, separators, encoding) breaks every RP's check.
    const expected = 'f3981c48baea6337d9139da09fc72a9927bfcbd38818e767bc0eab65034eff87.c2FsdA';
    expect(await sessionState('demo', APP, browserState, 'c2FsdA')).toBe(expected);
    // …and it is what any SHA-256 says, not only WebCrypto.
    expect(expected.split('.')[0]).toBe(createHash('sha256').update(`demo ${APP} ${browserState} c2FsdA`).digest('hex'));
  });

  it('changes with each input', async () => {
    const base = await sessionState('demo', APP, browserState, 'salt');
    expect(await sessionState('other', APP, browserState, 'salt')).not.toBe(base);
    expect(await sessionState('demo', 'http://evil.localhost:8080', browserState, 'salt')).not.toBe(base);
    expect(await sessionState('demo', APP, newBrowserState(), 'salt')).not.toBe(base);
    expect(await sessionState('demo', APP, browserState, 'pepper')).not.toBe(base);
  });

  it('makes salts and browser states that are random and fit the message format', () => {
    expect(newSalt()).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(newSalt()).not.toBe(newSalt());
    expect(newBrowserState()).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(newBrowserState()).not.toBe(newBrowserState());
  });
});

describe('the browser state cookie', () => {
  it('is read from a Cookie header among others', () => {
    expect(readBrowserState(`a=1; op_browser_state=${browserState}; b=2`)).toBe(browserState);
  });

  it.each([
    ['absent', 'a=1'],
    ['empty', 'op_browser_state='],
    ['not one of ours', 'op_browser_state=<script>'],
    ['no header at all', undefined],
  ])('reads as none when %s', (_name, header) => {
    expect(readBrowserState(header)).toBeNull();
  });

  it('is readable by script (not HttpOnly), Lax, for the whole OP origin, Secure on https', () => {
    expect(browserStateCookie(browserState, false)).toBe(`op_browser_state=${browserState}; Path=/; SameSite=Lax`);
    expect(browserStateCookie(browserState, true)).toBe(`op_browser_state=${browserState}; Path=/; SameSite=Lax; Secure`);
  });
});

describe('checkSessionAnswer', () => {
  const salt = 'c2FsdA';
  const valid = async () => `demo ${await sessionState('demo', APP, browserState, salt)}`;

  it('answers unchanged when the recomputed session_state matches', async () => {
    expect(await checkSessionAnswer(await valid(), APP, clients, browserState)).toBe('unchanged');
  });

  it('answers changed when the browser state was rotated', async () => {
    expect(await checkSessionAnswer(await valid(), APP, clients, newBrowserState())).toBe('changed');
  });

  it('answers changed when there is no browser state at all', async () => {
    expect(await checkSessionAnswer(await valid(), APP, clients, null)).toBe('changed');
  });

  it('answers changed for a well-formed session_state that was never issued', async () => {
    expect(await checkSessionAnswer(`demo ${'0'.repeat(64)}.${salt}`, APP, clients, browserState)).toBe('changed');
  });

  it('answers error for a client it does not know', async () => {
    const state = await sessionState('stranger', APP, browserState, salt);
    expect(await checkSessionAnswer(`stranger ${state}`, APP, clients, browserState)).toBe('error');
  });

  it('answers error for an origin that is not one of the client', async () => {
    const evil = 'http://evil.localhost:8080';
    const state = await sessionState('demo', evil, browserState, salt);
    expect(await checkSessionAnswer(`demo ${state}`, evil, clients, browserState)).toBe('error');
  });

  it.each([
    ['an object', { client_id: 'demo' }],
    ['a string without a space', 'demo'],
    ['an empty client_id', ` ${'0'.repeat(64)}.salt`],
    ['a session_state without salt', `demo ${'0'.repeat(64)}`],
    ['a session_state that is not hex', `demo ${'z'.repeat(64)}.salt`],
    ['a salt with a dot', `demo ${'0'.repeat(64)}.sa.lt`],
    ['an overlong message', `demo ${'0'.repeat(64)}.${'s'.repeat(3000)}`],
  ])('answers error for a malformed message: %s', async (_name, data) => {
    expect(await checkSessionAnswer(data, APP, clients, browserState)).toBe('error');
  });
});
