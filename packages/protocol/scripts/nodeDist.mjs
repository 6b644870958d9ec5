// Writes dist/node/: the same modules with every development check switched on. Node resolves the
// package to it (the "node" export condition): the build tools run where NODE_ENV is often
// "production" (vite build sets it, so do many CI setups), and a configuration error there must say
// how to fix it. Browser bundles resolve dist/, where the bundler decides.
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const out = join(dist, 'node');
const GATE = "process.env.NODE_ENV !== 'production'";

function* modules(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (path !== out) yield* modules(path);
    } else if (entry.name.endsWith('.js')) yield path;
  }
}

rmSync(out, { recursive: true, force: true });
let gates = 0;
for (const path of modules(dist)) {
  const code = readFileSync(path, 'utf8');
  gates += code.split(GATE).length - 1;
  const target = join(out, relative(dist, path));
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, code.replaceAll(GATE, 'true').replace(/\n\/\/# sourceMappingURL=.*\n?$/, '\n'));
}
if (gates === 0) throw new Error(`no "${GATE}" found in ${dist}: did the sources change?`);
console.log(`@tokenvault/protocol: dist/node written (${gates} development checks on)`);
