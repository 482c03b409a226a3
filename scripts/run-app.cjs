// Runs the cdktf app (main.ts) the way `npm run synth` and `cdktf synth` do (cdktf.json's `app`).
'use strict';
const path = require('node:path');
const { PROJECT_ROOT, runTypeScript } = require('./run-typescript.cjs');

runTypeScript(path.join(PROJECT_ROOT, 'main.ts'), 1);
