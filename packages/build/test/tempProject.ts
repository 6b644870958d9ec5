import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoModules = fileURLToPath(new URL('../../../node_modules', import.meta.url));

export interface TempProject {
  dir: string;
  write(path: string, text: string): string;
  remove(): void;
}

/** A project directory outside the repository whose node_modules is the repository's, as after an install. */
export function tempProject(): TempProject {
  const dir = mkdtempSync(join(tmpdir(), 'tokenvault-build-test-'));
  symlinkSync(repoModules, join(dir, 'node_modules'), 'dir');
  return {
    dir,
    write(path, text) {
      const file = join(dir, path);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, text);
      return file;
    },
    remove: () => {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const CONFIG_TS = `import { defineConfig } from '@tokenvault/build';

const port: number = 5173;
export default defineConfig({
  appOrigins: [\`http://app.vault.localhost:\${port}\`],
  proxyOrigin: 'http://proxy.vault.localhost:5174',
  issuer: 'http://op.vault.localhost:8080',
  clientId: 'quickstart',
  rules: [{ origin: 'http://api.vault.localhost:8080', pathPrefix: '/v1/' }],
});
`;
