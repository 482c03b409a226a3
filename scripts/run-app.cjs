// Runs the cdktf app (main.ts) the way `npm run synth` and `cdktf synth` do: esbuild bundles the
// TypeScript sources in memory (nothing is written; packages other than typebox stay external
// and load from node_modules) and plain node runs the bundle. Measured against the tsx loader, this takes
// about 0.6 s off every synth (see the README's benchmarks); type errors are left to `tsc`.
'use strict';
const { buildSync } = require('esbuild');
const Module = require('node:module');
const path = require('node:path');

const entry = path.join(__dirname, '..', 'main.ts');
// Packages load from node_modules as usual, except typebox (the configuration declaration): its
// ~700 ESM files cost about 0.2 s to load on every synth, the few builders config/ uses almost
// nothing once bundled.
const BUNDLED_PACKAGES = ['typebox'];
const manifest = require(path.join(__dirname, '..', 'package.json'));
const external = Object.keys({ ...manifest.dependencies, ...manifest.devDependencies })
  .filter((name) => !BUNDLED_PACKAGES.includes(name))
  .flatMap((name) => [name, `${name}/*`]);
let bundle;
try {
  bundle = buildSync({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    external,
    // Stack traces of a failed synth point at the TypeScript sources: stacks/synthesize.ts reads
    // this map only when it formats an error. Node's own --enable-source-maps would parse the maps
    // of every package on each synth, about a tenth of synth time.
    sourcemap: 'external',
    sourcesContent: false,
    outfile: entry.replace(/\.ts$/, '.js'),
    write: false,
    logLevel: 'silent',
  });
} catch (error) {
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}
const code = bundle.outputFiles.find((file) => file.path.endsWith('.js'));
const map = bundle.outputFiles.find((file) => file.path.endsWith('.js.map'));
globalThis[Symbol.for('mraa.synth.sourceMap')] = { file: entry, payload: JSON.parse(map.text) };
const app = new Module(entry, module);
app.filename = entry;
app.paths = Module._nodeModulePaths(path.dirname(entry));
app._compile(code.text, entry);
