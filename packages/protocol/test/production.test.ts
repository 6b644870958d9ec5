import { afterEach, describe, expect, it, vi } from 'vitest';

// Production bundles (NODE_ENV=production) leave the long messages out. What must stay: the codes,
// the statuses, and the field a configuration error is about.
async function inProduction() {
  vi.stubEnv('NODE_ENV', 'production');
  vi.resetModules();
  return {
    errors: await import('../src/errors.js'),
    config: await import('../src/config.js'),
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

  it.each([
    ['an app origin with a path', { appOrigins: ['https://app.example.com/x'] }, 'appOrigins[0]'],
    ['a bad rule', { rules: [{ origin: 'https://api.example.com', pathPrefix: '/v1/../x' }] }, 'rules[0].pathPrefix'],
    ['an unknown time limit', { timeouts: { forever: 1 } }, 'timeouts.forever'],
    ['a host session header a page may not set', { hostSession: { header: 'Cookie' } }, 'hostSession.header'],
  ])('a configuration error (%s) fails closed with TV_INVALID_CONFIG and names the field, without the prose', async (_name, change, field) => {
    const { config } = await inProduction();
    const valid = { appOrigins: ['https://app.example.com'], issuer: 'https://op.example.com', clientId: 'spa', rules: [{ origin: 'https://api.example.com', pathPrefix: '/v1/' }] };
    const err = thrown(() => config.resolveProxyConfig({ ...valid, ...change }));
    expect(err.code).toBe('TV_INVALID_CONFIG');
    expect(err.message).toBe(`Invalid Token Vault configuration: ${field}`);
  });

  it('the interceptor configuration fails closed the same way', async () => {
    const { config } = await inProduction();
    const err = thrown(() => config.resolveInterceptorConfig({ issuer: 'https://op.example.com', rules: [{ origin: 'nope' }] }));
    expect([err.code, err.message]).toEqual(['TV_INVALID_CONFIG', 'Invalid Token Vault configuration: rules[0].origin']);
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
