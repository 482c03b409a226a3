#!/usr/bin/env bash
# Runs a command with the project's Node.js (.nvmrc) first on PATH, installing it from the npm
# registry once when the machine has another version (scripts/toolchain/node.sh). `npm test` runs
# the suite through this, so it runs on the version the service image ships whatever node started npm.
#
# Usage: bash scripts/toolchain/with-node.sh COMMAND [ARG ...]
set -euo pipefail
node_dir="$(bash "$(dirname "${BASH_SOURCE[0]}")/node.sh")"
PATH="$node_dir:$PATH"
export PATH
exec "$@"
