import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// The packages a user installs (directly, or as a dependency of one). Each tarball carries the
// license text (MIT asks for it in every copy; npm packs a package's own LICENSE, not the root's).
const PACKAGES = ['packages/client', 'packages/interceptor', 'packages/build', 'packages/protocol', 'packages/proxy'];
const root = new URL('../../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');

describe('package metadata', () => {
  it.each(PACKAGES)('%s ships the root LICENSE and names its license, repository and homepage', (dir) => {
    expect(read(`${dir}/LICENSE`)).toBe(read('LICENSE'));
    const pkg = JSON.parse(read(`${dir}/package.json`)) as Record<string, unknown>;
    expect(pkg).toMatchObject({
      license: 'MIT',
      repository: { type: 'git', url: 'git+https://github.com/tokenvault/tokenvault.git', directory: dir },
      homepage: 'https://github.com/tokenvault/tokenvault#readme',
    });
    expect(pkg).toHaveProperty('sideEffects');
  });

  // A bundler drops an import it is told has no side effects: the worker installs itself on import.
  it('declares the side effects of the modules that run on import: the worker, the command', () => {
    const interceptor = JSON.parse(read('packages/interceptor/package.json')) as { exports: Record<string, string>; sideEffects: string[] };
    expect(interceptor.sideEffects).toEqual(['./dist/sw.js', interceptor.exports['./sw.js']]);
    const build = JSON.parse(read('packages/build/package.json')) as { bin: Record<string, string>; sideEffects: string[] };
    expect(build.sideEffects).toEqual([build.bin['tokenvault'], './dist/cli.js']);
  });
});
