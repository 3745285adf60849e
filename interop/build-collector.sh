#!/usr/bin/env bash
# Builds (once) the OpenTelemetry Collector distribution described by builder-config.yaml
# with the official collector builder, and prints the binary's path.
# The result is cached in ~/.cache/tooltrace/otelcol-<version>, keyed also by the
# config's hash, so a changed component list rebuilds and an unchanged one is instant.
set -euo pipefail
OTELCOL_VERSION=0.165.0
here="$(cd "$(dirname "$0")" && pwd)"
config_hash="$(sha256sum "$here/builder-config.yaml" | cut -c1-12)"
cache_dir="${TOOLTRACE_CACHE_DIR:-$HOME/.cache/tooltrace}/otelcol-$OTELCOL_VERSION-$config_hash"
binary="$cache_dir/otelcol-tooltrace"

if [[ ! -x "$binary" ]]; then
  command -v go >/dev/null || { echo "build-collector: go is not installed" >&2; exit 2; }
  mkdir -p "$cache_dir"
  sed "s|^  output_path:.*|  output_path: $cache_dir|" "$here/builder-config.yaml" >"$cache_dir/builder-config.yaml"
  # Two shared cores: stay polite to everything else running.
  (cd "$cache_dir" && nice -n 10 go run "go.opentelemetry.io/collector/cmd/builder@v$OTELCOL_VERSION" \
    --config "$cache_dir/builder-config.yaml") >&2
  # Builds of older versions or configs are never used again: keep only this one (~100 MB each).
  find "$(dirname "$cache_dir")" -mindepth 1 -maxdepth 1 -type d -name 'otelcol-*' ! -path "$cache_dir" \
    -exec rm -rf {} +
fi
echo "$binary"
