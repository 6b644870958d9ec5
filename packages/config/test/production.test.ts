import { afterEach, describe, expect, it, vi } from 'vitest';
import { resolveInterceptorConfig } from '../src/config.js';

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

  it.each([
    ['the smallest', { issuer: 'https://op.example.com', rules: [{ origin: 'https://api.example.com' }] }],
    [
      'every field',
      {
        issuer: 'https://OP.example.com:443/realms/x/',
        opOrigins: ['https://Tokens.example.com:443', 'https://op.example.com'],
        opPassThrough: ['https://op.example.com/AM/json//'],
        rules: [
          { origin: 'https://API.example.com:443', pathPrefix: '/v1//', methods: ['GET', 'POST'], requireAuthorizationHeader: true, credential: 'host_session' },
          { origin: 'http://files.localhost:8080', pathPrefix: '/', dpop: true, resource: 'https://files.localhost/', scope: 'read' },
        ],
        timeouts: { upstreamMs: 5000 },
      },
    ],
  ])('the interceptor configuration (%s) is filled in, not checked, with what development resolves it to', async (_name, value) => {
    const checked = resolveInterceptorConfig(value);
    const { config } = await inProduction();
    const filled = config.resolveInterceptorConfig(value);
    // The worker routes by origin, base, methods and requireAuthorizationHeader: production keeps those.
    const routing = ({ origin, base, methods, requireAuthorizationHeader }: (typeof checked.rules)[number]) => ({ origin, base, methods, requireAuthorizationHeader });
    expect({ ...filled, rules: filled.rules.map(routing) }).toEqual({ ...checked, rules: checked.rules.map(routing) });
  });

  it('the interceptor configuration is not checked: the build checks it before it writes it', async () => {
    const { config } = await inProduction();
    expect(() => config.resolveInterceptorConfig({ issuer: 'https://op.example.com', rules: [{ origin: 'https://api.example.com', pathPrefix: 'v1' }] })).not.toThrow();
    // In development (and in Node, where the build runs) the same configuration is refused, naming the field.
    expect(() => resolveInterceptorConfig({ issuer: 'https://op.example.com', rules: [{ origin: 'https://api.example.com', pathPrefix: 'v1' }] })).toThrow(
      /rules\[0\]\.pathPrefix/,
    );
  });
});
