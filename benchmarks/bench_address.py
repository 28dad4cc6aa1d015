"""How well style counts the Italian forms of address, against posts counted by hand.

Reads ``tests/data/it_address/*.jsonl`` (posts written for the project, each with the number of words
addressing the reader as tu, voi and Lei) and prints, per file and form, the precision and recall of the
words ``voicecheck.style`` counts (a post's counted words matched up to the smaller of the two numbers),
and the share of posts where all three numbers are right.

    .venv/bin/python benchmarks/bench_address.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

FORMS = ("tu", "voi", "lei")
DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "it_address"


def address_counts(text: str) -> dict[str, int]:
    """The words of ``text`` that style counts for each form of address."""
    from voicecheck.style import measure

    m = measure(text, "it")
    return {f: round(m[f"{f}_rate"] * m["words"] / 100) for f in FORMS}


def agreement(path: Path) -> dict:
    """Precision and recall per form, and the share of posts counted exactly, for one file."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    matched = {f: 0 for f in FORMS}
    counted = {f: 0 for f in FORMS}
    true = {f: 0 for f in FORMS}
    exact = 0
    for row in rows:
        got = address_counts(row["text"])
        for f in FORMS:
            matched[f] += min(got[f], row[f])
            counted[f] += got[f]
            true[f] += row[f]
        exact += all(got[f] == row[f] for f in FORMS)
    return {"posts": len(rows), "exact": exact / len(rows),
            **{f: {"precision": matched[f] / max(counted[f], 1), "recall": matched[f] / max(true[f], 1),
                   "counted": counted[f], "true": true[f]} for f in FORMS}}


def main() -> int:
    for path in sorted(DATA.glob("*.jsonl")):
        a = agreement(path)
        print(f"{path.name}: {a['posts']} posts, all three counts right in {100 * a['exact']:.0f}%")
        for f in FORMS:
            x = a[f]
            print(f"  {f:<4} precision {x['precision']:.3f}  recall {x['recall']:.3f}  "
                  f"({x['counted']} words counted, {x['true']} by hand)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
