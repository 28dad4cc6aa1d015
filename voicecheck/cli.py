"""The ``voicecheck`` command: a thin door over the library.

Each command parses its arguments, calls public library functions, renders the
result and maps errors to exit codes: 0 all good, 1 a scored draft is off-voice
(or under ``--fail-under``), 2 a usage, input or profile error (one line on
stderr, no traceback), 3 an internal error (a bug; ``VOICECHECK_DEBUG=1`` shows
its traceback). argparse keeps ``--help`` free of heavy imports.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import re
import sys
import time
import warnings
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO

from . import __version__
from .errors import InputError, TooLittleDataError, VoicecheckError, VoicecheckWarning

EXIT_OK, EXIT_OFF_VOICE, EXIT_ERROR, EXIT_INTERNAL = 0, 1, 2, 3


class Progress:
    """A progress bar on stderr when it is a terminal; silent when piped."""

    def __init__(self, total: int, label: str, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() and total >= 50 and not os.environ.get("VOICECHECK_NO_PROGRESS")
        self.total, self.label, self.done, self.start, self._last = total, label, 0, time.monotonic(), 0.0

    def __call__(self, n: int) -> None:
        if self.done >= self.total:  # finished: the last line is drawn once
            return
        self.done = min(self.total, self.done + n)
        now = time.monotonic()
        if not self.enabled or (now - self._last < 0.1 and self.done < self.total):
            return
        self._last = now
        width = 30
        filled = int(width * self.done / max(self.total, 1))
        rate = self.done / max(now - self.start, 1e-9)
        self.stream.write(f"\r{self.label} [{'#' * filled}{'.' * (width - filled)}] "
                          f"{self.done}/{self.total} ({rate:.0f}/s)")
        if self.done >= self.total:
            self.stream.write("\n")
        self.stream.flush()


def _out_target(path: str) -> str:
    """The file that writing ``path`` replaces: a symbolic link's target (the link stays), else ``path``.

    Why: replacing the link itself would leave the published file it points to stale. An
    existing path that is not a regular file (a device such as /dev/full, a pipe) is refused:
    renaming a report over it would replace it.
    """
    import stat

    target = os.path.realpath(path) if os.path.islink(path) else path
    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        return target
    except OSError as e:
        raise InputError(f"cannot write {path}: {e.strerror or e}", field="out") from None
    if stat.S_ISDIR(mode):
        raise InputError(f"{path} is a folder; --out names the report file to write", field="out")
    if not stat.S_ISREG(mode):
        raise InputError(f"{path} is not a regular file; --out names the report file to write (without --out "
                         "the report goes to standard output)", field="out")
    return target


def _write_atomic(path: str, content: str) -> None:
    """Write a whole output file or nothing (a crash never leaves half a report).

    The file gets the permissions any new file would (a report is meant to be shared),
    and an error names the file asked for, not the temporary one beside it. A symbolic
    link is followed (its target is replaced, the link kept); anything but a regular
    file is refused (``_out_target``).
    """
    import tempfile

    from .profile import sync_folder

    target = _out_target(path)
    folder = os.path.dirname(os.path.abspath(target))
    tmp = None
    try:
        os.makedirs(folder, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".voicecheck-", dir=folder)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(content)
            f.flush()
            os.fsync(f.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
        sync_folder(folder)
    except OSError as e:
        raise InputError(f"cannot write {path}: {e.strerror or e}", field="out") from None
    finally:
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)


def _stdout_gone() -> None:
    """After the reader of standard output went away (``| head``): drop what is left to write.

    Why: Python would otherwise fail again flushing stdout at exit; the command's exit code
    (a failing gate stays 1) is still the one returned.
    """
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


# ---------------------------------------------------------------------- commands
def _saved_name(folder: str) -> str | None:
    """The name of the profile already saved in ``folder``, if any: learning it again keeps its name (it had
    become the folder's, 'prof2' for 'fernwood', when --name was not given again)."""
    from .profile import VoiceProfile

    if not (Path(folder) / "manifest.json").is_file():
        return None
    try:
        return VoiceProfile.load(folder, check_model=False).name
    except VoicecheckError:  # a damaged profile is replaced whole: the folder names the new one
        return None


def cmd_learn(args: argparse.Namespace) -> int:
    from .corpus import read_corpus
    from .documents import documents_between
    from .profile import VoiceProfile, check_profile_target

    check_profile_target(args.out)  # before learning: a wrong --out should not cost the wait
    everything = read_corpus(args.corpus)
    docs = documents_between(everything, args.since, args.until)
    contrast = read_corpus(args.contrast) if args.contrast else []
    name = args.name or _saved_name(args.out) or os.path.basename(os.path.normpath(args.out))
    bar = Progress(len(docs) + len(contrast), "embedding")
    try:
        profile = VoiceProfile(name=name, lang=args.lang).fit(docs, contrast, progress=bar, warn=False)
    except TooLittleDataError as e:
        if len(docs) == len(everything):
            raise
        period = " ".join(f"--{k} {v}" for k, v in (("since", args.since), ("until", args.until)) if v)
        raise TooLittleDataError(f"{len(docs)} of the {len(everything)} documents are dated within {period}: "
                                 f"{e}") from None
    path = profile.save(args.out)
    print(f"learned voice {name!r} ({profile.language_name}) from {profile.n_documents_} documents "
          f"({profile.n_words_:,} words){f', {profile.n_contrast_} contrast' if profile.n_contrast_ else ''}; "
          f"saved to {path} (version {profile.version_})")
    for note in profile.warnings_:
        print(f"warning: {note}", file=sys.stderr)
    return EXIT_OK


def _printable(value: str) -> str:
    """A cell as it may go to a terminal or a CI log: control characters shown escaped, not obeyed."""
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in value)


def _short_id(value: str, width: int = 40) -> str:
    """An id cut to ``width`` keeping its start and its end, so that two long ids stay two."""
    if len(value) <= width:
        return value
    head = (width - 1) // 2
    return value[:head] + "…" + value[len(value) - (width - 1 - head):]


#: The score table's headings and verdicts in each language it is printed in (the JSON keeps the codes).
_TABLE_SAY = {
    "en": (("id", "score", "verdict", "semantic", "style", "lexical", "main reason"), {}),
    "it": (("id", "punteggio", "giudizio", "semantica", "stile", "lessico", "motivo principale"),
           {"on-voice": "in voce", "borderline": "al limite", "off-voice": "fuori voce", "too-short": "troppo breve"}),
}
#: A reason's severity under a one-draft table, in the table's language.
_SEVERITY_SAY = {"it": {"info": "info", "warning": "avviso", "error": "errore"}}
#: The footnote of a table where some texts are among those the profile learned from (their score has a "*").
_LEARNED_NOTE = {
    "en": "* a text the profile learned from: it scores higher than a new post written the same way would",
    "it": "* un testo già appreso dal profilo: ha un punteggio più alto di quello che avrebbe un post nuovo scritto "
          "allo stesso modo",
}


def _table_language(results: Sequence[Any]) -> str:
    """The language of a table: that of the reasons it shows when all are in one voicecheck speaks, else English."""
    langs = {getattr(r, "explained_in", "en") for r in results}
    return langs.pop() if len(langs) == 1 and langs <= set(_TABLE_SAY) else "en"


def _table(results: Sequence[Any]) -> str:
    """The table for people, in the language of the reasons it shows (all in Italian, or English)."""
    from .wording import clip, fixed

    lang = _table_language(results)
    headings, verdicts = _TABLE_SAY[lang]
    rows = [headings]
    for r in results:
        reason = r.reasons[0].message if r.reasons else ""
        learned = "*" if getattr(r, "learned_from", False) else ""
        # a too-short draft has no score to read ("0,0" beside "troppo breve" read as a verdict); a long reason
        # is cut at a word, not inside one ("(6,7 pa...")
        # nor figures of its evidence ("troppo breve 100 100 100" read as a perfect match: a gelato chain's review)
        short = r.verdict == "too-short"
        score = "–" if short else fixed(r.score, lang) + learned
        rows.append((_short_id(_printable(r.id)), score, verdicts.get(r.verdict, r.verdict),
                     *("–" if short else fixed(r.dimensions[d], lang, 0) for d in ("semantic", "style", "lexical")),
                     reason if len(reason) <= 90 else reason[:87].rsplit(" ", 1)[0].rstrip(",;:(") + " ..."))
    widths = [min(max(len(row[i]) for row in rows), 40 if i == 0 else 200) for i in range(len(rows[0]))]
    out = []
    for row in rows:
        cells = [clip(c, widths[i]).ljust(widths[i]) for i, c in enumerate(row)]
        out.append("  ".join(cells).rstrip())
    if any(getattr(r, "learned_from", False) for r in results):
        out.append(_LEARNED_NOTE[lang])
    return "\n".join(out)


def _markdown_table(results: Sequence[Any]) -> str:
    """The table as Markdown, for a pull request's comment or a CI summary (a content head's review asked for it):
    every draft, with its whole main reason, in the reasons' language; cells escaped so that no draft's '|' or
    line break can break the table."""
    from .wording import fixed

    def cell(value: str) -> str:
        return " ".join(_printable(value).split()).replace("\\", "\\\\").replace("|", "\\|")

    lang = _table_language(results)
    headings, verdicts = _TABLE_SAY[lang]
    lines = ["| " + " | ".join(headings) + " |", "|" + "---|" * len(headings)]
    for r in results:
        short = r.verdict == "too-short"
        score = "–" if short else fixed(r.score, lang) + ("*" if getattr(r, "learned_from", False) else "")
        dims = ["–" if short else fixed(r.dimensions[d], lang, 0) for d in ("semantic", "style", "lexical")]
        verdict = verdicts.get(r.verdict, r.verdict)
        verdict = f"**{verdict}**" if r.verdict == "off-voice" else verdict
        reason = r.reasons[0].message if r.reasons else ""
        lines.append("| " + " | ".join([cell(r.id), score, verdict, *dims, cell(reason)]) + " |")
    if any(getattr(r, "learned_from", False) for r in results):
        lines += ["", _LEARNED_NOTE[lang]]
    return "\n".join(lines)


def _load_and_score(profile_dir: str, inputs: list[str], explain_in: str | None = None,
                    check: Callable[[list[Any]], None] | None = None, once: bool = False,
                    channel: str | None = None, channelless: bool = False):
    """The profile, the documents of ``inputs`` and their ScoreResults, with a progress bar on a terminal.

    ``check`` sees the documents before they are scored, to refuse what would fail after the wait;
    ``once`` keeps one of each post given more than once (``_once``); ``channel`` labels the documents that
    do not say their own (a newsletter's HTML file); ``channelless``: warn of drafts that say none
    (``_warn_channelless``).
    """
    from .corpus import read_corpus
    from .profile import VoiceProfile
    from .scoring import score_documents

    profile = VoiceProfile.load(profile_dir)
    kept = ", ".join(c.label for c in getattr(profile, "channels_", None) or ()) or "none"
    if channel is not None and profile.channel_style(channel) is None:
        print(f"warning: the profile keeps no channel {channel!r} apart (it keeps: {kept}); drafts without a channel "
              "of their own are scored among and explained against all the brand's posts", file=sys.stderr)
    docs = read_corpus(inputs)
    if channel is not None:
        docs = [d if d.channel else dataclasses.replace(d, channel=channel) for d in docs]
    _warn_unkept_channels(profile, docs, kept, said=channel)
    if channelless:
        _warn_channelless(docs, kept)
    if once:
        docs = _once(docs)
    if check is not None:
        check(docs)
    return profile, docs, score_documents(profile, docs, progress=Progress(len(docs), "scoring"), explain_in=explain_in)


def _warn_unkept_channels(profile: Any, docs: list[Any], kept: str, said: str | None) -> None:
    """Say which channels the drafts name that the profile does not keep apart (but for ``said``, warned of
    already), when it keeps some: "Instagram Stories" for a profile that learned "stories" lost the channel's
    scale without a word, 50 points on a brand's own Story (a brand manager's review)."""
    if kept == "none":
        return
    from .channels import channel_key

    unkept = Counter(" ".join(d.channel.split()) for d in docs if d.channel and channel_key(d.channel) !=
                     channel_key(said) and profile.channel_style(d.channel) is None)
    if unkept:
        named = ", ".join(f"{label!r} ({n})" for label, n in unkept.most_common(5))
        more = f" and {len(unkept) - 5} more" if len(unkept) > 5 else ""
        n = sum(unkept.values())
        print(f"warning: {n} draft{'' if n == 1 else 's'} name{'s' if n == 1 else ''} a channel the profile does not "
              f"keep apart: {named}{more} (it keeps: {kept}); {'it is' if n == 1 else 'they are'} scored among and "
              "explained against all the brand's posts", file=sys.stderr)


def _warn_channelless(docs: list[Any], kept: str) -> None:
    """Say how many drafts name no channel when the profile keeps some apart: they are scored among all the brand's
    posts, and with their channel a verdict can differ (a .txt draft passed a gate at 20.0 that its channel's
    posts put at 9.0: an agency's content operations review)."""
    n = sum(1 for d in docs if not d.channel)
    if kept == "none" or not n:
        return
    print(f"warning: {n} of {len(docs)} draft{'' if len(docs) == 1 else 's'} name{'s' if n == 1 else ''} no channel, "
          f"and the profile keeps {kept} apart: {'it is' if n == 1 else 'they are'} scored among all the brand's "
          "posts (--channel LABEL, or a channel in a draft's front matter or record, scores a draft among its "
          "channel's)", file=sys.stderr)


def _once(docs: list[Any]) -> list[Any]:
    """``corpus.distinct_posts``, and a warning when some posts were given more than once."""
    from .corpus import distinct_posts

    kept, n = distinct_posts(docs)
    if n:
        print(f"warning: {n} post{' is a repeat' if n == 1 else 's are repeats'} of others (the same id, date and "
              f"text: overlapping files?); each post is counted once", file=sys.stderr)
    return kept


def cmd_score(args: argparse.Namespace) -> int:
    _, docs, results = _load_and_score(args.profile, args.input, args.explain_in, channel=args.channel,
                                       channelless=args.channel is None)
    failing = [(d, r) for d, r in zip(docs, results) if r.verdict == "off-voice"
               or (args.fail_under is not None and r.verdict != "too-short" and r.score < args.fail_under)]
    code = EXIT_OFF_VOICE if failing else EXIT_OK
    fmt = args.format or ("table" if sys.stdout.isatty() else "jsonl")
    try:
        if fmt == "json":
            print(json.dumps([r.to_dict() for r in results], ensure_ascii=False, indent=2))
        elif fmt == "jsonl":
            for r in results:
                print(json.dumps(r.to_dict(), ensure_ascii=False))
        elif fmt == "md":
            print(_markdown_table(results))
        else:
            print(_table(results))
            if len(results) == 1 and results[0].reasons:
                print()
                severity = _SEVERITY_SAY.get(_table_language(results), {})
                for reason in results[0].reasons:
                    print(f"  [{severity.get(reason.severity, reason.severity)}] {reason.message}")
        sys.stdout.flush()
    except BrokenPipeError:  # `| head`: the gate's verdict must not turn into a pass
        _stdout_gone()
    if failing:  # a CI log says which drafts failed and why, without a jq script
        print(_failures(failing, results, args.fail_under), file=sys.stderr)
    return code


#: At most this many failing drafts are listed one by one under a gate's verdict.
FAILURES_LISTED = 50


def _failures(failing: Sequence[tuple[Any, Any]], results: Sequence[Any], fail_under: float | None) -> str:
    """The gate's verdict for a CI log: how many drafts fail and why, then each failing draft on a line of its own,
    where it is (its file, or file and line, and id), its score and verdict, and its main reason, whole. It had named
    five drafts with no reason, and nothing at all under a table, whose rows do not say which fail (an agency's
    content operations review). ``failing``: (document, result) pairs.

    In the language of the reasons, as the table: "1.0 off-voice: niente emoji; ... (6,2 ogni 100 parole)" mixed
    two languages and two decimal marks on one line (a gelato chain's review)."""
    from .wording import fixed

    lang, n = _table_language(results), len(results)
    verdicts = _TABLE_SAY[lang][1]
    if lang == "it":
        why = "fuori voce" + (f", o sotto --fail-under {f'{fail_under:g}'.replace('.', ',')}"
                              if fail_under is not None else "")
        head = (f"voicecheck: {len(failing)} bozz{'a' if len(failing) == 1 else 'e'} su {n} non "
                f"pass{'a' if len(failing) == 1 else 'ano'} ({why}):")
        more = "  ... e altre {} (tutte le bozze sono nel JSON: --format jsonl)"
    else:
        why = "off-voice" + (f", or under --fail-under {fail_under:g}" if fail_under is not None else "")
        head = (f"voicecheck: {len(failing)} of {n} draft{'' if n == 1 else 's'} fail{'s' if len(failing) == 1 else ''} "
                f"({why}):")
        more = "  ... and {} more (every draft is in the JSON: --format jsonl)"
    lines = [head]
    for doc, r in failing[:FAILURES_LISTED]:
        origin = doc.origin or r.id
        named = _printable(origin if origin == r.id or origin.endswith(("/" + r.id, os.sep + r.id))
                           else f"{origin} ({r.id})")  # a file named by its id once; a line of a file with its id
        reason = f": {_printable(r.reasons[0].message)}" if r.reasons else ""
        lines.append(f"  {named}: {fixed(r.score, lang)} {verdicts.get(r.verdict, r.verdict)}{reason}")
    if len(failing) > FAILURES_LISTED:
        lines.append(more.format(len(failing) - FAILURES_LISTED))
    return "\n".join(lines)


def cmd_describe(args: argparse.Namespace) -> int:
    from .card import render_card, voice_card
    from .profile import VoiceProfile

    card = voice_card(VoiceProfile.load(args.profile, check_model=False), explain_in=args.explain_in)
    sys.stdout.write(render_card(card, args.format))
    return EXIT_OK


def _columns(rows: list[list[str]]) -> list[str]:
    """Rows of cells as lines, each column as wide as its widest cell."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return ["  ".join(c.ljust(widths[i]) for i, c in enumerate(row)).rstrip() for row in rows]


def _evaluation_table(res: dict[str, Any]) -> str:
    methods = list(res["macro"])
    head = ["voice"] + [f"{m} AUC" for m in methods] + ["false flags", "catch rate", "by dimension sem/sty/lex"]
    rows = [head]

    def by_dimension(aucs: dict[str, float] | None) -> str:
        """Each family of evidence alone: which one tells this voice from the strangers."""
        return "/".join(f"{aucs[f]:.2f}" for f in ("semantic", "style", "lexical")) if aucs else ""

    for r in res["voices"]:
        vc = r["methods"]["voicecheck"]
        rows.append([r["voice"]] + [f"{r['methods'][m]['auc']:.3f}" for m in methods]
                    + [f"{100 * vc['false_flags']:.1f}%", f"{100 * vc['catch_rate']:.1f}%",
                       by_dimension(vc.get("dimension_auc"))])
    mc = res["macro"]["voicecheck"]
    macro_dims = mc.get("dimension_auc")
    rows.append(["MACRO"] + [f"{res['macro'][m]['auc']:.3f}" for m in methods]
                + [f"{100 * mc['false_flags']:.1f}%", f"{100 * mc['catch_rate']:.1f}%", by_dimension(macro_dims)])
    lines = _columns(rows)
    nc = res["macro"]["voicecheck-no-contrast"]
    lines.append("")
    # what the columns count, and against whom (an evaluation user's review: neither was said; the JSON names the
    # voices that lent contrast writing and the strangers of each voice)
    lines.append("false flags: the voice's own later posts scored off-voice; catch rate: its strangers' posts scored "
                 "off-voice (both of voicecheck with contrast writing; MACRO: the mean over voices). Which voices lent "
                 "contrast writing and which were the strangers: --format json (contrast_voices, negative_voices).")
    if macro_dims:
        lines.append("by dimension: the AUC of each family of evidence alone (semantic: topic and tone; style; "
                     "lexical: vocabulary and spelling), with contrast writing.")
    lines.append(f"voicecheck without contrast writing: macro AUC {nc['auc']:.3f}, false flags "
                 f"{100 * nc['false_flags']:.1f}%, catch rate {100 * nc['catch_rate']:.1f}%; "
                 f"lowest voice AUC {nc['min_auc']:.3f} (with contrast {mc['min_auc']:.3f}).")
    lines.append("95% intervals of the macro AUC (bootstrap over each voice's test posts): " + "; ".join(
        f"{m} {res['macro'][m]['auc_interval'][0]:.3f}-{res['macro'][m]['auc_interval'][1]:.3f}" for m in methods
        if res["macro"][m].get("auc_interval")) + ".")
    margins = [(label, res["macro"][m]["margin"]) for m, label in
               (("voicecheck", "voicecheck"), ("voicecheck-no-contrast", "without contrast writing"))
               if res["macro"][m].get("margin")]
    if margins:
        lines.append("margin over the best baseline given no more writing than voicecheck, paired on the same posts: " + "; ".join(
            f"{label} {g['auc']:+.3f} over {g['over']} (95% interval {g['interval'][0]:+.3f} to "
            f"{g['interval'][1]:+.3f})" for label, g in margins) + ".")
    if "contrast-logreg" in methods:
        lines.append("contrast-logreg: logistic regression on character n-grams and embeddings, the voice against "
                     "the same contrast writing voicecheck learns from; background-logreg: the same against the "
                     "shipped background voicecheck also learns from; the cosines use the voice's writing only.")
    elif "background-logreg" in methods:
        lines.append("background-logreg: logistic regression on character n-grams and embeddings, the voice against "
                     "the shipped background voicecheck also learns from; the cosines use the voice's writing only.")
    lines.append(f"language {res['lang']}, {'sign-offs and links masked' if res['masked'] else 'texts as given'}, "
                 f"seed {res['seed']}; off-voice means score < {res['off_voice_below']:g}.")
    lines.extend(_protocol_notes(res))
    return "\n".join(lines)


def _protocol_notes(res: dict[str, Any]) -> list[str]:
    """What the figures leave out or treat otherwise: voices with too few texts, voices split without dates."""
    notes = []
    if res["left_out"]:
        notes.append("left out (fewer than 60 texts): " + ", ".join(f"{v} ({n})" for v, n in res["left_out"].items()))
    shuffled = [r["voice"] for r in res["voices"] if r.get("split") == "shuffled"]
    if shuffled:
        notes.append("split by a seeded shuffle, not by date (some or all of their texts are undated): "
                     + ", ".join(shuffled))
    return notes


def cmd_evaluate(args: argparse.Namespace) -> int:
    from .corpus import read_corpus
    from .evaluation import evaluate, evaluate_seeds

    if args.seeds is not None and args.seed is not None:
        raise InputError("give --seed (one run) or --seeds (several), not both", field="seed")
    docs = read_corpus([args.corpus])
    show = sys.stderr.isatty()
    options = dict(by=args.by, mask=args.mask, lang=args.lang, with_baselines=not args.no_baselines,
                   progress=(lambda v: print(f"evaluating {v}...", file=sys.stderr)) if show else None)
    if args.seeds is not None:
        res = evaluate_seeds(docs, _seed_list(args.seeds), **options)
        text = _seeds_table(res)
    else:
        res = evaluate(docs, seed=args.seed or 0, **options)
        text = _evaluation_table(res)
    print(json.dumps(res, ensure_ascii=False, indent=2) if args.format == "json" else text)
    return EXIT_OK


def _seed_list(text: str) -> list[int]:
    """'0,1,2' or '0-4' (both ends included)."""
    lo = hi = None
    try:
        if "," not in text and "-" in text.strip().lstrip("-"):
            lo, hi = (int(x) for x in text.split("-", 1))
            seeds = list(range(lo, hi + 1))
        else:
            seeds = [int(x) for x in text.split(",") if x.strip()]
    except ValueError:
        raise InputError(f"--seeds must be a list such as 0,1,2 or a range such as 0-4 (got {text!r})",
                         field="seeds") from None
    if lo is not None and hi is not None and lo > hi:
        raise InputError(f"--seeds range {text!r} runs backwards: write {hi}-{lo}", field="seeds")
    if not seeds or len(seeds) > 20 or min(seeds) < 0:
        raise InputError(f"--seeds must name 1 to 20 seeds, none negative (got {text!r}: {len(seeds)} "
                         f"seed{'' if len(seeds) == 1 else 's'}{', some negative' if seeds and min(seeds) < 0 else ''})",
                         field="seeds")
    return seeds


def _seeds_table(res: dict[str, Any]) -> str:
    runs, summary = res["runs"], res["summary"]
    methods = list(summary)
    head = ["seed"] + [f"{m} AUC (lowest voice)" for m in methods] + ["false flags"]
    rows = [head]
    for seed, run in zip(res["seeds"], runs):
        rows.append([str(seed)] + [f"{run['macro'][m]['auc']:.3f} ({run['macro'][m]['min_auc']:.3f})" for m in methods]
                    + [f"{100 * run['macro']['voicecheck']['false_flags']:.1f}%"])
    rows.append(["MEAN"] + [f"{summary[m]['auc']['mean']:.3f} ({summary[m]['min_auc']['mean']:.3f})" for m in methods]
                + [f"{100 * summary['voicecheck']['false_flags']['mean']:.1f}%"])
    lines = _columns(rows)
    vc = summary["voicecheck"]
    lines.append("")
    lines.append(f"over {len(runs)} seed{'' if len(runs) == 1 else 's'} (each decides which voices lend contrast "
                 f"writing and which are the "
                 f"strangers): voicecheck macro AUC {vc['auc']['min']:.3f} to {vc['auc']['max']:.3f}, lowest voice "
                 f"{vc['min_auc']['min']:.3f} to {vc['min_auc']['max']:.3f}.")
    first = runs[0]
    lines.append(f"language {first['lang']}, {'sign-offs and links masked' if first['masked'] else 'texts as given'}; "
                 f"off-voice means score < {first['off_voice_below']:g}. Per-seed tables: --format json.")
    lines.extend(_protocol_notes(first))
    return "\n".join(lines)


def cmd_report(args: argparse.Namespace) -> int:
    from .drift import check_span, drift_report, left_out_unasked, report_period
    from .report_render import render_report

    if args.out:  # before scoring: a folder, a device or a pipe is refused now, not after the wait
        _out_target(args.out)
    fmt = args.format or (os.path.splitext(args.out)[1].lstrip(".") if args.out else "md")
    fmt = {"htm": "html", "markdown": "md"}.get(fmt, fmt)
    if fmt not in ("html", "md", "json"):  # before scoring: a typo should not cost a long wait
        if args.format:
            raise InputError(f"--format must be html, md or json (got {fmt!r})", field="format")
        raise InputError(f"cannot tell the report format from --out {args.out!r} (its extension is "
                         f"{'.' + fmt if fmt else 'missing'}): name a .html, .md or .json file, or give --format",
                         field="format")
    extension = os.path.splitext(args.out or "")[1].lstrip(".").lower()
    named = {"htm": "html", "markdown": "md"}.get(extension, extension)
    if args.format and named in ("html", "md", "json") and named != fmt:  # html written into a .json file
        raise InputError(f"--format {fmt} but --out {args.out!r} names a .{named} file: give them the same format, "
                         "or leave out --format", field="format")
    report_period(args.since, args.until)  # a bad date too is said before scoring, not after it

    def span(docs: list[Any]) -> None:
        dated = [(d.date.date(), d.origin or d.label) for d in docs if d.date is not None]
        out = left_out_unasked([day for day, _ in dated], args.since, args.until)  # as the report leaves them out
        check_span([x for x, left in zip(dated, out) if not left], args.window, args.since, args.until)
        if docs and all(d.date is None for d in docs):
            raise InputError(_no_dates(docs))

    profile, _, results = _load_and_score(args.profile, args.posts, args.explain_in, check=span, once=True)
    # keep_latest: a post dated more than a year ahead (2062 for 2026) is left out and said in the summary, as the
    # service does: a monthly report had run to 2062 in 428 windows without a word (a content head's review)
    report = drift_report(results, profile, window=args.window, by=args.by, since=args.since, until=args.until,
                          explain_in=args.explain_in, keep_latest=True)
    content = render_report(report, fmt)
    if args.out:
        _write_atomic(args.out, content)
        n_windows, n_alerts = len(report["windows"]), len(report["alerts"])
        print(f"wrote {fmt} drift report to {args.out}: {n_windows} window{'' if n_windows == 1 else 's'}, "
              f"{n_alerts} alert{'' if n_alerts == 1 else 's'}\n{report['summary']}", file=sys.stderr)
    else:
        sys.stdout.write(content if content.endswith("\n") else content + "\n")
    return EXIT_OK


#: Words in a column name that say it holds a date: a social tool's "Data pubblicazione", "Published at", "Time".
_DATE_LIKE = ("date", "data", "time", "ora", "published", "pubblica", "created", "creat", "posted", "giorno", "day")


def _no_dates(docs: Sequence[Any]) -> str:
    """Why a report over posts of which none is dated stops before scoring, and which field looks like their date.

    Why an error, not a warning and an empty report: a monthly job that exported its posts without their dates
    wrote a report of 0 windows and exited 0, so nobody was told (a brand manager's review). And an export's
    "Data pubblicazione" column had been kept as metadata, every post scored, and only then the report said no
    post had a date (a user review with real exports).
    """
    fields = {k for d in docs[:50] for k, v in d.meta.items() if v not in (None, "")}
    looks = sorted(k for k in fields if any(w in k.lower() for w in _DATE_LIKE))
    hint = (f"; their field{'s' if len(looks) > 1 else ''} {', '.join(repr(k) for k in looks)} "
            f"look{'' if len(looks) > 1 else 's'} like a date: name the column \"date\" (or \"data\")") if looks \
        else ("; give each post a date (a \"date\" field in JSON Lines or CSV, \"date:\" in a Markdown file's front "
              "matter, <meta name=\"date\" content=\"...\"> in an HTML file's head; ISO 8601 such as 2026-03-02)")
    first = docs[0].origin or docs[0].label
    return (f"none of the {len(docs):,} posts has a date (the first: {first}), so a drift report has no window to put "
            f"them in{hint}")


def cmd_serve(args: argparse.Namespace) -> int:
    from voicecheck_api.server import serve

    serve(host=args.host, port=args.port, models_dir=args.models, db_url=args.db, access_log=args.access_log)
    return EXIT_OK


# ---------------------------------------------------------------------- parser
def _explain_in_option(parser: argparse.ArgumentParser, what: str) -> None:
    from .wording import SPOKEN

    parser.add_argument("--explain-in", choices=SPOKEN, metavar="LANG", type=str.lower,
                        help=f"language of {what}: {' or '.join(SPOKEN)} (default: the profile's language, "
                             "English for a language voicecheck does not explain in)")


def _seed(text: str) -> int:
    """A seed of 0 or more: -1 was taken, and failed as an internal error after minutes of work (a review)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid int value: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more (got {text!r})")
    return value


def _formats(*names: str) -> Callable[[str], str]:
    """The ``--format`` of a command that writes ``names``: ``markdown`` is ``md``, ``htm`` is ``html``, and every
    format in any case (``JSON``), as ``--out``'s extension is read. A format the command does not write is named
    as typed: argparse's own check, after the conversion, had said "invalid choice: 'html'" of ``--format htm``."""
    def format_name(value: str) -> str:
        name = {"markdown": "md", "htm": "html"}.get(value.lower(), value.lower())
        if name not in names:
            raise argparse.ArgumentTypeError(f"invalid choice: '{value}' (choose from {', '.join(names)})")
        return name
    return format_name


def _format_option(parser: argparse.ArgumentParser, names: tuple[str, ...], **kwargs: Any) -> None:
    parser.add_argument("--format", type=_formats(*names), metavar="{" + ",".join(names) + "}", **kwargs)


def _channel_label(text: str) -> str:
    """A channel label, spaced and checked as a file's own is (``corpus.check_label``), said of ``--channel``."""
    from .corpus import check_label
    from .errors import InputError

    label = " ".join(text.split())
    if not label:
        raise argparse.ArgumentTypeError("a channel label cannot be blank")
    try:
        check_label(label, "channel")
    except InputError as e:
        raise argparse.ArgumentTypeError(str(e).replace('field "channel"', "the label")) from None
    return label


def _score_bound(text: str) -> float:
    """A score between 0 and 100: a gate that can never fail (nan, 150, -5) is a mistake, not a setting.

    A decimal comma is read as the Italian table prints scores ("5,5"): it had been refused (an Italian review).
    """
    try:
        value = float(text.replace(",", ".", 1) if re.fullmatch(r"\s*\d+,\d+\s*", text) else text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number from 0 to 100 (got {text!r})") from None
    if not 0.0 <= value <= 100.0:  # also false for nan
        raise argparse.ArgumentTypeError(f"must be a number from 0 to 100 (got {text!r})")
    return value


class _Parser(argparse.ArgumentParser):
    """argparse with the one-line usage errors of design 3.2 (exit 2, no usage dump)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_ERROR, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="voicecheck", description="Keep a brand's writing voice consistent: learn "
                                "a voice from its own writing, score drafts, report drift.")
    p.add_argument("--version", action="version", version=f"voicecheck {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", required=True, parser_class=_Parser)

    s = sub.add_parser("learn", help="learn a voice profile from the brand's own writing")
    s.add_argument("corpus", nargs="+", metavar="CORPUS", help="files or folders (.txt .md .html .jsonl .csv, - for stdin)")
    s.add_argument("--out", required=True, metavar="DIR", help="profile folder to write")
    s.add_argument("--name", help="profile name (default: that of the profile already in --out, else the "
                   "folder name)")
    s.add_argument("--lang", default="auto", help="language code: auto (default), en, it, ...")
    s.add_argument("--since", metavar="DATE", help="learn only from writing dated from this day (ISO 8601, "
                   "inclusive; a month 2026-05 or week 2026-W18 from its first day): to learn a new version "
                   "from recent writing")
    s.add_argument("--until", metavar="DATE", help="learn only from writing dated up to this day (inclusive; a month "
                   "or week to its last day)")
    s.add_argument("--contrast", action="append", metavar="CORPUS",
                   help="writing that is NOT the brand (other brands, the agency's other clients); repeatable")
    s.set_defaults(func=cmd_learn)

    s = sub.add_parser("score", help="score drafts against a profile")
    s.add_argument("input", nargs="+", metavar="INPUT", help="files or folders of drafts, - for JSON Lines on stdin")
    s.add_argument("--profile", required=True, metavar="DIR")
    _format_option(s, ("table", "md", "json", "jsonl"),
                   help="table on a terminal, jsonl when piped (default); md: a Markdown table, for a pull request")
    s.add_argument("--fail-under", type=_score_bound, metavar="SCORE",
                   help="exit 1 also when a draft scores under SCORE (0 to 100); an off-voice draft fails "
                        "whatever SCORE (--fail-under 0 included), and a too-short one has no score to trust and "
                        "passes, unless it breaks one of the brand's rules (then it is off-voice)")
    s.add_argument("--channel", type=_channel_label, metavar="LABEL",
                   help="the channel of drafts that do not say theirs (newsletter, instagram): their score and "
                        "reasons compare them with the brand's posts there too, when the profile learned 10 or more "
                        "of them")
    _explain_in_option(s, "the reasons")
    s.set_defaults(func=cmd_score)

    s = sub.add_parser("describe", help="print the voice card of a profile")
    s.add_argument("--profile", required=True, metavar="DIR")
    _format_option(s, ("text", "md", "json"), default="text")
    _explain_in_option(s, "the card")
    s.set_defaults(func=cmd_describe)

    s = sub.add_parser("report", help="periodic drift report over dated posts")
    s.add_argument("posts", nargs="+", metavar="POSTS")
    s.add_argument("--profile", required=True, metavar="DIR")
    s.add_argument("--window", choices=("day", "week", "month"), default="week")
    s.add_argument("--by", choices=("source", "channel", "author"))
    s.add_argument("--since", metavar="DATE", help="first day to report (ISO 8601, inclusive; a month "
                   "2026-05 or week 2026-W18 from its first day)")
    s.add_argument("--until", metavar="DATE", help="last day to report (ISO 8601, inclusive; a month or "
                   "week to its last day)")
    _format_option(s, ("html", "md", "json"), help="default: from --out's extension, else md")
    s.add_argument("--out", metavar="FILE", help="write the report here (whole or not at all)")
    _explain_in_option(s, "the report and its posts' reasons")
    s.set_defaults(func=cmd_report)

    s = sub.add_parser("evaluate", help="measure how well voices are told apart (the protocol of the README's 'How well it separates voices')")
    s.add_argument("corpus", metavar="CORPUS", help="multi-voice JSON Lines with voice, text, date")
    s.add_argument("--by", default="voice", help="field naming the voice (default: voice)")
    _format_option(s, ("table", "json"), default="table")
    s.add_argument("--mask", action="store_true", help="mask sign-offs (^JS, -Pia, /SF: any last capitalised word "
                   "after a dash, slash or caret) and links")
    s.add_argument("--lang", default="auto")
    s.add_argument("--seed", type=_seed, help="which voices lend contrast writing and which are strangers (default 0)")
    s.add_argument("--seeds", metavar="LIST",
                   help="run once per seed (0,1,2 or 0-4) and report each figure's mean and range")
    s.add_argument("--no-baselines", action="store_true", help="skip the reference baselines")
    s.set_defaults(func=cmd_evaluate)

    s = sub.add_parser("serve", help="run the HTTP service (FastAPI on uvicorn)")
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=8000)
    s.add_argument("--models", default=os.environ.get("VOICECHECK_MODELS_DIR", "models"), metavar="DIR")
    s.add_argument("--db", default=os.environ.get("VOICECHECK_DB_URL"), metavar="URL",
                   help="history database: sqlite:///path or postgresql://... (default: sqlite in the models dir)")
    s.add_argument("--access-log", action="store_true",
                   help="log one line per request (off by default: a proxy in front usually logs them)")
    s.set_defaults(func=cmd_serve)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:  # started with the stream closed (`>&-`): Python leaves None there
            # What would be written is dropped, as after `| head`; the exit code still says how it went (an
            # AttributeError on None had turned an all-on-voice run into exit 1, a failed gate).
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("always", VoicecheckWarning)
            warnings.showwarning = _show_warning
            return int(args.func(args))
    except VoicecheckError as e:
        print(f"voicecheck: error: {e}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("voicecheck: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader of stdout went away (describe or report | head)
        _stdout_gone()
        return EXIT_OK
    except OSError as e:
        where = e.filename or "writing the output"
        print(f"voicecheck: error: {where}: {e.strerror or e}", file=sys.stderr)
        return EXIT_ERROR
    except Exception as e:  # a bug: not exit 1, which a CI gate reads as "off-voice"
        if os.environ.get("VOICECHECK_DEBUG"):
            raise
        print(f"voicecheck: internal error: {type(e).__name__}: {e} (set VOICECHECK_DEBUG=1 for the traceback, "
              "and please report it)", file=sys.stderr)
        return EXIT_INTERNAL


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    """voicecheck's own warnings as one ``warning:`` line; any other warning as Python shows it."""
    if issubclass(category, VoicecheckWarning):
        print(f"warning: {message}", file=sys.stderr)
    else:
        sys.stderr.write(warnings.formatwarning(message, category, filename, lineno, line))


def run() -> None:
    """The console entry point: ``main()``, then exit without tearing the interpreter down.

    Why: unloading torch at interpreter exit takes about 0.6 s, a fifth of a one-draft
    ``voicecheck score``. Every command has closed what it wrote (reports are written
    whole, then renamed), so once the standard streams are flushed nothing is left to do.
    """
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):  # the reader went away, or a stream was closed
        pass
    os._exit(code)


if __name__ == "__main__":  # pragma: no cover
    run()
