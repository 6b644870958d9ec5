// The front page's quick start is a copy of docs/quick-start-vite.md, which the quick-start test
// (e2e-quickstart/) follows step by step: every code block of README.md's "Quick start: your own
// Vite app" section, fences and info string included, must appear on that page verbatim. Edit the
// page and copy the block; edit the README alone and this fails, so the front page cannot drift.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const HEADING = '## Quick start: your own Vite app';

/** The section under `heading`, up to the next heading of its level or higher. */
export function section(markdown: string, heading: string): string {
  const start = markdown.split('\n').indexOf(heading);
  if (start === -1) throw new Error(`no "${heading}" heading`);
  const lines = markdown.split('\n').slice(start + 1);
  let inFence = false;
  const end = lines.findIndex((line) => {
    if (line.startsWith('```')) inFence = !inFence;
    return !inFence && /^#{1,2} /.test(line);
  });
  return lines.slice(0, end === -1 ? undefined : end).join('\n');
}

/** The fenced code blocks of a markdown text, each from its opening fence to its closing one. */
export function codeBlocks(markdown: string): string[] {
  return Array.from(markdown.matchAll(/^```[^\n]*\n[\s\S]*?^```[ \t]*$/gm), (match) => match[0]);
}

describe("README.md's quick start", () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const page = readFileSync(join(root, 'docs/quick-start-vite.md'), 'utf8');
  const blocks = codeBlocks(section(readme, HEADING));

  it('shows the configuration, the plugin and the app code', () => {
    expect(blocks.map((block) => block.split('\n')[0])).toEqual(expect.arrayContaining(['```ts file=tokenvault.config.ts', '```ts file=vite.config.ts', '```ts file=src/main.ts']));
  });

  it.each(blocks.map((block) => [block.split('\n')[0] ?? '', block]))('%s is a block of docs/quick-start-vite.md, verbatim', (_, block) => {
    expect(codeBlocks(page)).toContain(block);
  });
});

describe('section and codeBlocks', () => {
  const markdown = '# Title\n\n## A\n\n```sh\n## not a heading\n```\n\ntext\n\n### A.1\n\n```ts file=x.ts\nx();\n```\n\n## B\n\n```sh\nb\n```\n';

  it('take the section up to the next heading of its level, past a fenced "##" line', () => {
    expect(codeBlocks(section(markdown, '## A'))).toEqual(['```sh\n## not a heading\n```', '```ts file=x.ts\nx();\n```']);
    expect(codeBlocks(section(markdown, '## B'))).toEqual(['```sh\nb\n```']);
  });

  it('refuse a missing heading rather than find no block', () => {
    expect(() => section(markdown, '## C')).toThrow(/no "## C" heading/);
  });
});
