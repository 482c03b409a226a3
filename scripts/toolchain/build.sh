#!/usr/bin/env bash
# Builds the offline Terraform toolchain from the Go module proxy: the OpenTofu CLI and the
# providers the project needs, installed into a filesystem mirror with a CLI config that uses
# that mirror only. CI and tests then run `tofu init/validate/plan` with no Terraform registry.
#
# Prerequisites: bash, coreutils and Go (a Go older than the `go` line of a tool module fetches
# the newer toolchain from the module proxy by itself, GOTOOLCHAIN=auto). Optional: GNU time
# (`apt-get install time`) to report peak memory; without it only wall time is reported.
#
# Pins live in the tool modules beside this script, one per binary (tofu/, random/, ...): each
# go.mod requires exactly one upstream module, so Go selects exactly the dependency versions
# that upstream's own go.mod pins instead of a merge across unrelated tools.
#
# Usage:
#   scripts/toolchain/build.sh                       # OpenTofu and the small providers
#   scripts/toolchain/build.sh --with-aws-provider   # also the AWS provider (22-74 min cold, 9 GB peak)
#   source "${MRAA_TOOLCHAIN_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/mraa-toolchain}/env.sh"
#
# Environment:
#   MRAA_TOOLCHAIN_DIR   cache directory (default ${XDG_CACHE_HOME:-$HOME/.cache}/mraa-toolchain)
#   MRAA_TOOLCHAIN_JOBS  packages compiled in parallel (default: number of cores)
set -euo pipefail

with_aws_provider=false
for arg in "$@"; do
  case $arg in
    --with-aws-provider) with_aws_provider=true ;;
    *)
      echo "build.sh: unknown argument '$arg' (allowed: --with-aws-provider)" >&2
      exit 2
      ;;
  esac
done

toolchain_src="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache_dir="${MRAA_TOOLCHAIN_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/mraa-toolchain}"
mkdir -p "$cache_dir"
cache_dir="$(cd "$cache_dir" && pwd)"
# The provider SDK packages are huge; one compile per core keeps a 2-core machine responsive and
# its memory bounded, more parallelism buys nothing there.
build_jobs="${MRAA_TOOLCHAIN_JOBS:-$(nproc)}"
platform="$(go env GOOS)_$(go env GOARCH)"

# Prints the version that the tool module in $1 requires of module $2, read from go.mod alone so
# that a warm run needs neither the network nor the module cache.
required_version() {
  local module_dir=$1 module=$2 version
  version="$(awk -v module="$module" '$1 == module { print $2 } $1 == "require" && $2 == module { print $3 }' \
    "$module_dir/go.mod")"
  if [[ -z $version ]]; then
    echo "build.sh: $module_dir/go.mod does not require $module" >&2
    return 1
  fi
  echo "$version"
}

# Runs a command and reports its wall time and, with GNU time, the peak resident memory of its
# largest single process (for `go build` that is the biggest compile or the link).
measure() {
  local label=$1 stats
  shift
  if [[ -x /usr/bin/time ]]; then
    stats="$(mktemp)"
    /usr/bin/time -f '%e %M' -o "$stats" "$@"
    local seconds kib
    read -r seconds kib <"$stats"
    rm -f "$stats"
    printf '%s: built in %s s wall, peak RSS %d MiB\n' "$label" "$seconds" $((kib / 1024))
  else
    local started=$SECONDS
    "$@"
    printf '%s: built in %d s wall (peak memory not measured: apt-get install time)\n' \
      "$label" $((SECONDS - started))
  fi
}

# build_tool NAME MODULE PACKAGE LDFLAGS
# Builds PACKAGE from the tool module scripts/toolchain/NAME into $cache_dir/build/NAME@VERSION,
# where VERSION is the module version that go.mod pins: a bump builds anew, an unchanged pin is
# reused. LDFLAGS may contain %s, replaced by the upstream release (its version/VERSION file, or
# VERSION itself for a module without one).
# Prints the directory holding the binary NAME and a RELEASE file.
build_tool() {
  local name=$1 module=$2 package=$3 ldflags_template=$4
  local module_dir="$toolchain_src/$name" version out
  version="$(required_version "$module_dir" "$module")"
  out="$cache_dir/build/$name@$version"
  if [[ -x $out/$name && -s $out/RELEASE ]]; then
    echo "$name $(<"$out/RELEASE") ($module@$version): cached" >&2
    echo "$out"
    return
  fi

  local release staging
  release="$(cd "$module_dir" && go mod download "$module" && source_dir="$(go list -m -f '{{.Dir}}' "$module")" &&
    if [[ -f $source_dir/version/VERSION ]]; then tr -d '[:space:]' <"$source_dir/version/VERSION"; else echo "$version"; fi)"
  echo "$name $release ($module@$version): building with -p $build_jobs" >&2
  # Build beside the final directory and rename it into place, so an interrupted build never
  # leaves a binary that a later run would take for a finished one; what an interrupted build left
  # (CI stops the AWS provider's build when its time is up) is removed first.
  rm -rf "$cache_dir/build/.$name."*
  staging="$(mktemp -d "$cache_dir/build/.$name.XXXXXX")"
  # shellcheck disable=SC2059 # the template is ours and carries at most one %s
  (cd "$module_dir" && measure "$name $release" env CGO_ENABLED=0 go build -mod=readonly -trimpath \
    -p "$build_jobs" -ldflags "-s -w $(printf -- "$ldflags_template" "$release")" \
    -o "$staging/$name" "$package") >&2
  echo "$release" >"$staging/RELEASE"
  rm -rf "$cache_dir/build/$name@"*
  mv "$staging" "$out"
  echo "$out"
}

# install_provider TYPE BUILD_DIR
# Places the provider in the unpacked mirror layout under both registry host names, so tofu and
# terraform resolve `hashicorp/TYPE` to it whichever host they assume; other versions of the
# same provider are removed so the mirror holds exactly the pinned one.
install_provider() {
  local type=$1 build_dir=$2 release host target
  release="$(<"$build_dir/RELEASE")"
  for host in registry.opentofu.org registry.terraform.io; do
    target="$cache_dir/mirror/$host/hashicorp/$type/$release/$platform"
    find "$cache_dir/mirror/$host/hashicorp/$type" -mindepth 1 -maxdepth 1 ! -name "$release" \
      -exec rm -rf {} + 2>/dev/null || true
    mkdir -p "$target"
    # A hard link costs no space; copy where the cache spans file systems.
    ln -f "$build_dir/$type" "$target/terraform-provider-${type}_v$release" 2>/dev/null ||
      cp -f "$build_dir/$type" "$target/terraform-provider-${type}_v$release"
  done
  echo "provider hashicorp/$type $release -> $cache_dir/mirror" >&2
}

mkdir -p "$cache_dir/build" "$cache_dir/bin"
started=$SECONDS

tofu_dir="$(build_tool tofu github.com/opentofu/opentofu github.com/opentofu/opentofu/cmd/tofu \
  '-X github.com/opentofu/opentofu/version.dev=no')"
ln -sfn "$tofu_dir/tofu" "$cache_dir/bin/tofu"

# The generated Terraform modules' tools (scripts/terraform-modules): terraform-docs renders their
# READMEs, terraform-config-inspect reads modules and examples for the offline checks.
for tool in terraform-docs:github.com/terraform-docs/terraform-docs \
  terraform-config-inspect:github.com/hashicorp/terraform-config-inspect; do
  tool_dir="$(build_tool "${tool%%:*}" "${tool#*:}" "${tool#*:}" '')"
  ln -sfn "$tool_dir/${tool%%:*}" "$cache_dir/bin/${tool%%:*}"
done

install_provider random "$(build_tool random github.com/terraform-providers/terraform-provider-random \
  github.com/terraform-providers/terraform-provider-random '')"

# The AWS provider is opt-in: the module proxy serves only a main-branch snapshot of it (its go.mod
# in aws/ pins it), and that build costs 22 min wall and 9.3 GB peak on a quiet 2-core machine.
# The snapshot reports its release from version/VERSION; the binary is stamped with it so that
# `tofu version` and the lock file name the same version the mirror holds.
if $with_aws_provider; then
  install_provider aws "$(build_tool aws github.com/hashicorp/terraform-provider-aws \
    github.com/hashicorp/terraform-provider-aws \
    '-X github.com/hashicorp/terraform-provider-aws/version.ProviderVersion=%s')"
fi

# No `direct` block: a provider missing from the mirror is an error, never a registry download.
cat >"$cache_dir/tofurc" <<EOF
# Generated by scripts/toolchain/build.sh: providers come from the local mirror only.
provider_installation {
  filesystem_mirror {
    path = "$cache_dir/mirror"
  }
}
EOF

cat >"$cache_dir/env.sh" <<EOF
# Generated by scripts/toolchain/build.sh. Source it: puts tofu on PATH and makes tofu (and
# terraform) install providers from the local mirror only.
case ":\$PATH:" in
  *":$cache_dir/bin:"*) ;;
  *) export PATH="$cache_dir/bin:\$PATH" ;;
esac
export TF_CLI_CONFIG_FILE="$cache_dir/tofurc"
EOF

echo "toolchain ready in $((SECONDS - started)) s: $(TF_CLI_CONFIG_FILE="$cache_dir/tofurc" "$cache_dir/bin/tofu" version | sed -n 1p)"
echo "use it with:"
echo "  source $cache_dir/env.sh"
echo "or:"
echo "  export PATH=\"$cache_dir/bin:\$PATH\" TF_CLI_CONFIG_FILE=\"$cache_dir/tofurc\""
