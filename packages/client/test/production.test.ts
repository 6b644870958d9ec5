import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { errorCatalog, errorMessages } from '@tokenvault/protocol';
import { build, type Rolldown } from 'vite';
import { describe, expect, it } from 'vitest';
import { catalogSentences } from '@tokenvault/test-support';

// The client ships as ES modules: the app's bundler builds it, for production with NODE_ENV set.
// Built here that way (Vite, minified), every export of the package: no sentence of the error
// catalog may be left in it (production errors say their code and details, as workbox's do), and
// the codes must be.

const SENTENCES = catalogSentences(errorMessages, errorCatalog);

/** Every export of the package but `errorCatalog` (the table of descriptions, which an app that imports it ships on purpose). */
async function productionBundle(): Promise<string> {
  const dist = fileURLToPath(new URL('../dist/index.js', import.meta.url));
  const entry = join(mkdtempSync(join(tmpdir(), 'tv-client-')), 'entry.js');
  writeFileSync(entry, `export { createVault, SessionMonitor, receiveHostSession, serveHostSession, VaultError } from ${JSON.stringify(dist)};\n`);
  const result = await build({
    configFile: false,
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': JSON.stringify('production') },
    build: {
      write: false,
      minify: true,
      lib: { entry, formats: ['es'], fileName: () => 'client.js' },
    },
  });
  const outputs = (Array.isArray(result) ? result : [result]) as Rolldown.RolldownOutput[];
  return outputs
    .flatMap((output) => output.output)
    .map((item) => (item.type === 'chunk' ? item.code : ''))
    .join('\n');
}

describe('the client in an app built for production', () => {
  it('has no sentence of the error catalog and keeps the codes', async () => {
    expect(SENTENCES.length).toBeGreaterThan(200);
    const code = await productionBundle();
    expect(code).not.toContain('process.env');
    expect(SENTENCES.filter((sentence) => code.includes(sentence))).toEqual([]);
    expect(code).toContain('TV_PROXY_UNREACHABLE');
    expect(code).toContain('TV_SIGN_IN_CANCELLED');
  }, 60_000);
});
