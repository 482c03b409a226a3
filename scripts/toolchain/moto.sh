#!/usr/bin/env bash
# Installs moto's AWS API emulator (pinned, from PyPI) into the toolchain cache, for the
# terraform tier's `plan` of the network stacks (tests/terraform/plan.test.ts). Idempotent.
#
#   scripts/toolchain/moto.sh     # then: npm run test:terraform
set -euo pipefail

readonly MOTO_VERSION=5.2.5
# cbor2: the rehearsal's moto launcher (tests/rehearsal/moto_server.py) speaks CloudWatch's CBOR protocol.
readonly CBOR2_VERSION=6.3.0
cache_dir="${MRAA_TOOLCHAIN_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/mraa-toolchain}"
venv="$cache_dir/moto"
if [[ "$("$venv/bin/python" -c 'import moto, cbor2; print(moto.__version__)' 2>/dev/null || true)" == "$MOTO_VERSION" ]]; then
  echo "moto $MOTO_VERSION: cached in $venv"
  exit 0
fi
started=$SECONDS
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check "moto[server]==$MOTO_VERSION" "cbor2==$CBOR2_VERSION"
echo "moto $MOTO_VERSION: installed in $venv in $((SECONDS - started)) s"
