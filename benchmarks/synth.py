"""Synthetic posts for the benchmarks: sentences of the shipped sample corpora recombined.

Sources are the repository's own sample brands (corpora/northwind, corpora/aurora) and the
shipped background (voicecheck/background/<lang>_*.jsonl). Nothing is written to disk except
where a benchmark asks for a temporary JSONL file.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_SPLIT = re.compile(r"(?<=[.!?…])\s+")
_SOURCES = {
    "en": [ROOT / "corpora" / "northwind" / "inhouse.jsonl", ROOT / "corpora" / "northwind" / "agency.jsonl",
           *sorted((ROOT / "voicecheck" / "background").glob("en_*.jsonl"))],
    "it": [ROOT / "corpora" / "aurora" / "inhouse.jsonl", ROOT / "corpora" / "aurora" / "agency.jsonl",
           *sorted((ROOT / "voicecheck" / "background").glob("it_*.jsonl"))],
}
_CACHE: dict[str, list[str]] = {}


def _texts(path: Path) -> list[str]:
    return [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def sentences(lang: str, brand_only: bool = False) -> list[str]:
    """Sentences of the sample brand (``brand_only``) or of every source for ``lang``."""
    key = f"{lang}:{brand_only}"
    if key not in _CACHE:
        out: list[str] = []
        for p in _SOURCES[lang][:2] if brand_only else _SOURCES[lang]:
            if p.exists():
                for t in _texts(p):
                    out += [s.strip() for s in _SPLIT.split(t) if len(s.split()) >= 3]
        _CACHE[key] = out
    return _CACHE[key]


def brand_texts(lang: str = "en") -> list[str]:
    """The sample brand's own posts (to learn from)."""
    return _texts(_SOURCES[lang][0])


def tweets(n: int, lang: str = "en", seed: int = 0, brand_only: bool = False) -> list[str]:
    """``n`` tweet-length posts (1-3 recombined sentences, at most 280 characters)."""
    rng = random.Random(seed)
    pool = sentences(lang, brand_only)
    out = []
    while len(out) < n:
        text = " ".join(rng.sample(pool, rng.randint(1, 3)))
        if len(text) <= 280:
            out.append(text)
    return out


def blogs(n: int, lang: str = "en", seed: int = 0, words: tuple[int, int] = (400, 1000)) -> list[str]:
    """``n`` blog-length posts of ``words`` words, in paragraphs of 3-6 sentences."""
    rng = random.Random(seed)
    pool = sentences(lang)
    out = []
    for _ in range(n):
        target = rng.randint(*words)
        paras, count = [], 0
        while count < target:
            para = " ".join(rng.sample(pool, rng.randint(3, 6)))
            paras.append(para)
            count += len(para.split())
        out.append("\n\n".join(paras))
    return out
