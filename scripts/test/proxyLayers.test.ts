import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import { PROXY_LAYERS, proxyLayerRules } from '../../eslint.config.js';

// The proxy's layers (CONTRIBUTING.md, "The proxy's layers"): eslint.config.js states which folder
// of packages/proxy/src may import which. Here: that every folder has a rule, that the rule refuses
// what it should, and that the source (dynamic import() included, which the lint rule does not see)
// keeps to it.

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const src = join(root, 'packages/proxy/src');
const layers: Record<string, readonly string[]> = PROXY_LAYERS;

/** Every relative module a file names: static imports, re-exports and import(). */
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s*)['"](\.{1,2}\/[^'"]+)['"]/gm;

function lint(code: string, file: string): string[] {
  const linter = new Linter({ cwd: root });
  return linter
    .verify(code, [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } }, ...proxyLayerRules], { filename: join(src, file) })
    .map((message) => `${message.line}: ${message.ruleId ?? 'parse'}`);
}

describe("the proxy's layers", () => {
  it('every folder of packages/proxy/src has its rule', () => {
    const folders = readdirSync(src, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
    expect(folders.sort()).toEqual(Object.keys(layers).sort());
  });

  it('the lint rule refuses an import upwards or of the root, and lets one downwards pass', () => {
    expect(lint("import { TokenStore } from '../tokens/TokenStore.js';\nimport type { VaultProxy } from '../routing/VaultProxy.js';", 'network/x.ts')).toEqual([
      '1: no-restricted-imports',
      '2: no-restricted-imports',
    ]);
    expect(lint("export { startProxy } from '../startProxy.js';", 'door/x.ts')).toEqual(['1: no-restricted-imports']);
    expect(lint("import { TokenStore } from '../tokens/TokenStore.js';\nimport { upstreamFetch } from '../network/upstream.js';", 'handlers/x.ts')).toEqual([]);
  });

  it('the source keeps to it, import() included', () => {
    const breaches: string[] = [];
    for (const layer of Object.keys(layers)) {
      for (const file of readdirSync(join(src, layer)).filter((name) => name.endsWith('.ts'))) {
        const path = join(src, layer, file);
        for (const [, specifier] of readFileSync(path, 'utf8').matchAll(SPECIFIER)) {
          const target = relative(src, resolve(dirname(path), specifier)).split('/');
          const ok = target.length > 1 && (target[0] === layer || layers[layer].includes(target[0]));
          if (!ok) breaches.push(`${layer}/${file} → ${specifier}`);
        }
      }
    }
    expect(breaches).toEqual([]);
  });

  // One store module: the IndexedDB databases are named, and their handles made, in one place.
  it('opens its IndexedDB stores in one module (shared/stores.ts)', () => {
    const openers = Object.keys(layers)
      .flatMap((layer) => readdirSync(join(src, layer)).map((file) => `${layer}/${file}`))
      .filter((file) => /\bcreateStore\(/.test(readFileSync(join(src, file), 'utf8')));
    expect(openers).toEqual(['shared/stores.ts']);
  });
});
