#!/usr/bin/env bash
# Creates the Python virtual environment the conformance suites use (.cache/python-sdks) and
# installs the pinned official Azure SDKs from PyPI into it. Idempotent: a venv whose installed
# requirements match the file is kept. Prints the venv's python path on the last line.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${MOSHPIT_PY_VENV:-.cache/python-sdks}"
REQ=test/conformance/python/requirements.txt
STAMP="$VENV/.requirements.sha256"
want="$(sha256sum "$REQ" | cut -d' ' -f1)"
if [ -x "$VENV/bin/python" ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want" ]; then
  echo "$VENV/bin/python"
  exit 0
fi
command -v python3 >/dev/null || { echo "python3 is not installed: the Python conformance suites need it" >&2; exit 1; }
python3 -m venv "$VENV" 2>/dev/null || {
  # Debian splits venv out of python3
  if command -v apt-get >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
    python3 -m venv "$VENV"
  else
    echo "python3 -m venv failed: install your distribution's python3-venv package" >&2; exit 1
  fi
}
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$REQ" >&2
echo "$want" > "$STAMP"
echo "$VENV/bin/python"
