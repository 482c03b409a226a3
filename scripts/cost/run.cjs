// Runs `npm run cost` (scripts/cost/index.ts) from an in-memory bundle, as scripts/run-app.cjs runs the synth.
'use strict';
const path = require('node:path');
const { runTypeScript } = require('../run-typescript.cjs');

runTypeScript(path.join(__dirname, 'index.ts'), 2).run();
