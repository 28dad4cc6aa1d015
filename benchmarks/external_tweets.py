"""Build the 2020 Italian political tweets corpus used to measure voicecheck on voices it was not developed on.

The tweets are not in this repository. Fetch the three files from the public repository
francesco92maura/tweet_analysis_italian_politics at commit 8a9039a (``conte.txt``,
``zingaretti.txt``, ``tajani.txt``: semicolon-separated, written by R, newest tweet first)
into a folder, then:

    .venv/bin/python benchmarks/external_tweets.py FOLDER --out /tmp/it_tweets_2020.jsonl
    .venv/bin/voicecheck evaluate /tmp/it_tweets_2020.jsonl
    .venv/bin/python benchmarks/bench_drift.py --file /tmp/it_tweets_2020.jsonl --min-posts 70 --voices 4

The rule (docs/accuracy.md, "On writing we did not develop on"): from each account's newest
tweet, one contiguous run of its first 95 tweets that are not retweets, not replies to
others (its own threads are kept) and not plainly in another language; R's ``<U+XXXX>``
escapes turned back into characters. A row cut off at the end of a partial file is dropped.
Output: JSON Lines with ``voice``, ``text``, ``date``, by voice, oldest first.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import sys
from pathlib import Path

KEEP = 95
FIELDS = ("source", "user_id", "created_at", "screen_name", "text", "retweet_count", "reply_to_user_id",
          "is_retweet", "favorite_count")
ITALIAN = frozenset("il la di che e per non un una del della in con è sono ci a da gli le al alla nel nella ho "
                    "abbiamo i lo".split())
#: English, Spanish and French function words (and a few short words that make up whole foreign tweets).
FOREIGN = frozenset("the and of to is are for with we our this that be by from on will you it my at as el los las y "
                    "es por para en nos hoy está muy pero como más que se et les des pour dans nous est une du au "
                    "avec sur notre well done thank thanks great good happy congratulations today welcome gracias "
                    "feliz merci".split()) - ITALIAN
_ESCAPE = re.compile(r"<U\+([0-9A-Fa-f]{4,8})>")
_LINKS = re.compile(r"https?://\S+|@\w+")
_WORD = re.compile(r"[^\W\d_]+")


def unescape(text: str) -> str:
    """R writes characters outside Latin-1 as ``<U+0001F4FA>``: turn them back into characters."""
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)


def is_italian(text: str) -> bool:
    """Not plainly in another language: foreign function words do not outnumber Italian ones, and a tweet
    with fewer than two Italian ones has no foreign one ("In diretta dal Senato" stays, "Well done!" goes)."""
    words = _WORD.findall(_LINKS.sub(" ", text).lower())
    italian = sum(w in ITALIAN for w in words)
    foreign = sum(w in FOREIGN for w in words)
    return foreign <= italian and (italian >= 2 or foreign == 0)


def rows(raw: str) -> list[dict[str, str]]:
    """The complete rows of an R dump (``\\"`` inside quotes), header left out; a row cut at the end is dropped."""
    reader = csv.reader(io.StringIO(raw, newline=""), delimiter=";", quotechar='"', escapechar="\\", strict=True)
    out = []
    try:
        for row in reader:
            out.append(row)
    except csv.Error:  # the file ends inside a quoted field: its last row is cut
        return [dict(zip(FIELDS, r)) for r in out[1:] if len(r) == len(FIELDS)]
    if out and not raw.endswith("\n"):
        out.pop()
    return [dict(zip(FIELDS, r)) for r in out[1:] if len(r) == len(FIELDS)]


def select(raw: str, keep: int = KEEP) -> list[dict[str, str]]:
    """One account's tweets by the rule above, oldest first."""
    all_rows = rows(raw)
    if not all_rows:
        return []
    own = all_rows[0]["user_id"]
    chosen = []
    for r in all_rows:
        if r["is_retweet"] != "FALSE" or r["reply_to_user_id"] not in ("NA", own):
            continue
        text = unescape(r["text"])
        if not is_italian(text):
            continue
        chosen.append({"voice": r["screen_name"], "text": text, "date": r["created_at"].replace(" ", "T")})
        if len(chosen) == keep:
            break
    return chosen[::-1]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", type=Path, help="folder holding conte.txt, zingaretti.txt, tajani.txt (or any R dumps)")
    ap.add_argument("--out", type=Path, required=True, help="JSON Lines file to write")
    ap.add_argument("--keep", type=int, default=KEEP, help=f"tweets per account (default {KEEP})")
    args = ap.parse_args(argv)
    files = sorted(args.folder.glob("*.txt"))
    if not files:
        print(f"{args.folder}: no .txt files", file=sys.stderr)
        return 2
    out = []
    for f in files:
        tweets = select(f.read_text(encoding="utf-8"), args.keep)
        short = "" if len(tweets) == args.keep else f" (fewer than {args.keep}: the file ends first)"
        span = f"{tweets[0]['date']} to {tweets[-1]['date']}" if tweets else "-"
        print(f"{f.name}: {len(tweets)} tweets{short}, {span}")
        out += tweets
    out.sort(key=lambda t: (t["voice"], t["date"]))
    args.out.write_text("".join(json.dumps(t, ensure_ascii=False) + "\n" for t in out), encoding="utf-8")
    print(f"wrote {len(out)} tweets to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
