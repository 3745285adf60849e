#!/usr/bin/env bash
# The bench's peers phase at toy size against a real Jaeger v2 (bench/phases/peers.jaeger.test.ts).
# Jaeger is built from its Go module once and cached in ~/.cache/tooltrace/jaeger-<module version>
# (first build: several minutes on two cores; afterwards the test takes well under a minute).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v go >/dev/null 2>&1; then
  echo "SKIPPED bench peers test: go not found (Jaeger v2 is built from Go modules)"
  exit 0
fi
npx vitest run --config bench/vitest.jaeger.config.ts
