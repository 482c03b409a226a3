#!/usr/bin/env bash
# Scans the synthesized Terraform JSON with checkov (pinned, from PyPI) for the default environment
# and a three-region one, and exits non-zero when any check fails or a file cannot be parsed.
#
#   scripts/checkov.sh                      # default, production (us-east-1, eu-west-1, ap-southeast-1), staging
#   scripts/checkov.sh staging              # any environments, by name
#
# Skips live in .checkov.yaml (checkov ignores skip comments inside *.tf.json), each with its reason;
# environments/<name>.checkov.yaml adds skips for that environment only.
# Each environment is scanned twice, with and without those skips: "skipped" is the number of
# findings the skips hide, so the count stays honest when a skip starts hiding more than it should.
set -euo pipefail

readonly CHECKOV_VERSION=3.3.30
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly ROOT
readonly VENV="${MRAA_CHECKOV_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/mraa-checkov}"
if [[ $# -gt 0 ]]; then environments=("$@"); else environments=(default production staging); fi

# Installs checkov into a venv outside the repository; a no-op when the pinned version is there.
install_checkov() {
  if [[ "$("$VENV/bin/checkov" --version 2>/dev/null || true)" == "$CHECKOV_VERSION" ]]; then return; fi
  echo "installing checkov $CHECKOV_VERSION into $VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "checkov==$CHECKOV_VERSION"
}

# checkov in offline mode: no Prisma Cloud download, no update check, only the terraform_json framework.
run_checkov() {
  local outdir=$1 report=$2
  shift 2
  # From the work directory, so that no .checkov.yaml of the working directory is merged in.
  (cd "$work" && BC_SKIP_MAPPING=TRUE CKV_SKIP_PACKAGE_UPDATE_CHECK=true "$VENV/bin/checkov" \
    --directory "$outdir" --framework terraform_json --skip-download --output json "$@" >"$report" 2>"$report.log") || true
  if [[ ! -s "$report" ]]; then
    echo "checkov produced no report for $outdir:" >&2
    cat "$report.log" >&2
    return 1
  fi
}

# The skips of .checkov.yaml plus those of environments/<name>.checkov.yaml, as one config file.
environment_config() {
  local environment=$1 config=$2
  "$VENV/bin/python" - "$ROOT/.checkov.yaml" "$ROOT/environments/$environment.checkov.yaml" "$config" <<'PY'
import os, sys, yaml
base, extra, merged = sys.argv[1:4]
config = yaml.safe_load(open(base)) or {}
if os.path.exists(extra):
    config["skip-check"] = config.get("skip-check", []) + (yaml.safe_load(open(extra)) or {}).get("skip-check", [])
yaml.safe_dump(config, open(merged, "w"))
PY
}

install_checkov
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# The same scan with no skips at all.
echo 'framework: [terraform_json]' >"$work/no-skips.yaml"
failed_environments=()
for environment in "${environments[@]}"; do
  outdir="$work/$environment/cdktf.out"
  mkdir -p "$(dirname "$outdir")"
  (cd "$ROOT" && DEPLOY_ENV="$environment" CDKTF_OUTDIR="$outdir" node scripts/run-app.cjs)
  config="$work/$environment.checkov.yaml"
  environment_config "$environment" "$config"
  run_checkov "$outdir" "$work/$environment.json" --config-file "$config"
  run_checkov "$outdir" "$work/$environment.unskipped.json" --config-file "$work/no-skips.yaml"
  if ! "$VENV/bin/python" "$ROOT/scripts/checkov-summary.py" "$environment" "$work/$environment.json" "$work/$environment.unskipped.json" "$config"; then
    failed_environments+=("$environment")
  fi
done

if [[ ${#failed_environments[@]} -gt 0 ]]; then
  echo "checkov: failed checks in ${failed_environments[*]}" >&2
  exit 1
fi
echo "checkov: no failed checks in ${environments[*]}"
