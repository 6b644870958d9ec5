import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { errorCatalog } from '../src/errors.js';

describe('the error catalog', () => {
  it('is the table in docs/error-codes.md: every code with its status, none missing, none extra', () => {
    const section = readFileSync(new URL('../../../docs/error-codes.md', import.meta.url), 'utf8');
    const documented = Object.fromEntries([...section.matchAll(/^\| `(TV_\w+)` +\| (\d{3}) +\|/gm)].map(([, code, status]) => [code, Number(status)]));
    const catalogued = Object.fromEntries(Object.entries(errorCatalog).map(([code, { status }]) => [code, status]));
    expect(documented).toEqual(catalogued);
  });
});
