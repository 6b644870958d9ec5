import { createHash } from 'node:crypto';
import { builtConfigDigestInput, resolveProxyConfig, RESOLVED_CONFIG_ID, toBuiltConfig } from '@tokenvault/config';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { checkConfig } from '../src/checkConfig.js';
import { readConfig } from '../src/readConfig.js';

// The full checker is its own chunk, loaded by import() only for a block the build did not
// resolve: the spy tells which path a page took.
vi.mock('../src/checkConfig.js', { spy: true });

const PROXY = 'https://proxy.example.com';
const config = {
  appOrigins: ['https://app.example.com'],
  issuer: 'https://op.example.com',
  clientId: 'spa',
  rules: [{ origin: 'https://api.example.com', pathPrefix: '/v1/', methods: ['GET', 'POST'], dpop: true }],
};

/** A page's blocks by id: the text and, for the resolved block, its data-sha256. */
type Blocks = Partial<Record<string, { text: string; sha256?: string }>>;

const page = (blocks: Blocks) =>
  ({
    location: { origin: PROXY },
    getElementById: (id: string) => {
      const block = blocks[id];
      return block ? { textContent: block.text, getAttribute: (name: string) => (name === 'data-sha256' ? (block.sha256 ?? null) : null) } : null;
    },
  }) as unknown as Document;

/** A page as written by hand: the given block only. */
const handWritten = (value: unknown): Blocks => ({ 'tokenvault-config': { text: JSON.stringify(value) } });

/** A page as the build writes it (renderProxyPage): both blocks, the digest over both texts. */
function built(value: unknown, resolved: unknown = toBuiltConfig(resolveProxyConfig(value))): Blocks {
  const given = JSON.stringify(value);
  const text = JSON.stringify(resolved);
  const sha256 = createHash('sha256').update(builtConfigDigestInput(given, text)).digest('base64url');
  return { 'tokenvault-config': { text: given }, [RESOLVED_CONFIG_ID]: { text, sha256 } };
}

afterEach(() => {
  vi.mocked(checkConfig).mockClear();
  vi.unstubAllGlobals();
});

describe('readConfig', () => {
  it('reads the block of its own page', async () => {
    expect((await readConfig(page(handWritten(config)))).rules[0]?.origin).toBe('https://api.example.com');
  });

  it('refuses a rule on the proxy origin itself, naming the rule', async () => {
    await expect(readConfig(page(handWritten({ ...config, rules: [config.rules[0], { origin: PROXY, pathPrefix: '/' }] })))).rejects.toThrow(
      /rules\[1\]\.origin must not be the proxy origin/,
    );
  });

  it('takes the resolved block the build wrote, without loading the checker', async () => {
    const read = await readConfig(page(built(config)));
    expect(read).toEqual(resolveProxyConfig(config));
    // JSON has no sets: the rule's methods are one again.
    expect(read.rules[0]?.methods?.has('POST')).toBe(true);
    expect(checkConfig).not.toHaveBeenCalled();
  });

  it('checks a page written by hand (no resolved block) with the full checker', async () => {
    expect(await readConfig(page(handWritten(config)))).toEqual(resolveProxyConfig(config));
    expect(checkConfig).toHaveBeenCalledOnce();
  });

  it('checks a given block edited after the build, and refuses it when it is bad', async () => {
    const blocks = built(config);
    const edited = { ...config, appOrigins: ['http://app.example.com'] };
    blocks['tokenvault-config'] = { text: JSON.stringify(edited) };
    await expect(readConfig(page(blocks))).rejects.toMatchObject({ code: 'TV_INVALID_CONFIG' });
    expect(checkConfig).toHaveBeenCalledOnce();
  });

  it('checks a given block edited after the build, and uses it when it is good', async () => {
    const blocks = built(config);
    const edited = { ...config, clientId: 'edited' };
    blocks['tokenvault-config'] = { text: JSON.stringify(edited) };
    expect((await readConfig(page(blocks))).clientId).toBe('edited');
    expect(checkConfig).toHaveBeenCalledOnce();
  });

  it('ignores a resolved block edited after the build (a rule added): the given block is checked', async () => {
    const blocks = built(config);
    const resolved = JSON.parse(blocks[RESOLVED_CONFIG_ID]?.text ?? '') as { rules: unknown[] };
    resolved.rules.push({ origin: 'https://evil.example', base: '', methods: null, credential: 'access_token', dpop: false, resource: null, requireAuthorizationHeader: false });
    blocks[RESOLVED_CONFIG_ID] = { text: JSON.stringify(resolved), sha256: blocks[RESOLVED_CONFIG_ID]?.sha256 ?? '' };
    const read = await readConfig(page(blocks));
    expect(read.rules.map((rule) => rule.origin)).toEqual(['https://api.example.com']);
    expect(checkConfig).toHaveBeenCalledOnce();
  });

  it('refuses a rule on the proxy origin in a resolved block whose digest matches', async () => {
    // The build refuses such a configuration; a server that wrote both blocks itself is not the build.
    const resolved = toBuiltConfig(resolveProxyConfig(config)) as { rules: object[] };
    resolved.rules = [...resolved.rules, { origin: PROXY, base: '', methods: null, credential: 'access_token', dpop: false, resource: null, requireAuthorizationHeader: false }];
    await expect(readConfig(page(built(config, resolved)))).rejects.toThrow(/rules\[1\]\.origin must not be the proxy origin/);
    expect(checkConfig).not.toHaveBeenCalled();
  });

  it('refuses a block that is not JSON, with or without a resolved block', async () => {
    await expect(readConfig(page({ 'tokenvault-config': { text: '{"appOrigins":' } }))).rejects.toMatchObject({ code: 'TV_INVALID_CONFIG' });
    const blocks = built(config);
    blocks['tokenvault-config'] = { text: '{"appOrigins":' };
    await expect(readConfig(page(blocks))).rejects.toMatchObject({ code: 'TV_INVALID_CONFIG' });
  });

  it('checks the given block where there is no WebCrypto to compare the digest with', async () => {
    vi.stubGlobal('crypto', undefined);
    expect(await readConfig(page(built(config)))).toEqual(resolveProxyConfig(config));
    expect(checkConfig).toHaveBeenCalledOnce();
  });
});
