#!/usr/bin/env bash
# Create .venv (if missing) and install voicecheck into it; with "test", the test tools too.
# torch is pinned in pyproject.toml and installed in the same pip command as
# sentence-transformers, so pip takes the CPU build instead of a multi-GB CUDA one.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
extra=""
if [ "${1:-}" = "test" ]; then extra="[test]"; fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".${extra}" 2>&1 \
  | grep -vE "^WARNING: Location .* is ignored|^\s*$" || true
.venv/bin/python -c "import voicecheck" 
