#!/usr/bin/env bash
# Builds (once) Jaeger v2 from its Go module source and prints the binary's path.
# `go install …/cmd/jaeger@<version>` is refused because the module's go.mod has a
# `replace` directive, so the source is fetched with `go mod download`, copied to a
# writable directory (the module cache is read-only) and built there.
# Cached in ~/.cache/tooltrace/jaeger-<module version>; a different version rebuilds.
set -euo pipefail
JAEGER_MODULE_VERSION="${JAEGER_MODULE_VERSION:-v1.76.0}" # = Jaeger v2.13.0
cache_root="${TOOLTRACE_CACHE_DIR:-$HOME/.cache/tooltrace}"
cache_dir="$cache_root/jaeger-$JAEGER_MODULE_VERSION"
binary="$cache_dir/jaeger"

if [[ ! -x "$binary" ]]; then
  command -v go >/dev/null || { echo "build-jaeger: go is not installed" >&2; exit 2; }
  mkdir -p "$cache_dir"
  echo "build-jaeger: downloading github.com/jaegertracing/jaeger@$JAEGER_MODULE_VERSION" >&2
  module_dir="$(go mod download -json "github.com/jaegertracing/jaeger@$JAEGER_MODULE_VERSION" |
    sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
  [[ -d "$module_dir" ]] || { echo "build-jaeger: module source not found" >&2; exit 1; }
  src="$cache_dir/src"
  rm -rf "$src"
  cp -r "$module_dir" "$src"
  chmod -R u+w "$src"
  echo "build-jaeger: building ./cmd/jaeger (a few minutes on two cores; dependencies are downloaded first)" >&2
  # -mod=mod: the module zip's go.sum may lack entries the build wants. GOTOOLCHAIN=local: build with the Go here.
  # Two shared cores: stay polite to everything else running. -x would be too loud; -v lists packages as they build.
  (cd "$src" && GOFLAGS=-mod=mod GOTOOLCHAIN=local nice -n 10 go build -v -trimpath -o "$binary.tmp" ./cmd/jaeger) >&2
  mv "$binary.tmp" "$binary"
  rm -rf "$src"
  # Builds of other versions are never used again: keep only this one (~150 MB each).
  find "$cache_root" -mindepth 1 -maxdepth 1 -type d -name 'jaeger-*' ! -path "$cache_dir" -exec rm -rf {} +
fi
echo "$binary"
