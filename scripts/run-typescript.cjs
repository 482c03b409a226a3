// Loads a TypeScript entry point the fast way: esbuild bundles the sources in memory (nothing is
// written; packages other than typebox stay external and load from node_modules) and plain node
// compiles the bundle as a module. Measured against the tsx loader, this takes about 0.6 s off
// every synth (docs/benchmarks.md); type errors are left to `tsc`. Used by `npm run synth`
// (run-app.cjs) and `npm run review` (review/run.cjs).
'use strict';
const { buildSync } = require('esbuild');
const Module = require('node:module');
const path = require('node:path');

const PROJECT_ROOT = path.join(__dirname, '..');
// typebox (the configuration declaration) is bundled: its ~700 ESM files cost about 0.2 s to load
// on every synth, the few builders config/ uses almost nothing once bundled.
const BUNDLED_PACKAGES = ['typebox'];

/**
 * Bundles and runs `entry`, returning its exports; on a bundling error prints it and exits with
 * `failureCode`. Stack traces of a failure point at the TypeScript sources: stacks/synthesize.ts
 * reads the bundle's source map, registered here, only when it formats an error (Node's own
 * --enable-source-maps would parse the maps of every package each time, about a tenth of a synth).
 */
function runTypeScript(entry, failureCode) {
  const manifest = require(path.join(PROJECT_ROOT, 'package.json'));
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
      sourcemap: 'external',
      sourcesContent: false,
      outfile: entry.replace(/\.ts$/, '.js'),
      write: false,
      logLevel: 'silent',
    });
  } catch (error) {
    process.stderr.write(`${error.message}\n`);
    process.exit(failureCode);
  }
  const code = bundle.outputFiles.find((file) => file.path.endsWith('.js'));
  const map = bundle.outputFiles.find((file) => file.path.endsWith('.js.map'));
  globalThis[Symbol.for('mraa.synth.sourceMap')] = { file: entry, payload: JSON.parse(map.text) };
  const loaded = new Module(entry, module);
  loaded.filename = entry;
  loaded.paths = Module._nodeModulePaths(path.dirname(entry));
  loaded._compile(code.text, entry);
  return loaded.exports;
}

module.exports = { runTypeScript, PROJECT_ROOT };
