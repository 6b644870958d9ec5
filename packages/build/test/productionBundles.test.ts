import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kitFiles } from '../src/kitFiles.js';

// The kit builds the drop-in worker and the proxy page itself, for production: the development
// messages must be gone, the codes and the field names of configuration errors must not.
describe('the production bundles of the kit', () => {
  const kit = kitFiles();
  const bundles = {
    worker: readFileSync(kit.workerScript, 'utf8'),
    proxy: readdirSync(kit.proxyAssets)
      .filter((name) => name.endsWith('.js'))
      .map((name) => readFileSync(join(kit.proxyAssets, name), 'utf8'))
      .join('\n'),
  };

  it.each(Object.entries(bundles))('%s: no process.env left, no development prose, codes kept', (_name, code) => {
    expect(code).not.toContain('process.env');
    expect(code).not.toContain('must be an origin such as');
    expect(code).not.toContain('The vault proxy did not answer in time');
    expect(code).toContain('TV_INVALID_CONFIG');
    expect(code).toContain('TV_PROXY_UNREACHABLE');
    expect(code).toContain('Invalid Token Vault configuration: ');
  });
});
