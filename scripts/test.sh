#!/usr/bin/env bash
# Install voicecheck with its test tools, then run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh test
# Third-party pytest plugins (anyio, hypothesis, schemathesis) are not used by the suite; not
# autoloading them also keeps pytest from rewriting their modules (which trips a CPython 3.11.7 bug).
export PYTEST_DISABLE_PLUGIN_AUTOLOAD=1
exec .venv/bin/python -m pytest -q "$@"
