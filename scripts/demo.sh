#!/usr/bin/env bash
# The demo: install, learn the sample Italian brand's voice, score its drafts.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
export PATH="$PWD/.venv/bin:$PATH"
echo "== learn the voice of Torrefazione Aurora (corpora/aurora/inhouse.jsonl)"
voicecheck learn corpora/aurora/inhouse.jsonl --out models/aurora --name aurora
echo
echo "== its voice card"
voicecheck describe --profile models/aurora
echo "== score the sample drafts (corpora/aurora/drafts/)"
status=0
voicecheck score corpora/aurora/drafts --profile models/aurora --format table || status=$?
echo "(exit status $status: 1 means at least one draft is off-voice, which three demo drafts are meant to be)"
echo
echo "== monthly drift report over the agency's drafts (corpora/aurora/agency.jsonl)"
voicecheck report corpora/aurora/agency.jsonl --profile models/aurora --window month --by source \
  --format html --out reports/aurora-drift.html
voicecheck report corpora/aurora/agency.jsonl --profile models/aurora --window month --format md \
  | sed -n '/^## Segnalazioni/,/^## Periodi/p' | sed '$d'
echo "open reports/aurora-drift.html for the charts"
