import { afterEach, describe, expect, it, vi } from 'vitest';

// Production bundles (NODE_ENV=production) leave the long messages out; a configuration error
// still names the field it is about. In Node, @tokenvault/protocol resolves to its dist/node/
// (development checks always on), so the switch is read from its sources here, as a bundler would.
async function inProduction() {
  vi.stubEnv('NODE_ENV', 'production');
  vi.resetModules();
  vi.doMock('@tokenvault/protocol', () => import('../../protocol/src/index.js'));
  return { config: await import('../src/config.js') };
}

afterEach(() => {
  vi.doUnmock('@tokenvault/protocol');
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

/** A production message is the code and its details as JSON ("TV_INVALID_CONFIG {…}"): the details. */
function productionDetails(message: string): unknown {
  const [code, ...json] = message.split(' ');
  expect(code).toBe('TV_INVALID_CONFIG');
  return JSON.parse(json.join(' '));
}

describe('in a production build', () => {
  it.each([
    ['an app origin with a path', { appOrigins: ['https://app.example.com/x'] }, 'appOrigins[0]'],
    ['a bad rule', { rules: [{ origin: 'https://api.example.com', pathPrefix: '/v1/../x' }] }, 'rules[0].pathPrefix'],
    ['an unknown time limit', { timeouts: { forever: 1 } }, 'timeouts.forever'],
    ['a host session header a page may not set', { hostSession: { header: 'Cookie' } }, 'hostSession.header'],
  ])('a configuration error (%s) fails closed with TV_INVALID_CONFIG and names the field, without the prose', async (_name, change, field) => {
    const { config } = await inProduction();
    const valid = {
      appOrigins: ['https://app.example.com'],
      issuer: 'https://op.example.com',
      clientId: 'spa',
      rules: [{ origin: 'https://api.example.com', pathPrefix: '/v1/' }],
    };
    const err = thrown(() => config.resolveProxyConfig({ ...valid, ...change }));
    expect(err.code).toBe('TV_INVALID_CONFIG');
    expect(productionDetails(err.message)).toMatchObject({ field });
    expect(err.message).not.toContain('must');
  });

  it('the interceptor configuration fails closed the same way', async () => {
    const { config } = await inProduction();
    const err = thrown(() => config.resolveInterceptorConfig({ issuer: 'https://op.example.com', rules: [{ origin: 'nope' }] }));
    expect([err.code, productionDetails(err.message)]).toEqual(['TV_INVALID_CONFIG', { why: 'originNotUrl', value: 'nope', field: 'rules[0].origin' }]);
  });
});
