import { readFileSync } from 'node:fs';

/** What a code block of docs/quick-start-vite.md asks for, from its info string (```sh run=app). */
export type Step =
  | { kind: 'setup'; where: 'repo'; code: string }
  | { kind: 'run'; where: Where; code: string }
  | { kind: 'serve'; where: Where; code: string }
  | { kind: 'file'; path: string; code: string };

/** repo: the kit's checkout; workdir: "anywhere outside the repository"; app: the new app's directory. */
export type Where = 'repo' | 'workdir' | 'app';
const WHERE: readonly string[] = ['repo', 'workdir', 'app'] satisfies Where[];

/**
 * The marked code blocks of a markdown page, in order. A fenced block whose info string has no
 * `key=value` is prose (an example to read) and is skipped; a marked block with an unknown key or
 * place fails, so a typo cannot silently drop a step from the test.
 *
 * @example
 * ```ts
 * quickStartSteps('docs/quick-start-vite.md') // [{ kind: 'setup', where: 'repo', code: 'npm install && npm run build\n' }, …]
 * ```
 */
export function quickStartSteps(file: string): Step[] {
  const markdown = readFileSync(file, 'utf8');
  const steps: Step[] = [];
  for (const match of markdown.matchAll(/^```(\S*)([^\n]*)\n([\s\S]*?)^```[ \t]*$/gm)) {
    const [, , info = '', code = ''] = match;
    const attributes = info
      .trim()
      .split(/\s+/)
      .filter((word) => word.includes('='));
    if (attributes.length === 0) continue;
    if (attributes.length > 1) throw new Error(`${file}: one marker per block, got ${info.trim()}`);
    const [marker = ''] = attributes;
    const [key = '', value = ''] = marker.split('=');
    if (key === 'file') {
      if (value === '' || value.startsWith('/') || value.split('/').includes('..')) throw new Error(`${file}: file=${value} must be a path inside the app`);
      steps.push({ kind: 'file', path: value, code });
    } else if (key === 'setup' && value === 'repo') {
      steps.push({ kind: 'setup', where: 'repo', code });
    } else if ((key === 'run' || key === 'serve') && WHERE.includes(value)) {
      steps.push({ kind: key, where: value as Where, code });
    } else {
      throw new Error(`${file}: unknown marker ${key}=${value} (run=|serve=repo|workdir|app, setup=repo, file=PATH)`);
    }
  }
  return steps;
}
