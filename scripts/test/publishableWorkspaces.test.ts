import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { publishableWorkspaces, repositoryRoot } from '../publishableWorkspaces.mjs';

// What `npm install @tokenvault/…` from the registry needs of the workspaces, checked on their
// package.json (scripts/checkPackages.mjs checks the packed tarballs themselves).

interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

const rootManifest = JSON.parse(readFileSync(join(repositoryRoot, 'package.json'), 'utf8')) as { workspaces: string[] };
const publishable = publishableWorkspaces();
// Every workspace, private ones too, from the lock file npm wrote for them.
const lock = JSON.parse(readFileSync(join(repositoryRoot, 'package-lock.json'), 'utf8')) as { packages: Record<string, { name?: string }> };
const all: { dir: string; manifest: Manifest }[] = Object.keys(lock.packages)
  .filter((path) => path !== '' && !path.includes('node_modules'))
  .map((path) => ({ dir: join(repositoryRoot, path), manifest: JSON.parse(readFileSync(join(repositoryRoot, path, 'package.json'), 'utf8')) as Manifest }));
const byName = new Map(all.map((workspace) => [workspace.manifest.name, workspace.manifest]));
const read = (dir: string, file: string) => readFileSync(join(dir, file), 'utf8');
function manifestOf(name: string): Manifest {
  const manifest = byName.get(name);
  if (!manifest) throw new Error(`${name} is not a workspace`);
  return manifest;
}

describe('publishable workspaces', () => {
  it('are the workspaces without "private": true, found without a list', () => {
    expect(rootManifest.workspaces.length).toBeGreaterThan(0);
    expect(publishable.map((workspace) => workspace.name)).toEqual(
      all
        .filter((workspace) => workspace.manifest.private !== true)
        .map((workspace) => workspace.manifest.name)
        .sort(),
    );
    expect(publishable.map((workspace) => workspace.name)).toEqual(
      expect.arrayContaining(['@tokenvault/client', '@tokenvault/interceptor', '@tokenvault/proxy', '@tokenvault/build']),
    );
  });

  it.each(publishable)('$name has a README that says how to install it and a CHANGELOG from its current version', ({ name, version, dir }) => {
    expect(read(dir, 'README.md')).toMatch(new RegExp(`^# ${name}\\n`));
    expect(read(dir, 'README.md')).toContain('npm install');
    const changelog = read(dir, 'CHANGELOG.md');
    expect(changelog).toMatch(new RegExp(`^# ${name}\\n`));
    expect(changelog).toContain(`## ${version}\n`);
  });

  // A published package resolves its siblings from the registry: a private one is not there.
  it.each(publishable)('$name depends on no private workspace at run time', ({ name }) => {
    const manifest = manifestOf(name);
    const runtime = { ...manifest.dependencies, ...manifest.peerDependencies };
    expect(Object.keys(runtime).filter((dependency) => byName.get(dependency)?.private === true)).toEqual([]);
  });

  // `^X.Y.Z` of the sibling's current version, in every workspace: `changeset version`
  // (updateInternalDependencies) moves them all with a release, and npm keeps linking the
  // workspace copy. An exact pin or a stale range would fetch an older release from the registry.
  it('every internal dependency is a caret range of the sibling’s current version', () => {
    const ranges = all.flatMap(({ manifest }) =>
      (['dependencies', 'devDependencies', 'peerDependencies'] as const).flatMap((field) =>
        Object.entries(manifest[field] ?? {})
          .filter(([dependency]) => byName.has(dependency))
          .map(([dependency, range]) => ({ in: manifest.name, dependency, range })),
      ),
    );
    expect(ranges.length).toBeGreaterThan(0);
    expect(ranges.filter((entry) => entry.range !== `^${manifestOf(entry.dependency).version}`)).toEqual([]);
  });
});
