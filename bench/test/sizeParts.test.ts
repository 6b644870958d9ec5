import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PARTS } from '../src/sizeParts.js';

// A stand-in that lacks an export its bundle imports fails the build at the very end of a full run
// (it did twice: idb-keyval's delMany, then protocol's FETCH_REPLIES). Each stand-in must export at
// least what the module it replaces exports.
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Where the module a stand-in replaces lives: a workspace package's dist, or node_modules. */
function moduleFile(suffix: string): string {
  const [name] = suffix.split('/');
  const workspace = `${repoRoot}packages/${suffix}`;
  return existsSync(`${repoRoot}packages/${name}/package.json`) ? workspace : `${repoRoot}node_modules/${suffix}`;
}

/** What the kit's sources use of valibot (`import * as v from 'valibot'`; the stand-in need not have all of valibot). */
function valibotUsed(): string[] {
  const names = new Set<string>();
  for (const file of readdirSync(`${repoRoot}packages`, { recursive: true, encoding: 'utf8' })) {
    if (!/\/src\/.*\.ts$/.test(file)) continue;
    const text = readFileSync(`${repoRoot}packages/${file}`, 'utf8');
    if (text.includes("from 'valibot'")) for (const [, name] of text.matchAll(/\bv\.(\w+)/g)) names.add(name);
  }
  return [...names];
}

/** What the kit's sources import by name from a workbox package (the stand-in replaces only that much of workbox). */
function workboxUsed(suffix: string): string[] {
  const [name] = suffix.split('/');
  const names = new Set<string>();
  for (const file of readdirSync(`${repoRoot}packages`, { recursive: true, encoding: 'utf8' })) {
    if (!/\/src\/.*\.ts$/.test(file)) continue;
    const text = readFileSync(`${repoRoot}packages/${file}`, 'utf8');
    for (const [, list] of text.matchAll(new RegExp(`import \\{([^}]*)\\} from '${name}'`, 'g'))) for (const one of list.split(',')) names.add(one.trim());
  }
  return [...names].filter((one) => one !== '');
}

const cases = Object.entries(PARTS).flatMap(([bundle, parts]) =>
  Object.entries(parts).flatMap(([part, stubs]) => Object.entries(stubs).map(([suffix, code]) => ({ bundle, part, suffix, code }))),
);

describe('the size table stand-ins', () => {
  it.each(cases.filter(({ suffix }) => !suffix.startsWith('workbox-')))('$bundle, $part: $suffix has every export of the module', async ({ suffix, code }) => {
    const exported = Object.keys((await import(moduleFile(suffix))) as object);
    const real = suffix.startsWith('valibot/') ? valibotUsed().filter((name) => exported.includes(name)) : exported;
    const stand = Object.keys((await import(`data:text/javascript,${encodeURIComponent(code)}`)) as object);
    expect(real.length).toBeGreaterThan(0);
    expect(real.filter((name) => !stand.includes(name))).toEqual([]);
    // Nor more: a name the module no longer exports, re-exported beside its new home, is ambiguous (isScope did so).
    if (!suffix.startsWith('valibot/')) expect(stand.filter((name) => !exported.includes(name))).toEqual([]);
  });

  // Workbox's modules export far more than the kit uses: its stand-ins need what the sources import.
  it.each(cases.filter(({ suffix }) => suffix.startsWith('workbox-')))('$bundle, $part: $suffix has what the kit imports of it', async ({ suffix, code }) => {
    const used = workboxUsed(suffix);
    const stand = Object.keys((await import(`data:text/javascript,${encodeURIComponent(code)}`)) as object);
    expect(used.length).toBeGreaterThan(0);
    expect(used.filter((name) => !stand.includes(name))).toEqual([]);
  });
});
