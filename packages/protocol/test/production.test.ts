import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ErrorDetails } from '../src/errors.js';

// Every detail name a template of the catalog reads (`d.<name>` in its source).
const DETAIL_NAMES = [...new Set([...readFileSync(new URL('../src/errorMessages.ts', import.meta.url), 'utf8').matchAll(/\bd\.(\w+)/g)].map((match) => match[1]))];

/** The runs of a message that do not come from its details: three words or more. */
function staticParts(text: string): string[] {
  return text
    .split(/<\w+>/)
    .map((part) => part.trim())
    .filter((part) => part.split(' ').length >= 3);
}

// Production bundles (NODE_ENV=production) leave the long messages out. What must stay: the codes,
// the statuses, and the field a configuration error is about.
async function inProduction() {
  vi.stubEnv('NODE_ENV', 'production');
  vi.resetModules();
  return {
    errors: await import('../src/errors.js'),
    messages: await import('../src/messages.js'),
    replies: await import('../src/replies.js'),
  };
}

afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

function thrown(task: () => unknown): { code?: string; message: string; name: string } {
  try {
    task();
  } catch (err) {
    return err as { code?: string; message: string; name: string };
  }
  throw new Error('expected a failure');
}

describe('in a production build', () => {
  it('a VaultError keeps its code, status and name; its message defaults to the code', async () => {
    const { errors } = await inProduction();
    const err = new errors.VaultError('TV_URL_NOT_ALLOWED');
    expect([err.code, err.status, err.name, err.message]).toEqual(['TV_URL_NOT_ALLOWED', 403, 'VaultError', 'TV_URL_NOT_ALLOWED']);
    expect(errors.errorResponse(err).status).toBe(403);
  });

  it('a malformed message is refused with its code and the path of the wrong field', async () => {
    const { messages } = await inProduction();
    const fetch = { v: messages.PROTOCOL_VERSION, type: 'fetch', id: 1, request: { url: 'https://a.example/', method: 7, headers: [], body: null } };
    const err = thrown(() => messages.parseMessage(messages.ProxyRequestSchemas, fetch));
    expect(err.code).toBe('TV_MALFORMED_MESSAGE');
    expect(err.message).toBe('TV_MALFORMED_MESSAGE {"why":"malformedAt","path":"request.method","expected":"string"}');
    expect(thrown(() => messages.parseMessage(messages.ProxyRequestSchemas, { ...fetch, v: 'tokenvault/0' })).code).toBe('TV_VERSION_MISMATCH');
  });

  it('every template of the catalog says only the code and the details, none of its prose', async () => {
    const { errors } = await inProduction();
    const { errorMessages } = await import('../src/errorMessages.js');
    const ids = Object.keys(errorMessages) as (keyof typeof errorMessages)[];
    expect(ids.length).toBeGreaterThan(150);
    for (const why of ids) {
      // Every detail a template could read, as a marker: the production message holds the markers, never the template's words.
      const details = { why, ...Object.fromEntries(DETAIL_NAMES.map((name) => [name, `<${name}>`])) } as unknown as ErrorDetails;
      const message = new errors.VaultError('TV_INTERNAL', details).message;
      expect(message, why).toBe(`TV_INTERNAL ${JSON.stringify(details)}`);
      const prose = (errorMessages[why] as (d: unknown) => string)(details);
      for (const words of staticParts(prose)) expect(message, why).not.toContain(words);
    }
  });

  it('the guards keep their codes', async () => {
    const { replies, messages } = await inProduction();
    expect(thrown(() => replies.parseProxyReply({ v: messages.PROTOCOL_VERSION, type: 'steal' })).code).toBe('TV_MALFORMED_MESSAGE');
    expect(thrown(() => replies.parseWorkerMessage({ v: 'tokenvault/0', type: 'connect' })).code).toBe('TV_VERSION_MISMATCH');
  });
});
