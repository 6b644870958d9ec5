import { execFile } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

// The module graph of every package's source: no import cycles, and every library module can be the
// first one a program imports. A cycle works only while every importer happens to load its modules
// in one order (issue 24: importing @tokenvault/protocol's hostSession.js first threw "Cannot
// access 'HostSessionIdSchema' before initialization").

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SOURCES = ['packages/protocol', 'packages/config', 'packages/oidc', 'packages/client', 'packages/interceptor', 'packages/build', 'packages/proxy'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

// With verbatimModuleSyntax only `import type` / `export type` are erased: any other import of a
// relative module (`import { type A } from './a.js'` included) is a runtime edge.
const EDGE = /^\s*(?:import|export)\s+(?!type\s)(?:[^'";]*?\s+from\s+)?['"](\.{1,2}\/[^'"]+)['"]/gm;

/** The runtime edges from each source file to the source files it imports. */
function runtimeGraph(pkg: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(join(root, pkg, 'src'))) {
    const edges = [...readFileSync(file, 'utf8').matchAll(EDGE)].map((match) => resolve(dirname(file), match[1].replace(/\.js$/, '.ts'))).filter((target) => existsSync(target));
    graph.set(file, edges);
  }
  return graph;
}

/** Every cycle found by a depth-first walk (each as the files along it). */
function cycles(graph: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (file: string): void => {
    state.set(file, 'open');
    path.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'open') found.push([...path.slice(path.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    path.pop();
    state.set(file, 'done');
  };
  for (const file of graph.keys()) if (!state.has(file)) visit(file);
  return found;
}

describe('the module graph', () => {
  it.each(SOURCES)('%s has no import cycle', (pkg) => {
    const graph = runtimeGraph(pkg);
    expect(graph.size).toBeGreaterThan(0);
    expect(cycles(graph).map((cycle) => cycle.map((file) => relative(root, file)).join(' → '))).toEqual([]);
  });

  it('finds a cycle where there is one (the check itself works)', () => {
    const a = join(root, 'a.ts');
    const b = join(root, 'b.ts');
    const c = join(root, 'c.ts');
    expect(
      cycles(
        new Map([
          [a, [b]],
          [b, [c]],
          [c, [a]],
        ]),
      ),
    ).toEqual([[a, b, c, a]]);
    expect(EDGE.test("import { type A, b } from './b.js';")).toBe(true);
    EDGE.lastIndex = 0;
    expect(EDGE.test("import type { A } from './b.js';")).toBe(false);
    EDGE.lastIndex = 0;
  });

  // The built libraries that run in Node as well as in a page (the worker's need `self`; the proxy
  // ships a page): each module imported first, in a process of its own.
  it.each(['packages/protocol', 'packages/config', 'packages/oidc', 'packages/client'])(
    'every module of %s can be imported first',
    async (pkg) => {
      const modules = sourceFiles(join(root, pkg, 'src'))
        .map((file) => join(root, pkg, 'dist', relative(join(root, pkg, 'src'), file).replace(/\.ts$/, '.js')))
        .filter((file) => !file.endsWith('env.js'));
      const failures: string[] = [];
      await Promise.all(
        modules.map(async (file) => {
          if (!existsSync(file)) return void failures.push(`${relative(root, file)}: not built (npm run build)`);
          await promisify(execFile)(process.execPath, ['--input-type=module', '-e', `await import(${JSON.stringify(pathToUrl(file))})`]).catch((err: unknown) => {
            const stderr = (err as { stderr?: string }).stderr ?? String(err);
            failures.push(`${relative(root, file)}: ${stderr.split('\n').find((line) => /Error/.test(line)) ?? stderr}`);
          });
        }),
      );
      expect(failures).toEqual([]);
    },
    60_000,
  );
});

function pathToUrl(file: string): string {
  return new URL(`file://${file}`).href;
}
