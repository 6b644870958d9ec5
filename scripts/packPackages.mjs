// Packs every publishable workspace with `npm pack`, exactly the tarballs `npm publish` would upload.
// Run from the command line it prints their paths: node scripts/packPackages.mjs [destination]
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { publishableWorkspaces, repositoryRoot } from './publishableWorkspaces.mjs';

/**
 * @param {string} [destination] a directory (made if missing); default: a new temporary one
 * @returns {{ name: string, version: string, dir: string, tarball: string, files: string[] }[]}
 * @example
 * const packs = packPackages(); // [{ name: '@tokenvault/build', tarball: '/tmp/…/tokenvault-build-0.1.0.tgz', … }]
 */
export function packPackages(destination = mkdtempSync(join(tmpdir(), 'tokenvault-packs-'))) {
  mkdirSync(destination, { recursive: true });
  const workspaces = publishableWorkspaces();
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const args = ['pack', '--json', '--pack-destination', destination, ...workspaces.flatMap((w) => ['-w', w.name])];
  /** @type {{ name: string, filename: string, files: { path: string }[] }[]} */
  const packed = JSON.parse(execFileSync(npm, args, { cwd: repositoryRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }));
  return workspaces.map((workspace) => {
    const pack = packed.find((p) => p.name === workspace.name);
    if (!pack) throw new Error(`npm pack wrote no tarball for ${workspace.name}`);
    return { ...workspace, tarball: join(destination, pack.filename), files: pack.files.map((file) => file.path) };
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const pack of packPackages(process.argv[2] ? resolve(process.argv[2]) : undefined)) console.log(pack.tarball);
}
