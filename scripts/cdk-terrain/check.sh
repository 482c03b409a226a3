#!/usr/bin/env bash
# Proves the move to CDK Terrain (cdktn), the community fork that continues cdktf: copies the
# project into a scratch folder, migrates it as a user would (package and import renames, nothing
# else), installs, synthesizes every environment, runs the infra tests and the policy pack there,
# and diffs each environment's synthesized output against the cdktf build of the same sources.
#
# Usage:  bash scripts/cdk-terrain/check.sh            (Node.js >= 22.19; network: npm registry)
#
# Environment:
#   MRAA_CDKTN_DIR   scratch folder (default: a new temporary folder, removed afterwards)
#   MRAA_CDKTN_KEEP  1 keeps the scratch folder for inspection
set -euo pipefail

project_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# The versions a user moves to (docs/cdk-terrain.md): cdktn 0.24 and the provider bindings built on it.
CDKTN=0.24.0
CDKTN_CLI=0.24.0
CDKTN_PROVIDER_AWS=25.7.0
CDKTN_PROVIDER_RANDOM=15.0.1
CONSTRUCTS=10.7.2
ENVIRONMENTS=(default staging production)

step() { printf '\n==> %s\n' "$*"; }

node -e 'const [major, minor] = process.versions.node.split(".").map(Number);
  if (major < 22 || (major === 22 && minor < 19)) { console.error(`cdktn needs Node.js >= 22.19, this is ${process.version}`); process.exit(1); }'

scratch="${MRAA_CDKTN_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/mraa-cdktn.XXXXXX")}"
if [[ ${MRAA_CDKTN_KEEP:-0} != 1 && -z ${MRAA_CDKTN_DIR:-} ]]; then
  trap 'rm -rf "$scratch"' EXIT
fi
migrated="$scratch/project"
baseline="$scratch/cdktf-out"
rm -rf "$migrated" "$baseline"
mkdir -p "$migrated" "$baseline"

step "copy the project's files (tracked and new, not ignored) to $migrated"
(cd "$project_root" && git ls-files -z --cached --others --exclude-standard) |
  (cd "$project_root" && xargs -0 cp --parents -t "$migrated" 2>/dev/null || true)
rm -rf "$migrated/package-lock.json"

step "baseline: synthesize every environment with cdktf (this checkout's packages)"
for environment in "${ENVIRONMENTS[@]}"; do
  (cd "$project_root" && DEPLOY_ENV="$environment" CDKTF_OUTDIR="$baseline/$environment" node scripts/run-app.cjs >/dev/null)
done

step "migrate: package names and versions, then import paths"
(
  cd "$migrated"
  node - "$CDKTN" "$CDKTN_CLI" "$CDKTN_PROVIDER_AWS" "$CDKTN_PROVIDER_RANDOM" "$CONSTRUCTS" <<'EOF'
const fs = require('node:fs');
const [cdktn, cli, aws, random, constructs] = process.argv.slice(2);
const pkg = JSON.parse(fs.readFileSync('package.json', 'utf8'));
const dev = pkg.devDependencies;
const renames = { cdktf: ['cdktn', cdktn], 'cdktf-cli': ['cdktn-cli', cli], '@cdktf/provider-aws': ['@cdktn/provider-aws', aws], '@cdktf/provider-random': ['@cdktn/provider-random', random] };
for (const [from, [to, version]] of Object.entries(renames)) {
  if (!(from in dev)) throw new Error(`package.json has no devDependency ${from}`);
  delete dev[from];
  dev[to] = version;
}
dev.constructs = constructs;
pkg.devDependencies = Object.fromEntries(Object.entries(dev).sort(([a], [b]) => a.localeCompare(b)));
fs.writeFileSync('package.json', `${JSON.stringify(pkg, null, 2)}\n`);
EOF
  # Every TypeScript import of cdktf or its provider packages, nothing else.
  git -C "$project_root" ls-files -z '*.ts' '*.mts' |
    xargs -0 grep -lZE "from '(cdktf|@cdktf/provider-[a-z]+)(/|')" -- 2>/dev/null |
    xargs -0 -r sed -i -E "s#from 'cdktf'#from 'cdktn'#; s#from '@cdktf/provider-([a-z]+)/#from '@cdktn/provider-\1/#"
  grep -rlE "from '(cdktf|@cdktf/)" --include='*.ts' --include='*.mts' . --exclude-dir=node_modules && {
    echo "check.sh: imports of cdktf are left after the migration" >&2
    exit 1
  }
  echo "renamed imports in $(grep -rlE "from '(cdktn|@cdktn/)" --include='*.ts' --include='*.mts' . --exclude-dir=node_modules | wc -l) files"
)

step "install the migrated project (npm registry)"
(cd "$migrated" && npm install --no-audit --no-fund --loglevel=error)

step "type-check the migrated project"
(cd "$migrated" && npx tsc --noEmit)

step "synthesize every environment with cdktn (the policy pack runs in every synth)"
for environment in "${ENVIRONMENTS[@]}"; do
  (cd "$migrated" && DEPLOY_ENV="$environment" CDKTF_OUTDIR="$scratch/cdktn-out/$environment" node scripts/run-app.cjs | head -1)
done

step "the cdktn CLI synthesizes through the unchanged cdktf.json"
(cd "$migrated" && CHECKPOINT_DISABLE=1 npx cdktn synth | tail -1)

step "infra tests on cdktn"
(cd "$migrated" && npx vitest run --config tests/vitest.config.mts --project infra)

step "what changed in the synthesized output (cdktf → cdktn)"
for environment in "${ENVIRONMENTS[@]}"; do
  (cd "$project_root" && node --import tsx scripts/cdk-terrain/diff.ts \
    "$baseline/$environment" "$scratch/cdktn-out/$environment" "$environment")
done
