import { build, minify } from 'vite';
import { decode } from '@jridgewell/sourcemap-codec';
const [entry, format] = process.argv.slice(2);
const r = await build({ configFile: false, root: '/work/wt/s24b/bench', logLevel: 'silent', define: { 'process.env.NODE_ENV': '"production"' },
  build: { write: false, minify: true, sourcemap: true, lib: { entry, formats: [format], name: 'x', fileName: () => 'o.js' } } });
const chunk = (Array.isArray(r) ? r : [r])[0].output[0];
let { code, map } = format === 'es' ? await minify('b.js', chunk.code, { module: true, compress: true, mangle: true, sourcemap: true, inputMap: chunk.map }) : chunk;
const tot = new Map(); const lines = code.split('\n'); const dec = decode(map.mappings);
lines.forEach((l, i) => { const s = dec[i] ?? []; s.forEach((g, j) => { const src = g.length >= 4 ? map.sources[g[1]] : 'glue'; const n = (s[j+1]?.[0] ?? l.length) - g[0]; tot.set(src, (tot.get(src) ?? 0) + n); }); });
for (const [k, v] of [...tot].sort((a, b) => b[1] - a[1])) console.log(v, k.replace(/.*node_modules\//, 'nm/').replace(/^(\.\.\/)+/, ''));
if (process.argv[4]) (await import('node:fs')).writeFileSync(process.argv[4], code);
