import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { RequestLog, sha256 } from '../src/requestLog.js';

async function logOf(options?: { keepCredentials?: boolean }): Promise<RequestLog> {
  const log = new RequestLog(undefined, options);
  const app = Fastify();
  log.attach(app);
  app.get('/v1/profile', async () => ({ ok: true }));
  await app.inject({ url: '/v1/profile', headers: { host: 'api.vault.localhost:1', authorization: 'DPoP the-access-token', dpop: 'the-proof' } });
  await app.close();
  return log;
}

describe('RequestLog', () => {
  it('keeps the Authorization header as a hash only, and no DPoP proof, by default', async () => {
    const log = await logOf();
    expect(log.entries[0].authorization).toEqual({ scheme: 'DPoP', sha256: sha256('DPoP the-access-token') });
    expect(JSON.stringify(log.entries)).not.toContain('the-access-token');
    expect(JSON.stringify(log.entries)).not.toContain('the-proof');
  });

  it('keeps the raw headers only when made with keepCredentials (the leaky log of a test)', async () => {
    const log = await logOf({ keepCredentials: true });
    expect(log.entries[0].raw).toEqual({ authorization: 'DPoP the-access-token', dpop: 'the-proof' });
  });
});
