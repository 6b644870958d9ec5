// The threat model's rows and the tests that attack them, kept in step: every test a row of
// docs/threat-model.md names exists in the file it names, every claim names one, and every limit
// names the test that shows it or says it has none. A claim without such a test is a claim we do not
// make; a test renamed or removed under a claim is caught here, as the error table is in
// packages/protocol/test/errors.test.ts.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const DOC = 'docs/threat-model.md';

/** What a row of the limits table says when no test shows the limit. */
export const NO_TEST = 'documented limit, no test';

/** The last column of a table names its kind: claims name tests, limits name a test or say there is none. */
const KINDS: Readonly<Partial<Record<string, 'claim' | 'limit'>>> = { Tests: 'claim', 'Demonstrated by': 'limit' };

export interface Row {
  /** The heading the table is under. */
  section: string;
  kind: 'claim' | 'limit';
  /** 1-based line in the page. */
  line: number;
  /** The tests the row names: `file › title` (› group title › title). */
  refs: string[];
  /** What the last cell holds besides the tests and `<br>`. */
  rest: string;
}

function cells(line: string): string[] {
  return line
    .trim()
    .replace(/^\||\|$/g, '')
    .split(/(?<!\\)\|/)
    .map((cell) => cell.trim());
}

/** Every row of the page's claim and limit tables. */
export function rows(markdown: string): Row[] {
  const lines = markdown.split('\n');
  const found: Row[] = [];
  let section = '';
  for (let i = 0; i < lines.length; i += 1) {
    const heading = /^#{1,6} (.+)$/.exec(lines[i]);
    if (heading) section = heading[1].trim();
    if (!lines[i].startsWith('|') || !/^\|\s*:?-/.test(lines[i + 1] ?? '')) continue;
    const kind = KINDS[cells(lines[i]).at(-1) ?? ''];
    i += 2;
    for (; i < lines.length && lines[i].startsWith('|'); i += 1) {
      if (!kind) continue;
      const last = cells(lines[i]).at(-1) ?? '';
      const refs = [...last.matchAll(/`([^`]+)`/g)].map(([, ref]) => ref.replace(/\\\|/g, '|'));
      const rest = last
        .replace(/`[^`]+`/g, '')
        .replace(/<br\s*\/?>/g, '')
        .trim();
      found.push({ section, kind, line: i + 1, refs, rest });
    }
    i -= 1;
  }
  return found;
}

interface Title {
  /** Where the title's string starts in the file. */
  at: number;
  match: (title: string) => boolean;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const unescape = (text: string) => text.replace(/\\([\s\S])/g, '$1');
const STRING = String.raw`(['"\x60])((?:\\[\s\S]|(?!\1)[^\\])*)\1`;
/** A test or group title: `test(`, `it(`, `describe(`, `test.describe(`, `it.skipIf(…)(` and the like. */
const CALL = new RegExp(
  String.raw`\b(?:test|it|describe)(?:\.(?:describe|skip|only|fixme|fail|concurrent|sequential|serial|parallel|skipIf\([^()]*\)|runIf\([^()]*\)))*\(\s*${STRING}`,
  'g',
);
/** The title of `it.each([…])('… %s …', …)`: the first string after the table. */
const EACH = new RegExp(String.raw`\.each\([\s\S]*?\)\(\s*${STRING}`, 'g');

/**
 * A title's matcher. A template literal's `${…}` and, in an `each` title, a `%s` or `$name` stand
 * for any text, which must then be written in the file as a string of its own (a case of the table,
 * a branch of the template): a misspelled case does not pass as a wildcard.
 */
function matcher(source: string, quote: string, body: string, each: boolean): Title['match'] {
  const parts = quote === '`' ? body.split(/\$\{[^}]*\}/) : each ? body.split(/%[sdifjoO#]|\$[A-Za-z_][\w.]*/) : [body];
  if (parts.length === 1) {
    const literal = unescape(body);
    return (title) => title === literal;
  }
  const pattern = new RegExp(`^${parts.map((part) => escapeRegExp(unescape(part))).join('(.*?)')}$`);
  return (title) => {
    const hit = pattern.exec(title);
    return !!hit && hit.slice(1).every((text) => text === '' || ["'", '"', '`'].some((q) => source.includes(`${q}${text}${q}`)));
  };
}

function titles(source: string): Title[] {
  const found: Title[] = [];
  for (const [pattern, each] of [
    [CALL, false],
    [EACH, true],
  ] as const) {
    for (const hit of source.matchAll(pattern)) found.push({ at: hit.index, match: matcher(source, hit[1], hit[2], each) });
  }
  return found.sort((a, b) => a.at - b.at);
}

/** Why a named test is not there, or undefined when it is. */
export function missing(ref: string): string | undefined {
  const [file, ...path] = ref.split(' › ');
  if (path.length === 0) return 'names no test: write `file › test title`';
  if (!/^(e2e|e2e-webkit)\/[\w.-]+\.ts$|\/test\/[\w./-]+\.ts$/.test(file)) return `${file} is not a test file`;
  if (!existsSync(join(root, file)) || !statSync(join(root, file)).isFile()) return `${file} does not exist`;
  const source = readFileSync(join(root, file), 'utf8');
  const known = titles(source);
  let after = -1;
  for (const segment of path) {
    const hit = known.find((title) => title.at > after && title.match(segment));
    if (!hit) return `${file} has no test or group titled "${segment}"${after >= 0 ? ' inside the one before' : ''}`;
    after = hit.at;
  }
  return undefined;
}

/** Every way the page's rows fail the rule, one line each. */
export function problems(markdown: string): string[] {
  return rows(markdown).flatMap((row) => {
    const where = `${DOC}:${String(row.line)}`;
    const out = row.refs.flatMap((ref) => {
      const why = missing(ref);
      return why ? [`${where}: ${ref}: ${why}`] : [];
    });
    if (row.kind === 'claim' && row.refs.length === 0) out.push(`${where}: a claim without a test that attacks it`);
    if (row.kind === 'claim' && row.rest !== '') out.push(`${where}: the Tests cell holds more than tests: "${row.rest}"`);
    if (row.kind === 'limit' && row.rest !== '' && row.rest !== NO_TEST) out.push(`${where}: a limit names a test or says "${NO_TEST}", not "${row.rest}"`);
    if (row.kind === 'limit' && row.refs.length === 0 && row.rest !== NO_TEST) out.push(`${where}: a limit without a test or "${NO_TEST}"`);
    if (row.kind === 'limit' && row.refs.length > 0 && row.rest === NO_TEST) out.push(`${where}: a limit that names a test and says it has none`);
    return out;
  });
}

const page = readFileSync(join(root, DOC), 'utf8');

describe('the threat model', () => {
  it('names, in every row, tests that exist: every claim at least one, every limit one or "documented limit, no test"', () => {
    expect(problems(page)).toEqual([]);
  });

  it('has a table of claims per sign-in mode and one of limits (the scan is not empty)', () => {
    const all = rows(page);
    const count = (section: string, kind: Row['kind']) => all.filter((row) => row.section === section && row.kind === kind).length;
    expect(count('In both modes', 'claim')).toBeGreaterThanOrEqual(20);
    expect(count('Sealed mode', 'claim')).toBeGreaterThanOrEqual(10);
    expect(count('Drop-in mode', 'claim')).toBeGreaterThanOrEqual(5);
    expect(count('What it does not stop', 'limit')).toBeGreaterThanOrEqual(10);
    expect(all.every((row) => ['In both modes', 'Sealed mode', 'Drop-in mode', 'What it does not stop'].includes(row.section))).toBe(true);
    expect(all.flatMap((row) => row.refs).length).toBeGreaterThanOrEqual(80);
  });

  it('knows a misspelled title, a missing file, a test in the wrong group and a row without a test when it sees one', () => {
    const good = '`e2e/spine.spec.ts › a request outside the rules carries no Authorization header`';
    expect(missing(good.slice(1, -1))).toBeUndefined();
    expect(missing('e2e/spine.spec.ts › a request outside the rules carries no Authorisation header')).toMatch(/no test or group titled/);
    expect(missing('e2e/no-such.spec.ts › a request outside the rules carries no Authorization header')).toMatch(/does not exist/);
    expect(missing('README.md › What it stops')).toMatch(/not a test file/);
    expect(missing('e2e/spine.spec.ts')).toMatch(/names no test/);
    expect(missing('e2e/spine.spec.ts › the vault round trip across two origins › a request outside the rules carries no Authorization header')).toBeUndefined();
    expect(missing('e2e/host.spec.ts › the vault round trip across two origins › a request outside the rules carries no Authorization header')).toMatch(/no test or group/);

    const table = (last: string, cell: string) => `## S\n\n| Attacker | ${last} |\n| --- | --- |\n| app script | ${cell} |\n`;
    expect(problems(table('Tests', good))).toEqual([]);
    expect(problems(table('Tests', good.replace('Authorization', 'Authorisation')))).toEqual([expect.stringMatching(/:5: .*no test or group titled/)]);
    expect(problems(table('Tests', ''))).toEqual([expect.stringMatching(/a claim without a test/)]);
    expect(problems(table('Tests', NO_TEST))).toEqual([expect.stringMatching(/a claim without a test/), expect.stringMatching(/more than tests/)]);
    expect(problems(table('Demonstrated by', NO_TEST))).toEqual([]);
    expect(problems(table('Demonstrated by', 'none yet'))).toEqual([expect.stringMatching(/a limit names a test or says/), expect.stringMatching(/a limit without a test/)]);
    // A table of another kind is not read.
    expect(rows(table('Notes', ''))).toEqual([]);
  });

  it('reads titles written as templates and as each-tables, and holds their parts to the file', () => {
    // `through the ${via === 'worker' ? 'service worker' : "client's own channel"}, …`
    expect(missing('e2e/streamedBody.spec.ts › cancelled by the page through the service worker, it stops the upstream response')).toBeUndefined();
    expect(missing("e2e/streamedBody.spec.ts › cancelled by the page through the client's own channel, it stops the upstream response")).toBeUndefined();
    expect(missing('e2e/streamedBody.spec.ts › cancelled by the page through the shared worker, it stops the upstream response')).toMatch(/no test or group/);
    // it.each([['a rule on the app origin', …], …])('refuses %s, naming the field and the fix', …)
    expect(missing('packages/build/test/resolveConfig.test.ts › refuses a rule on the app origin, naming the field and the fix')).toBeUndefined();
    expect(missing('packages/build/test/resolveConfig.test.ts › refuses a rule on the app orign, naming the field and the fix')).toMatch(/no test or group/);
  });
});
