import { encode } from '@jridgewell/sourcemap-codec';
import { describe, expect, it } from 'vitest';
import { GLUE, OUR_ENTRIES, attribute, buildChunked, buildEntry, composition } from '../src/bundles.js';

describe('attribute', () => {
  it("gives each byte of a minified bundle to the package its source map names, and the rest to the bundle's glue", () => {
    // `(()=>{` is the wrapper; `a()` from valibot, `b()` from the protocol, `;})()` the wrapper again.
    const code = '(()=>{a();b()\n})()';
    const sources = ['../../node_modules/valibot/dist/index.mjs', '../../packages/protocol/dist/errors.js'];
    const mappings = encode([
      [
        [6, 0, 0, 0],
        [10, 1, 3, 0],
      ],
      [[0]],
    ]);
    const slices = attribute(code, { sources, mappings });
    expect(Object.fromEntries([...slices].map(([name, texts]) => [name, texts.join('')]))).toEqual({ [GLUE]: '(()=>{\n})()', valibot: 'a();', '@tokenvault/protocol': 'b()' });
  });
});

describe('composition', () => {
  it("gives every byte of the worker as shipped (minified) to a package, or to the bundle's glue", async () => {
    const { entry, format } = OUR_ENTRIES.worker;
    const [parts, shipped] = await Promise.all([composition(entry, format), buildEntry(entry, format)]);
    expect(Object.keys(parts)).toContain('workbox-routing');
    expect(Object.values(parts).reduce((sum, part) => sum + part.bytes, 0)).toBe(shipped.bytes);
    const total = Object.values(parts).reduce((sum, part) => sum + part.share, 0);
    expect(total).toBeGreaterThan(99.5);
    expect(total).toBeLessThan(100.5);
  }, 60_000);
});

describe('buildChunked', () => {
  it("weighs the client's start chunk apart from the chunks import() loads, and all of them as buildEntry does", async () => {
    const [chunked, whole] = await Promise.all([buildChunked('tv-client.js'), buildEntry('tv-client.js', 'es')]);
    expect(chunked.all).toEqual(whole);
    expect(chunked.startChunks).toBeLessThan(chunked.chunks);
    expect(chunked.start.bytes).toBeLessThan(chunked.all.bytes);
    const start = Object.entries(chunked.files).filter(([name]) => chunked.start.code.includes(chunked.files[name]));
    expect(start.map(([name]) => name)).toContain('app.js');
    // The entry first, then what it imports statically (the page preloads those): the start chunks, no other.
    expect(chunked.startFiles[0]).toBe('app.js');
    expect(chunked.startFiles).toHaveLength(chunked.startChunks);
    expect([...chunked.startFiles].sort()).toEqual(start.map(([name]) => name).sort());
    // The popup sign-in's time limit is the account chunk's, loaded with import().
    expect(chunked.start.code).not.toContain('popupTimeout');
    expect(chunked.all.code).toContain('popupTimeout');
  }, 60_000);
});
