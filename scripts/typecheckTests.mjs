// Type-checks the unit tests: vitest runs them without types, so a test that drifted from the API
// it tests would still run. Every test folder with a tsconfig.json is checked; none is listed here.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const folders = ['packages', 'apps', 'infra']
  .flatMap((group) =>
    readdirSync(join(root, group), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => `${group}/${entry.name}/test`),
  )
  .concat(['bench/test', 'scripts/test'])
  .filter((folder) => existsSync(join(root, folder, 'tsconfig.json')));

let failed = 0;
for (const folder of folders) {
  const result = spawnSync('npx', ['tsc', '-p', folder, '--noEmit'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) failed++;
}
console.log(`${folders.length - failed} of ${folders.length} test folders type-check`);
process.exit(failed === 0 ? 0 : 1);
