import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { quickStartSteps } from './quickStartSteps.js';

const dir = mkdtempSync(join(tmpdir(), 'tokenvault-steps-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});
let count = 0;
function page(markdown: string): string {
  const file = join(dir, `${String(++count)}.md`);
  writeFileSync(file, markdown);
  return file;
}

describe('quickStartSteps', () => {
  it('reads the marked blocks in order and skips the unmarked ones', () => {
    const file = page(
      '# x\n\n```sh setup=repo\nnpm ci\n```\n\n```ts\nexample();\n```\n\n```sh run=workdir\ncd my-app\n```\n\n```ts file=src/main.ts\nmain();\n```\n\n```sh serve=app\nnpx vite\n```\n',
    );
    expect(quickStartSteps(file)).toEqual([
      { kind: 'setup', where: 'repo', code: 'npm ci\n' },
      { kind: 'run', where: 'workdir', code: 'cd my-app\n' },
      { kind: 'file', path: 'src/main.ts', code: 'main();\n' },
      { kind: 'serve', where: 'app', code: 'npx vite\n' },
    ]);
  });

  it('refuses an unknown marker, so a typo cannot drop a step', () => {
    expect(() => quickStartSteps(page('```sh runn=app\nnpx vite\n```\n'))).toThrow(/unknown marker runn=app/);
    expect(() => quickStartSteps(page('```sh run=elsewhere\nls\n```\n'))).toThrow(/unknown marker run=elsewhere/);
  });

  it('refuses two markers on one block', () => {
    expect(() => quickStartSteps(page('```sh run=app serve=app\nls\n```\n'))).toThrow(/one marker per block/);
  });

  it('refuses a file outside the app', () => {
    expect(() => quickStartSteps(page('```ts file=../escape.ts\nx\n```\n'))).toThrow(/must be a path inside the app/);
    expect(() => quickStartSteps(page('```ts file=/etc/passwd\nx\n```\n'))).toThrow(/must be a path inside the app/);
  });

  it('finds the steps of docs/quick-start-vite.md', () => {
    const steps = quickStartSteps(new URL('../docs/quick-start-vite.md', import.meta.url).pathname);
    expect(steps.map((step) => (step.kind === 'file' ? `file ${step.path}` : `${step.kind} ${step.where}`))).toEqual([
      'setup repo',
      'run repo',
      'run workdir',
      'file tokenvault.config.ts',
      'run app',
      'serve repo',
      'file vite.config.ts',
      'file src/tokenvault-env.d.ts',
      'file src/main.ts',
      'serve app',
      'run app',
    ]);
  });
});
