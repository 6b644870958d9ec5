// `npm run check:packages`: packs every publishable workspace (scripts/packPackages.mjs) into a
// temporary directory and checks the tarballs, not the working tree, since the tarball is what a
// user installs:
//   1. each ships package.json, README.md, LICENSE and CHANGELOG.md;
//   2. publint (strict: its warnings fail too) — exports map, files, types, module format;
//   3. @arethetypeswrong/cli — the types each entry point resolves to, per module resolution.
// Run it after `npm run build`: the tarballs are made from dist/.
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { checkPackage, createPackageFromTarballData } from '@arethetypeswrong/core';
import { getResolutionKinds } from '@arethetypeswrong/core/utils';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { packPackages } from './packPackages.mjs';

const REQUIRED_FILES = ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md'];

// attw's "esm-only" profile: every package here is ESM only ("type": "module", no require
// condition; house style, and Node >=20.19 can require() ESM anyway), so the node10 and
// node16-from-CJS resolutions are not checked. Everything else attw checks stays on.
const ATTW_PROFILE = 'esm-only';
const IGNORED_RESOLUTIONS = ['node10', 'node16-cjs'];

/**
 * Whether a problem attw found counts under the profile. attw's own exit code (0.18) applies the
 * profile only to problems that carry a resolutionKind: one that carries a resolutionOption (an
 * InternalResolutionError under node10) fails the run even though its table marks it "(ignored)".
 */
function counts(problem) {
  if ('resolutionKind' in problem) return !IGNORED_RESOLUTIONS.includes(problem.resolutionKind);
  if ('resolutionOption' in problem) return !getResolutionKinds(problem.resolutionOption).every((kind) => IGNORED_RESOLUTIONS.includes(kind));
  return true;
}

// Entry points that are not modules, so "has no types" does not apply to them. Keyed by package;
// an exception naming an entry point the package no longer exports fails the check (no stale ones).
const NOT_MODULES = {
  // The drop-in worker: a classic (IIFE) script that @tokenvault/build copies next to the app and
  // navigator.serviceWorker.register() loads. Nothing imports it; its API is the package's "." entry.
  '@tokenvault/interceptor': ['./sw.js'],
};

const attwBin = join(dirname(createRequire(import.meta.url).resolve('@arethetypeswrong/cli/package.json')), 'dist', 'index.js');

/** Export targets of a package.json's exports map, flattened. */
function exportTargets(exports) {
  if (typeof exports === 'string') return [exports];
  if (exports === null || typeof exports !== 'object') return [];
  return Object.values(exports).flatMap(exportTargets);
}

let failures = 0;
const fail = (name, message) => {
  failures += 1;
  console.error(`✗ ${name}: ${message}`);
};

const packs = packPackages();
const destination = dirname(packs[0].tarball);
try {
  for (const pack of packs) {
    const failuresBefore = failures;
    const pkg = JSON.parse(readFileSync(join(pack.dir, 'package.json'), 'utf8'));

    const missing = REQUIRED_FILES.filter((file) => !pack.files.includes(file));
    if (missing.length > 0) fail(pack.name, `the tarball lacks ${missing.join(', ')} (add them to "files")`);

    const tarball = readFileSync(pack.tarball);
    const { messages, pkg: packedPkg } = await publint({
      pack: { tarball: tarball.buffer.slice(tarball.byteOffset, tarball.byteOffset + tarball.byteLength) },
      strict: true,
      level: 'suggestion',
    });
    for (const message of messages) {
      const text = `publint ${message.type}: ${formatMessage(message, packedPkg)}`;
      if (message.type === 'suggestion') console.log(`  ${pack.name}: ${text}`);
      else fail(pack.name, text);
    }

    const entryPoints = Object.keys(
      typeof pkg.exports === 'object' && pkg.exports !== null && !Array.isArray(pkg.exports) && Object.keys(pkg.exports).every((key) => key.startsWith('.'))
        ? pkg.exports
        : { '.': pkg.exports },
    );
    const notModules = NOT_MODULES[pack.name] ?? [];
    for (const entry of notModules)
      if (!entryPoints.includes(entry)) fail(pack.name, `scripts/checkPackages.mjs excepts ${entry}, which the package no longer exports: remove the exception`);
    // A package whose every export is JSON (@tokenvault/proxy: a built page, read by
    // @tokenvault/build through its package.json) has no module for attw to check.
    if (exportTargets(pkg.exports).every((target) => target.endsWith('.json'))) {
      if (failures === failuresBefore) console.log(`✓ ${pack.name}: publint; attw not applicable (no module entry point: ${JSON.stringify(pkg.exports)})`);
      continue;
    }
    const analysis = await checkPackage(createPackageFromTarballData(new Uint8Array(tarball)), { excludeEntrypoints: notModules });
    const problems = analysis.types ? analysis.problems.filter(counts) : [];
    if (!analysis.types) fail(pack.name, 'attw: the package has module entry points but no types');
    else if (problems.length > 0) {
      // The CLI's table says per entry point and resolution what went wrong.
      const args = [
        attwBin,
        pack.tarball,
        '--profile',
        ATTW_PROFILE,
        '--format',
        'table',
        '--no-color',
        ...(notModules.length > 0 ? ['--exclude-entrypoints', ...notModules] : []),
      ];
      let table = '';
      try {
        table = execFileSync(process.execPath, args, { encoding: 'utf8' });
      } catch (err) {
        table = String(err.stdout ?? '');
      }
      fail(pack.name, `attw: ${problems.map((problem) => problem.kind).join(', ')}\n${table}`);
    } else if (failures === failuresBefore) console.log(`✓ ${pack.name}: publint, attw (${ATTW_PROFILE}${notModules.length > 0 ? `; not modules: ${notModules.join(' ')}` : ''})`);
  }
} finally {
  rmSync(destination, { recursive: true, force: true });
}

if (failures > 0) {
  console.error(`${failures} packaging problem(s) in ${packs.length} tarballs`);
  process.exit(1);
}
console.log(`${packs.length} tarballs checked: ${packs.map((pack) => `${pack.name}@${pack.version}`).join(', ')}`);
