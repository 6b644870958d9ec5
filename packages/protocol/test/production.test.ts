import { afterEach, describe, expect, it, vi } from 'vitest';

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
    expect([err.code, err.message]).toEqual(['TV_MALFORMED_MESSAGE', 'Malformed message at "request.method"']);
    expect(thrown(() => messages.parseMessage(messages.ProxyRequestSchemas, { ...fetch, v: 'tokenvault/0' })).code).toBe('TV_VERSION_MISMATCH');
  });

  it('the guards keep their codes', async () => {
    const { replies, messages } = await inProduction();
    expect(thrown(() => replies.parseProxyReply({ v: messages.PROTOCOL_VERSION, type: 'steal' })).code).toBe('TV_MALFORMED_MESSAGE');
    expect(thrown(() => replies.parseWorkerMessage({ v: 'tokenvault/0', type: 'connect' })).code).toBe('TV_VERSION_MISMATCH');
  });
});
