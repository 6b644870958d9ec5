// The workspaces that get published: every one without "private": true, as npm itself lists them
// (`npm query .workspace`), so a package added, split or made public is picked up with no list to edit.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const repositoryRoot = fileURLToPath(new URL('../', import.meta.url));

/**
 * @returns {{ name: string, version: string, dir: string }[]} sorted by name
 * @example
 * publishableWorkspaces().map((w) => w.name) // ['@tokenvault/build', '@tokenvault/client', …]
 */
export function publishableWorkspaces(root = repositoryRoot) {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  /** @type {{ name: string, version: string, path: string, private?: boolean }[]} */
  const workspaces = JSON.parse(execFileSync(npm, ['query', '.workspace'], { cwd: root, encoding: 'utf8' }));
  const publishable = workspaces
    .filter((workspace) => workspace.private !== true)
    .map((workspace) => ({ name: workspace.name, version: workspace.version, dir: workspace.path }))
    .sort((a, b) => a.name.localeCompare(b.name));
  if (publishable.length === 0) throw new Error(`no publishable workspace under ${root}`);
  return publishable;
}
