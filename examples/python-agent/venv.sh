#!/usr/bin/env bash
# Prints the path of a Python with requirements.txt installed: a venv cached under
# ~/.cache/tooltrace, keyed by the requirements, made on first use. Exits 3 when python3 is missing.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
command -v python3 >/dev/null 2>&1 || { echo "python3 not found" >&2; exit 3; }
key="$(sha256sum "$here/requirements.txt" | cut -c1-12)"
venv="${HOME}/.cache/tooltrace/python-agent-venv-${key}"
if [ ! -x "$venv/bin/python" ] || [ ! -f "$venv/.complete" ]; then
  rm -rf "$venv"
  python3 -m venv "$venv" >&2
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$here/requirements.txt" >&2
  touch "$venv/.complete"
fi
echo "$venv/bin/python"
