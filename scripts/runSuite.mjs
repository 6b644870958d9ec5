#!/usr/bin/env node
// `npm test` and `npm run check`: the steps of the whole suite (or of the everyday check), in an order
// that keeps both cores busy (the CI machines have two). The checks that each use one core (prettier,
// eslint, the type-check, TypeDoc, the package checks) run two at a time; the unit tests and the
// browser suites, which use both cores themselves and have time limits, run alone, one after another.
// The first step that fails stops the run: the steps still running are ended, the failed step's
// output is printed, then which step failed, and the exit code is not zero.
//
//   node scripts/runSuite.mjs [test|check]
//
// A step's output is printed when it ends (whole, never interleaved with another's); a step that runs
// alone prints as it goes. Each step is also an npm script of its own (`npm run lint`, …).
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { delimiter, join } from 'node:path';

/**
 * @typedef {{ name: string, command: string, after?: string[], live?: boolean }} Step
 * `after`: the steps it needs (the build's output, mostly); `live`: prints as it runs, and runs alone.
 */

/** The checks that each use one core: two at a time. */
const singleCoreChecks = ['prettier', 'eslint', 'typecheck:e2e'];

/** @type {Step[]} */
const checkSteps = [
  { name: 'build', command: 'npm run build' },
  // Prettier reads the sources only; eslint's typed rules, the type-check, TypeDoc, the packs and
  // the tests read the build's declarations and bundles.
  { name: 'prettier', command: 'prettier --check .' },
  { name: 'eslint', command: 'eslint .', after: ['build'] },
  { name: 'typecheck:e2e', command: 'npm run typecheck:e2e', after: ['build'] },
  // TypeDoc fails on a TSDoc link to what the API does not export: a type-check of the docs.
  { name: 'docs:api', command: 'npm run docs:api', after: ['build'] },
  // The unit tests use both cores themselves (vitest.config.ts) and have time limits of their own:
  // they run alone, after the checks, as they did when every step ran one after the other.
  { name: 'test:unit', command: 'npm run test:unit', after: [...singleCoreChecks, 'docs:api'], live: true },
];

/** @type {Step[]} */
const testSteps = [
  // It may install Debian packages (as root): its output as it goes.
  { name: 'browsers', command: 'node scripts/ensure-browsers.mjs', live: true },
  ...checkSteps.map((step) => ({
    ...step,
    after: step.name === 'test:unit' ? [...singleCoreChecks, 'check:packages', 'docs:api'] : [...(step.after ?? []), 'browsers'],
  })),
  { name: 'check:packages', command: 'npm run check:packages', after: ['build'] },
  // The browser suites and the bench, one after another in this order, each alone.
  ...['test:e2e', 'test:quickstart', 'test:webkit', 'bench:quick'].map((name, index, suites) => ({
    name,
    command: `npm run ${name}`,
    after: [index === 0 ? 'test:unit' : suites[index - 1]],
    live: true,
  })),
];

const which = process.argv[2] ?? 'test';
const steps = { test: testSteps, check: checkSteps }[which];
if (!steps) {
  console.error(`runSuite: unknown suite "${which}" (test or check)`);
  process.exit(2);
}
const SLOTS = Math.max(1, Math.min(2, availableParallelism()));

// The workspace's tools (prettier, eslint) without npm's help, when run as `node scripts/runSuite.mjs`.
const root = new URL('..', import.meta.url).pathname;
const env = { ...process.env, PATH: `${join(root, 'node_modules', '.bin')}${delimiter}${process.env.PATH ?? ''}` };

const started = Date.now();
const seconds = (since) => `${Math.round((Date.now() - since) / 1000)} s`;
/** @type {Map<string, { child: import('node:child_process').ChildProcess, output: Buffer[], since: number }>} */
const running = new Map();
const done = new Set();
const pending = [...steps];
let failed = false;

function ready(step) {
  return (step.after ?? []).every((name) => done.has(name));
}

function startReady() {
  const liveRunning = [...running.keys()].some((name) => steps.find((s) => s.name === name)?.live);
  for (const step of [...pending]) {
    if (failed || liveRunning || running.size >= SLOTS || !ready(step)) continue;
    if (step.live && running.size > 0) continue;
    pending.splice(pending.indexOf(step), 1);
    start(step);
    if (step.live) return;
  }
  // A step waiting for a name no step has would otherwise end the run here, silently and with 0.
  if (running.size === 0 && pending.length > 0) fail(`no step can start: ${pending.map((step) => `${step.name} (after ${(step.after ?? []).join(', ')})`).join('; ')}`);
  if (running.size === 0 && pending.length === 0 && !failed) {
    console.log(`\n${which === 'test' ? 'npm test' : 'npm run check'}: every step passed in ${seconds(started)}`);
    process.exit(0);
  }
}

function start(step) {
  console.log(`\n▶ ${step.name}: ${step.command}`);
  // Its own process group, so that a failure elsewhere can end it with everything it started.
  const child = spawn(step.command, { cwd: root, env, shell: true, detached: true, stdio: step.live ? 'inherit' : ['ignore', 'pipe', 'pipe'] });
  const entry = { child, output: [], since: Date.now() };
  running.set(step.name, entry);
  child.stdout?.on('data', (chunk) => entry.output.push(chunk));
  child.stderr?.on('data', (chunk) => entry.output.push(chunk));
  child.on('close', (code, signal) => {
    running.delete(step.name);
    if (failed) return;
    if (entry.output.length > 0) process.stdout.write(Buffer.concat(entry.output));
    if (code === 0) {
      console.log(`✔ ${step.name} (${seconds(entry.since)})`);
      done.add(step.name);
      startReady();
      return;
    }
    fail(`${step.name} failed (${signal ? `signal ${signal}` : `exit code ${code}`}) after ${seconds(entry.since)}: ${step.command}`);
  });
  child.on('error', (err) => fail(`${step.name} did not start: ${err.message}`));
}

function stopAll() {
  for (const { child } of running.values()) {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // Already gone.
    }
  }
}

function fail(message) {
  if (failed) return;
  failed = true;
  stopAll();
  const stopped = [...running.keys()];
  console.error(`\n✘ ${message}${stopped.length > 0 ? `\n  stopped: ${stopped.join(', ')}` : ''}`);
  process.exit(1);
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    stopAll();
    process.exit(130);
  });
}

startReady();
