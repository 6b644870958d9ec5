import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { errorCatalog, errorMessages } from '@tokenvault/protocol';
import { describe, expect, it } from 'vitest';
import { catalogSentences } from '@tokenvault/test-support';
import { kitFiles } from '../src/kitFiles.js';

// Every sentence of the protocol's error catalog: the message templates (the session monitor's
// included) and the codes' descriptions.
const SENTENCES = catalogSentences(errorMessages, errorCatalog);

// The kit builds the drop-in worker and the proxy page itself, for production: the development
// messages must be gone, the codes must not.
describe('the production bundles of the kit', () => {
  const kit = kitFiles();
  const bundles = {
    worker: readFileSync(kit.workerScript, 'utf8'),
    proxy: readdirSync(kit.proxyAssets)
      .filter((name) => name.endsWith('.js'))
      .map((name) => readFileSync(join(kit.proxyAssets, name), 'utf8'))
      .join('\n'),
  };

  it('the catalog has its sentences to look for', () => {
    expect(SENTENCES.length).toBeGreaterThan(200);
    expect(SENTENCES).toContain('The vault proxy did not answer in time');
    expect(SENTENCES).toContain('The OP reports a change right after a successful re-check');
  });

  it.each(Object.entries(bundles))('%s: no process.env left, no sentence of the error catalog, codes kept', (_name, code) => {
    expect(code).not.toContain('process.env');
    expect(SENTENCES.filter((sentence) => code.includes(sentence))).toEqual([]);
    expect(code).toContain('TV_INVALID_CONFIG');
    expect(code).toContain('TV_PROXY_UNREACHABLE');
  });

  it("worker: the configuration's checks are left out (the build checks it), the defaults are filled in", () => {
    // The ids of the checks' messages (the production message's `why`): none of them ships.
    expect(bundles.worker).not.toMatch(/unknownRuleField|originShape|issuerShape|passThroughOverlap|timeoutMs/);
    // While the proxy page checks its own configuration whatever the build.
    expect(bundles.proxy).toMatch(/unknownRuleField/);
  });
});
