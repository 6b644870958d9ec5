import { BINARY_BODY } from '@tokenvault/dev-host';
import { createHash } from 'node:crypto';
import { apiCalls, channelFetch, expect, pageFetch, signIn, test } from './fixtures.js';
import { defined } from '@tokenvault/test-support';

type Via = 'worker' | 'channel';
const VIAS: Via[] = ['worker', 'channel'];

test.describe('bodies and headers', () => {
  for (const via of VIAS) {
    test(`a binary body comes through byte for byte (${via})`, async ({ page, devHost }) => {
      await signIn(page, devHost);
      const result = await page.evaluate(
        async ({ url, via }) => {
          const response = via === 'worker' ? await fetch(url, { headers: { authorization: 'Bearer REDACTED' } }) : await window.demo.vault.fetch(url);
          const bytes = await response.arrayBuffer();
          const digest = Array.from(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes)), (b) => b.toString(16).padStart(2, '0')).join('');
          return { status: response.status, type: response.headers.get('content-type'), length: bytes.byteLength, digest, served: response.headers.get('x-api-body-sha256') };
        },
        { url: `${devHost.vault.origins.api}/v1/image`, via },
      );
      const expected = createHash('sha256').update(BINARY_BODY).digest('hex');
      expect(result).toEqual({ status: 200, type: 'image/png', length: BINARY_BODY.length, digest: expected, served: expected });
    });

    test(`request bodies (JSON, FormData, binary) are forwarded exactly (${via})`, async ({ page, devHost }) => {
      await signIn(page, devHost);
      const results = await page.evaluate(
        async ({ url, via }) => {
          const hex = async (data: ArrayBuffer) => Array.from(new Uint8Array(await crypto.subtle.digest('SHA-256', data)), (b) => b.toString(16).padStart(2, '0')).join('');
          const form = new FormData();
          form.append('name', 'Alice');
          form.append('file', new Blob([new Uint8Array([0, 1, 2, 253, 254, 255])], { type: 'application/octet-stream' }), 'bytes.bin');
          const bodies: [string, BodyInit][] = [
            ['json', JSON.stringify({ hello: 'wörld', n: [1, 2, 3] })],
            ['form', form],
            ['binary', new Uint8Array(Array.from({ length: 4096 }, (_, i) => i % 256))],
          ];
          const out = [];
          for (const [kind, body] of bodies) {
            const type: Record<string, string> = kind === 'json' ? { 'content-type': 'application/json' } : kind === 'binary' ? { 'content-type': 'application/octet-stream' } : {};
            const sentBytes = await new Request(url, { method: 'POST', body, headers: type }).arrayBuffer();
            const init = { method: 'POST', body, headers: { authorization: 'Bearer REDACTED', ...type } };
            // FormData gets a fresh boundary per serialisation: compare against what the server saw.
            const response = via === 'worker' ? await fetch(url, init) : await window.demo.vault.fetch(url, init);
            const echoed = await response.arrayBuffer();
            out.push({
              kind,
              status: response.status,
              echoedHash: await hex(echoed),
              serverHash: response.headers.get('x-api-body-sha256'),
              sentHash: kind === 'form' ? null : await hex(sentBytes),
              serverType: response.headers.get('x-api-request-content-type'),
              formText: kind === 'form' ? new TextDecoder().decode(echoed) : null,
            });
          }
          return out;
        },
        { url: `${devHost.vault.origins.api}/v1/echo`, via },
      );
      for (const result of results) {
        expect(result.status).toBe(200);
        expect(result.echoedHash).toBe(result.serverHash);
        if (result.sentHash) expect(result.serverHash).toBe(result.sentHash);
      }
      expect(results[0].serverType).toBe('application/json');
      expect(results[1].serverType).toMatch(/^multipart\/form-data; boundary=/);
      const boundary = defined(results[1].serverType).split('boundary=')[1];
      expect(results[1].formText).toContain(`--${boundary}`);
      expect(results[1].formText).toContain('name="file"; filename="bytes.bin"');
      expect(results[2].serverType).toBe('application/octet-stream');
    });
  }

  test('status, statusText and headers are preserved; encoding and length headers are dropped', async ({ page, devHost }) => {
    await signIn(page, devHost);
    const { api } = devHost.vault.origins;
    const teapot = await pageFetch(page, `${api}/v1/teapot`);
    expect(teapot.status).toBe(418);
    expect(teapot.statusText).toBe("I'm a Teapot");
    expect(teapot.headers['x-api-served']).toBe('teapot');
    expect(JSON.parse(teapot.text)).toEqual({ error: 'short and stout' });

    const empty = await channelFetch(page, `${api}/v1/empty`);
    expect(empty.status).toBe(204);
    expect(empty.text).toBe('');

    const gzip = await pageFetch(page, `${api}/v1/gzip`);
    expect(gzip.status).toBe(200);
    expect(JSON.parse(gzip.text)).toMatchObject({ compressed: true });
    expect(gzip.headers['content-encoding']).toBeUndefined();
    expect(gzip.headers['content-length']).toBeUndefined();
  });

  test('a redirect from the API is not followed with the credential: 502 TV_UPSTREAM_REDIRECT', async ({ page, devHost }) => {
    await signIn(page, devHost);
    const response = await pageFetch(page, `${devHost.vault.origins.api}/v1/redirect`);
    expect(response.status).toBe(502);
    expect(JSON.parse(response.text)).toMatchObject({ error: 'TV_UPSTREAM_REDIRECT' });
    expect(apiCalls(devHost, '/v1/redirect')).toHaveLength(1);
    expect(devHost.vault.requestLog.find('evil')).toHaveLength(0);
  });
});
