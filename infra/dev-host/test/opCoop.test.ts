import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../src/build.js';

const PORT = 8298;
const op = { host: `op.vault.localhost:${PORT}` };
let plain: FastifyInstance;
let coop: FastifyInstance;

beforeAll(async () => {
  [plain, coop] = await Promise.all([build({ port: PORT, demo: 'sealed' }), build({ port: PORT, demo: 'sealed', opCoop: true })]);
});
afterAll(async () => {
  await Promise.all([plain.close(), coop.close()]);
});

describe('opCoop: the OP pages send Cross-Origin-Opener-Policy', () => {
  it('on the authorization endpoint, the login interaction and end-session', async () => {
    for (const url of ['/auth?client_id=sealed', '/interaction/unknown', '/session/end']) {
      const response = await coop.inject({ url, headers: op });
      expect(response.headers['cross-origin-opener-policy'], url).toBe('same-origin');
    }
  });

  it('not on what scripts and frames fetch (discovery, JWKS, the token endpoint), nor on other origins', async () => {
    for (const url of ['/.well-known/openid-configuration', '/jwks', '/token']) {
      const response = await coop.inject({ method: url === '/token' ? 'POST' : 'GET', url, headers: op });
      expect(response.headers['cross-origin-opener-policy'], url).toBeUndefined();
    }
    const proxy = await coop.inject({ url: '/callback', headers: { host: `proxy.vault.localhost:${PORT}` } });
    expect(proxy.headers['cross-origin-opener-policy']).toBeUndefined();
  });

  it('off by default', async () => {
    const response = await plain.inject({ url: '/auth?client_id=sealed', headers: op });
    expect(response.headers['cross-origin-opener-policy']).toBeUndefined();
  });
});
