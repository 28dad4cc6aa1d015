#!/usr/bin/env bash
# Create .venv (if missing) and install voicecheck into it; with "test", the test tools too.
# torch is pinned in pyproject.toml (2.13.0) and installed in the same pip command as
# sentence-transformers. Where pip finds a CPU build of that release (this project's machines keep
# one on disk, or PIP_EXTRA_INDEX_URL=https://download.pytorch.org/whl/cpu), it takes it; from PyPI
# alone, Linux gets the CUDA build, several GB.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
too_old() { ! "$1" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; }
if [ -x .venv/bin/python ] && too_old .venv/bin/python; then
  echo "install.sh: .venv was made with $(.venv/bin/python --version 2>&1); voicecheck needs Python 3.11 or" \
       "newer: remove .venv (rm -rf .venv) and run again" >&2
  exit 2
fi
if [ ! -x .venv/bin/python ]; then
  if ! command -v "$PY" >/dev/null 2>&1; then
    echo "install.sh: no Python at '$PY' (set PYTHON=/path/to/python3.11)" >&2
    exit 2
  fi
  if too_old "$PY"; then
    echo "install.sh: $PY is $("$PY" --version 2>&1); voicecheck needs Python 3.11 or newer" \
         "(set PYTHON=/path/to/python3.11)" >&2
    exit 2
  fi
  "$PY" -m venv .venv
fi
extra=""
if [ "${1:-}" = "test" ]; then extra="[test]"; fi
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! .venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".${extra}" >"$log" 2>&1; then
  cat "$log" >&2
  echo "install.sh: pip could not install voicecheck into .venv (its messages are above)" >&2
  exit 1
fi
grep -vE "^WARNING: Location .* is ignored|^\s*$" "$log" || true
# Checked from outside the checkout, so that the installed package answers, not the source folder.
(cd / && "$OLDPWD/.venv/bin/voicecheck" --version >/dev/null)
