#!/usr/bin/env bash
# The packages as a user installs them: npm pack → npm install in a temp project outside the
# repository → tooltrace start, the Express example (init() and --import register) on plain node,
# the Python agent (venv cached in ~/.cache/tooltrace; skipped with a notice without python3).
set -euo pipefail
cd "$(dirname "$0")/.."
npm run test:outside
