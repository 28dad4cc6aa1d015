"""Read writing from files, folders and standard input into Documents.

Formats (design 3.1): ``.txt``, ``.md``, ``.html`` are one document per file;
``.jsonl`` and ``.csv`` are one document per line or row with a required ``text``;
``-`` is JSON Lines on standard input. Every error names the file and the line.
No NLP and no models here: reading must stay cheap and strict.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sys
import unicodedata
import warnings
from collections import Counter
from dataclasses import replace
from collections.abc import Iterable, Iterator, Mapping, Sequence
from html import unescape as _unescape
from html.parser import HTMLParser
from pathlib import Path
from typing import IO, Any

from .documents import (MAX_TEXT_CHARS, METADATA_FIELDS, Document, as_documents, length_problem, parse_date,
                        plain_spaces, unicode_problem)
from .errors import InputError, VoicecheckWarning
from .language import language_label

__all__ = ["read_corpus", "read_documents", "documents_from_records", "distinct_posts", "check_label", "MARKUPS",
           "MAX_TEXT_CHARS", "MAX_FILE_BYTES", "SUPPORTED_SUFFIXES"]

#: An id, source, channel, author or lang longer than this is refused: it is a text in the wrong column, or
#: a client's bug, and it would fill every report that names the post.
MAX_LABEL_CHARS = 300

SUPPORTED_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".jsonl", ".csv")

#: Largest one-document file read (.txt, .md, .html). The text limit applies to the text
#: extracted: a saved web page is mostly markup, scripts and styles around a short text,
#: but a file this big is no post and is refused before it is parsed.
MAX_FILE_BYTES = 20_000_000


def read_corpus(paths: Iterable[str | os.PathLike[str]] | str | os.PathLike[str], *,
                stdin: IO[str] | None = None) -> list[Document]:
    """Read every document from ``paths`` (files, folders, or ``-`` for stdin); one path alone works too.

    Raises ``InputError`` naming the file (and line) of each bad input, every one of them (a file's
    first problem; at most ``MAX_PROBLEMS_SAID``), and when the paths hold no document at all.
    """
    if isinstance(paths, (str, os.PathLike)):  # not its characters, one by one, as paths
        paths = [paths]
    if not isinstance(paths, Iterable) or isinstance(paths, (bytes, Mapping)):  # None: a TypeError (a library review)
        raise InputError(f"paths must be a path or a list of paths, got {type(paths).__name__}", field="paths")
    docs: list[Document] = []
    names: list[str] = []
    problems: list[InputError] = []
    for raw in paths:
        if not isinstance(raw, (str, os.PathLike)):  # not a TypeError from deep in pathlib
            raise InputError(f"paths must be file or folder paths (str or os.PathLike), got {type(raw).__name__}",
                             field="paths")
        names.append(str(raw))
        docs.extend(_readable(raw, stdin, problems))
    if len(problems) == 1:
        raise problems[0]
    if problems:
        # A CI job over a pull request's drafts learns of every file to fix in one run, not one per run.
        said = "\n".join(f"  {p}" for p in problems[:MAX_PROBLEMS_SAID])
        more = f"\n  and {len(problems) - MAX_PROBLEMS_SAID} more" if len(problems) > MAX_PROBLEMS_SAID else ""
        raise InputError(f"{len(problems)} inputs cannot be read, so none was used:\n{said}{more}", problems=problems)
    if not docs:
        raise InputError("no documents found", path=", ".join(names) or "(no input)")
    _tell_same_names_apart(docs)
    return docs


#: A read that finds several bad inputs names at most this many of them.
MAX_PROBLEMS_SAID = 20


def _readable(path: str | os.PathLike[str], stdin: IO[str] | None, problems: list[InputError]) -> list[Document]:
    """The documents of ``path``; each file that cannot be read adds its error to ``problems`` instead."""
    try:
        folder = str(path) != "-" and Path(path).is_dir()
    except OSError as e:  # a name too long for the system, say: is_dir() asks it
        problems.append(InputError(f"cannot be read: {e.strerror or e}", path=str(path)))
        return []
    if not folder:
        try:
            return list(read_documents(path, stdin=stdin))
        except InputError as e:
            problems.append(e)
            return []
    docs: list[Document] = []
    try:
        files = _folder_files(Path(path))
    except InputError as e:
        problems.append(e)
        return []
    for f in files:
        try:
            docs.extend(_read_file(f, f.relative_to(path).as_posix()))
        except InputError as e:
            problems.append(e)
    return docs


def _tell_same_names_apart(docs: list[Document]) -> None:
    """Files named on their own are known by their file name, unless two share it: then by their path.

    ``score a/post.txt b/post.txt`` must give two results a CI job can tell apart.
    """
    by_name: dict[str, list[int]] = {}
    for i, d in enumerate(docs):
        if d.origin and d.id == Path(d.origin).name:  # a one-document file, not a folder's or a record's id
            by_name.setdefault(d.id, []).append(i)
    for same in by_name.values():
        if len({docs[i].origin for i in same}) > 1:
            for i in same:
                docs[i] = replace(docs[i], id=Path(docs[i].origin).as_posix())


def read_documents(path: str | os.PathLike[str], *, stdin: IO[str] | None = None) -> Iterator[Document]:
    """Yield the documents of one path: a file, a folder (recursively) or ``-``."""
    if str(path) == "-":
        stream = stdin if stdin is not None else sys.stdin
        yield from _read_jsonl_lines(stream, "<stdin>")
        return
    p = Path(path)
    if p.is_dir():
        for f in _folder_files(p):  # the path under the folder: a/post.txt and b/post.txt are two documents
            yield from _read_file(f, f.relative_to(p).as_posix())
        return
    if not p.exists():
        raise InputError("no such file or folder", path=str(p))
    yield from _read_file(p)


def _folder_files(p: Path) -> list[Path]:
    """The files of folder ``p`` that voicecheck reads (hidden ones left out), in path order; the others said."""
    shown = [f for f in p.rglob("*") if not any(part.startswith(".") for part in f.relative_to(p).parts)]
    visible = [f for f in shown if f.is_file()]
    readable = sorted(f for f in visible if f.suffix.lower() in SUPPORTED_SUFFIXES)
    kept: dict[Path, Path] = {}  # a link to a file the folder already holds is one post, read once, by its file
    for f in sorted(readable, key=lambda f: (f.is_symlink(), f)):
        kept.setdefault(f.resolve(), f)
    files = [f for f in readable if kept[f.resolve()] == f]
    twice = [(f, kept[f.resolve()]) for f in readable if kept[f.resolve()] != f]
    if not files:
        raise InputError(f"folder holds no {', '.join(SUPPORTED_SUFFIXES)} files", path=str(p))
    _warn_skipped(p, [f for f in visible if f.suffix.lower() not in SUPPORTED_SUFFIXES])
    broken = [f for f in shown if f.is_symlink() and not f.exists()]
    if broken:
        warnings.warn(VoicecheckWarning(
            f"{p}: {len(broken)} link{'' if len(broken) == 1 else 's'} to nothing not read (such as "
            f"{broken[0].relative_to(p).as_posix()})"), stacklevel=3)
    if twice:
        link, first = twice[0]
        warnings.warn(VoicecheckWarning(
            f"{p}: {len(twice)} file{'' if len(twice) == 1 else 's'} not read twice, being another file under "
            f"another name (such as {link.relative_to(p).as_posix()}, which is {first.relative_to(p).as_posix()})"),
            stacklevel=3)
    return files


def _warn_skipped(folder: Path, skipped: list[Path]) -> None:
    """Say which files of a folder were not read: a brand's .docx posts left out silently would shrink the voice."""
    if not skipped:
        return
    kinds = Counter(f.suffix.lower() or "(no extension)" for f in skipped)
    which = ", ".join(f"{n} {kind}" for kind, n in kinds.most_common())
    first = skipped[0].relative_to(folder).as_posix()
    warnings.warn(VoicecheckWarning(
        f"{folder}: {len(skipped)} file{'' if len(skipped) == 1 else 's'} not read ({which}, such as {first}); "
        f"voicecheck reads {', '.join(SUPPORTED_SUFFIXES)}"), stacklevel=3)


#: A record's optional ``markup``: how to read its ``text``. A CMS sends a post's HTML (a WordPress comment
#: ``<!-- wp:paragraph -->`` holds an exclamation mark); read as HTML, it is scored as a .html file is.
MARKUPS = ("text", "markdown", "html")


def documents_from_records(records: Iterable[Mapping[str, Any]], *, origin: str = "<records>",
                           start: int = 1) -> list[Document]:
    """Turn already-parsed records (API bodies, JSON) into Documents with the same checks as files.

    ``start``: the position of the first record, which names a record without an ``id`` (``origin:position``).
    """
    if isinstance(records, (str, bytes, Mapping)):
        raise InputError(f"expected a list of records (dicts with a \"text\" field), got a single "
                         f"{type(records).__name__}", path=origin)
    docs = []
    for i, record in enumerate(records, start=start):
        if not isinstance(record, Mapping):
            raise InputError(f"expected a record (a dict with a \"text\" field), got {type(record).__name__}",
                             path=origin, line=i)
        docs.append(_record_to_document(record, origin, i))
    return docs


def _read_file(p: Path, doc_id: str | None = None) -> Iterator[Document]:
    suffix = p.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise InputError(f"unsupported file type {suffix or '(none)'!r}; use one of {', '.join(SUPPORTED_SUFFIXES)}",
                         path=str(p))
    text = _decode(p)
    if suffix == ".jsonl":
        yield from _read_jsonl_lines(io.StringIO(text), str(p))
    elif suffix == ".csv":
        yield from _read_csv(text, str(p))
    else:
        markdown = suffix in (".md", ".markdown")
        body = _html_to_text(text) if suffix in (".html", ".htm") else (_markdown_to_text(text) if markdown else text)
        body = body.strip()
        if not _visible(body):
            raise InputError("file holds no text" + (" (only invisible characters, such as zero-width spaces)"
                                                     if body else ""), path=str(p))
        _check_length(body, str(p), None)
        labels = (_front_matter_labels(text, str(p)) if markdown
                  else _html_meta_labels(text, str(p)) if suffix in (".html", ".htm") else {})
        yield Document(text=body, id=doc_id or p.name, origin=str(p), **labels)


#: Italian names of the known fields, as an Italian team writes them: a spreadsheet's columns, a Markdown file's
#: front matter keys and an HTML page's <meta> names. One table for the three: front matter's "data:", "fonte:" and
#: "canale:" were left out without a word where the same CSV's "Data", "Fonte" and "Canale" were read (an Italian
#: insurer's communications head).
_ITALIAN_NAMES = {"testo": "text", "data": "date", "fonte": "source", "canale": "channel", "autore": "author",
                  "lingua": "lang"}

#: Front matter keys read as a Markdown file's labels (YAML or TOML, as Hugo, Jekyll and Eleventy write them):
#: a content repository's posts carry their date there, and a drift report over them needs it; ``source`` and
#: ``channel`` too, which ``report --by`` groups on (an agency's newsletters had formed a "(none)" group of their own).
#: Any case: "Channel: stories" was left out without a word, where <meta name="CHANNEL"> was read (a review).
#: Italian keys come after the fields' own names: "date:" is read before "data:".
_FRONT_MATTER_KEYS = {"date": "date", "author": "author", "source": "source", "channel": "channel", "lang": "lang",
                      "language": "lang", **{k: v for k, v in _ITALIAN_NAMES.items() if v != "text"}}
_FRONT_MATTER_LINE = re.compile(r"^([A-Za-z_][\w.-]*)[ \t]*[:=][ \t]*(.*?)[ \t]*$")


def _front_matter_labels(raw: str, name: str, record_line: int | None = None) -> dict[str, str]:
    """``date``, ``author``, ``source``, ``channel`` and ``lang`` (or ``language``, or their Italian names) from a
    Markdown file's front matter.

    A value that cannot be used (a date that is not one, ``date: Last Modified``, a list of authors) is
    said in a warning with its line and left out: the front matter was written for the site, not for
    voicecheck, so it does not stop the run as a bad date in a JSON Lines file does. Front matter that is
    never closed does (``_unclosed_front_matter``). ``record_line``: the front matter is that of a record's
    ``text`` (``markup: markdown``), on that line of file ``name``.
    """
    raw = raw.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    head = _front_matter_block(raw)
    if not head:
        _unclosed_front_matter(raw, name, record_line)
        return {}
    given: list[tuple[int, str, str, str]] = []  # line, key as written, field, value
    for lineno, line in enumerate(head.group(0).split("\n")[1:], start=2):
        if line.startswith("["):
            break  # a TOML table: the keys after it are the table's, not the post's
        m = _FRONT_MATTER_LINE.match(line)
        if m and m.group(1).lower() in _FRONT_MATTER_KEYS:
            given.append((lineno, m.group(1), _FRONT_MATTER_KEYS[m.group(1).lower()], m.group(2)))
    given.sort(key=lambda g: g[1].lower() in _ITALIAN_NAMES)
    found: dict[str, str] = {}
    for lineno, written, key, value in given:
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1].strip()
        else:
            value = re.sub(r"\s+#.*$", "", value)  # "date: 2024-01-15  # published": a comment
        where = (f"{name}:{lineno}: front matter {written}" if record_line is None
                 else f"{name}:{record_line}: field \"text\", front matter {written} (its line {lineno})")
        if value and key not in found and _usable_label(key, value, where, yaml=True):
            found[key] = value
    return found


def _unclosed_front_matter(raw: str, name: str, record_line: int | None) -> None:
    """Refuse front matter opened by a first line ``---`` (or TOML's ``+++``) and never closed.

    Why: its keys were scored as the draft's words ("usa parole che il brand non ha mai usato: 'date', 'source',
    'agency', 'channel', 'linkedin'") and its date and channel were lost, without a word (an Italian insurer's
    communications head). Front matter is told from a horizontal rule opening the file by what follows it at once:
    two ``key: value`` lines, or one whose key is a label voicecheck reads; a rule followed by prose, or by a blank
    line, is read as it always was.
    """
    if not raw.startswith(("---", "+++")):
        return
    lines = raw.split("\n")
    opening = lines[0].rstrip(" \t")
    if opening not in ("---", "+++") or len(lines) < 2:
        return
    keys = []
    for line in lines[1:]:
        m = _FRONT_MATTER_LINE.match(line)
        if m:
            keys.append(m.group(1))
        elif not keys or not line.strip() or line[0] not in " \t-#":  # past a key: its list, nested keys, comments
            break
    if not keys or len(keys) < 2 and keys[0].lower() not in _FRONT_MATTER_KEYS:
        return
    said = ", ".join(keys[:5]) + (", ..." if len(keys) > 5 else "")
    what = (f"front matter opened here is never closed (no closing {opening!r} line): its keys ({said}) would be "
            f"read as the post's words; add a {opening!r} line after its last key"
            + (" (or, if the '---' is a horizontal rule, a blank line after it)" if opening == "---" else ""))
    if record_line is None:
        raise InputError(what, path=name, line=1)
    raise InputError(f"field \"text\": {what.replace('opened here', 'opened on its line 1', 1)}", path=name,
                     line=record_line, field="text")


def _usable_label(key: str, value: str, where: str, *, yaml: bool = False) -> bool:
    """Whether a label a file gives itself (front matter, ``<meta>``) can be used; if not, a warning says why
    (``where``: the file and the label, as the warning names them), and the file is read without it. ``yaml``:
    front matter, where ``[a, b]`` is a list."""
    try:
        if key == "date":
            parse_date(value)
        elif key == "lang":
            language_label(value)
        elif yaml and value[0] in "[{":
            closing = "]" if value[0] == "[" else "}"
            raise ValueError(f"a list; give one {key}" if closing in value else
                             f"'{value[0]}' is never closed (not YAML); give one {key}")
        else:
            check_label(value, key)
    except ValueError as e:  # InputError is one too
        why = e.detail if isinstance(e, InputError) else str(e)
        warnings.warn(VoicecheckWarning(f"{where} not used: {why}"), stacklevel=6)
        return False
    return True


#: An HTML page's own date and author, as publishing tools write them in its head: an exported newsletter or blog
#: post could not go into a drift report ("none of the 3 posts has a date": a fashion brand's review). Its channel
#: and source too, as a Markdown file's front matter gives them: a newsletter exported as a page was explained
#: against the brand's short posts ("151 words; the brand's texts: 38") where the profile keeps its newsletters.
#: Their Italian names too, after the fields' own (``_ITALIAN_NAMES``).
_HTML_META_LABEL = {"date": "date", "dc.date": "date", "dcterms.created": "date", "dcterms.date": "date",
                    "publish-date": "date", "pubdate": "date", "article:published_time": "date", "author": "author",
                    "channel": "channel", "source": "source",
                    **{k: v for k, v in _ITALIAN_NAMES.items() if v in ("date", "author", "channel", "source")}}
#: A publication date outranks a generic "date", which some tools write as the page's last change (a review).
_PUBLISHED = frozenset({"article:published_time", "dcterms.created", "publish-date", "pubdate"})
_META_TAG = re.compile(r"<meta\b[^>]*>", re.I)
_META_ATTR = re.compile(r"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")


def _html_meta_labels(raw: str, name: str) -> dict[str, str]:
    """``date``, ``author``, ``channel`` and ``source`` (or their Italian names) from an HTML page's ``<meta
    name=... content=...>`` (or ``property=``, as ``article:published_time``), the first of each. A value that
    cannot be used is said in a warning and left out, as front matter's is, and so is a second channel or source
    that differs from the first (a page naming two channels was scored as the first without a word: a brand
    manager's review)."""
    found: dict[str, str] = {}
    raw = re.sub(r"<!--.*?-->", "", raw, flags=re.S)  # a commented-out tag is no label
    body = re.search(r"<body\b", raw, re.I)
    tags = [{k.lower(): a or b or c for k, a, b, c in _META_ATTR.findall(tag)}
            for tag in _META_TAG.findall(raw[:body.start()] if body else raw)]
    tags.sort(key=lambda attrs: ((attrs.get("name") or attrs.get("property") or "").lower() not in _PUBLISHED,
                                 (attrs.get("name") or "").lower() in _ITALIAN_NAMES))  # "date" before "data"
    for attrs in tags:
        key = _HTML_META_LABEL.get((attrs.get("name") or attrs.get("property") or "").lower())
        value = _unescape(attrs.get("content", "")).strip()
        if key in ("channel", "source") and key in found and value and " ".join(value.split()).casefold() != \
                " ".join(found[key].split()).casefold():
            warnings.warn(VoicecheckWarning(f"{name}: <meta> {key} {value!r} not used: the page names {key} "
                                            f"{found[key]!r} first"), stacklevel=5)
        if key is not None and value and key not in found and _usable_label(key, value, f"{name}: <meta> {key}"):
            found[key] = value
    return found


def _decode(p: Path) -> str:
    data = p.read_bytes()
    if len(data) > MAX_FILE_BYTES and p.suffix.lower() not in (".jsonl", ".csv"):
        raise InputError(f"file is {len(data):,} bytes; a one-document file may be at most {MAX_FILE_BYTES:,} bytes "
                         f"(and its text at most {MAX_TEXT_CHARS:,} characters)", path=str(p))
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with its BOM: Notepad's "Unicode", PowerShell 5's >
        try:
            data = data.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError as e:
            raise InputError(f"a UTF-16 file (it starts with a UTF-16 byte order mark) with bytes that are not "
                             f"UTF-16 text at byte {e.start}; save it as UTF-8", path=str(p)) from None
    for magic, kind in _CONTAINERS:
        # by its first bytes, when it is not text (a Markdown file may open with "%PDF files are..."); RTF is
        # ASCII, and its "{\rtf" opening is nothing else
        if data.startswith(magic) and (magic == b"{\\rtf" or b"\x00" in data[:4096] or not _utf8(data)):
            raise InputError(f"this is {kind}, not text: save it as plain text (.txt) or Markdown (.md), or paste "
                             f"its text into one", path=str(p))
    utf16 = _utf16_without_bom(data)
    if utf16:
        raise InputError(f"this looks like UTF-16 text without a byte order mark, as some Windows tools save it: "
                         f"save it as UTF-8, or convert it with: iconv -f {utf16} -t utf-8", path=str(p))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        column = e.start - data.rfind(b"\n", 0, e.start)  # counted in bytes, from 1, within the line named
        raise InputError(f"bytes that are not UTF-8 text at byte {column} of the line "
                         f"({_not_utf8_hint(data, e.start)})", path=str(p), line=line) from None
    nul = text.find("\x00")
    if nul >= 0:
        raise InputError("NUL bytes: this looks like a binary file, not text", path=str(p),
                         line=text.count("\n", 0, nul) + 1)
    return text


def _utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _utf16_without_bom(data: bytes) -> str | None:
    """``utf-16le`` or ``utf-16be`` when ``data`` reads as UTF-16 text with no byte order mark, else None.

    Why: such a file was "bytes that are not UTF-8 ... (is this a binary file?)" at its line 2, or "NUL bytes" when
    its text was plain ASCII (a brand manager's review). Text of the Latin scripts in UTF-16 has a zero byte in
    nearly every pair, on the same side; a binary file does not.
    """
    head = data[:4096]
    if len(head) < 8 or b"\x00" not in head:
        return None
    even, odd = head[0::2], head[1::2]
    zeros_even, zeros_odd = even.count(0) / len(even), odd.count(0) / len(odd)
    if zeros_odd >= 0.4 and zeros_even < 0.05:
        return "utf-16le"
    if zeros_even >= 0.4 and zeros_odd < 0.05:
        return "utf-16be"
    return None


#: Files that are not text at all, by their first bytes: a Word document renamed .md was "is this a binary
#: file?" (a content lead's review), where its kind says what to do.
_CONTAINERS = ((b"PK\x03\x04", "a ZIP archive, as a Word (.docx) or OpenDocument (.odt) document is"),
               (b"%PDF", "a PDF document"), (b"\xd0\xcf\x11\xe0", "an old Word (.doc) or Excel (.xls) document"),
               (b"{\\rtf", "an RTF document"))


def _not_utf8_hint(data: bytes, at: int) -> str:
    """What a file that is not UTF-8 probably is, and what to do (``at``: the first byte that is not UTF-8).

    Why: Excel's plain "CSV" and older Windows editors save Windows-1252, where "è" is one
    byte; calling such a file binary sends the user looking for the wrong problem. So does it for a UTF-8 file
    with one character pasted from a Windows-1252 text (a "£").
    """
    if b"\x00" not in data:
        decoded = data.decode("utf-8", errors="replace")
        # more UTF-8 letters and marks than bytes that are not: a Windows-1252 file can hold a pair that reads as
        # UTF-8 by chance ("È»"), and every accented letter of it would be wrong
        if sum(1 for c in decoded if ord(c) > 127 and c != "\ufffd") > decoded.count("\ufffd"):
            # UTF-8 letters and marks elsewhere ("’", "é"): one pasted from a Windows-1252 text ("£" is 0xA3 there)
            seen = bytes([data[at]]).decode("cp1252", errors="replace")
            shown = f" (in Windows-1252, \"{seen}\")" if seen.isprintable() and seen != "\ufffd" else ""
            return (f"the file is UTF-8 elsewhere, but byte 0x{data[at]:02X}{shown} is not: probably pasted from "
                    f"another program; type that character again, or save the file as UTF-8")
        try:
            data.decode("cp1252")
        except UnicodeDecodeError:
            pass
        else:
            return ("it looks like Windows-1252, as Excel's \"CSV\" and older Windows editors save: save it as "
                    "\"CSV UTF-8\" or UTF-8, or convert it with: iconv -f cp1252 -t utf-8")
    return "is this a binary file?"


def _check_unicode(value: str, field: str, path: str, line: int | None) -> None:
    problem = unicode_problem(value)
    if problem:
        raise InputError(f"field \"{field}\" {problem}", path=path, line=line, field=field)


def _visible(text: str) -> bool:
    """Whether ``text`` shows anything: zero-width spaces and joiners alone (format characters) do not."""
    return any(not c.isspace() and unicodedata.category(c) != "Cf" for c in text)


def _check_length(text: str, path: str, line: int | None) -> None:
    too_long = length_problem(text)
    if too_long:
        raise InputError(too_long, path=path, line=line, field="text")


def _read_jsonl_lines(stream: IO[str], name: str) -> Iterator[Document]:
    without_text: list[int] = []
    for lineno, line in enumerate(stream, start=1):
        if lineno == 1 and line.startswith("\ufeff"):  # files lose their BOM in _decode; stdin keeps it
            line = line[1:]
        if "\x00" in line:
            raise InputError("NUL bytes: this looks like a binary file, not JSON Lines", path=name, line=lineno)
        if not line.strip():
            continue
        try:
            line.encode("utf-8")
        except UnicodeEncodeError:  # stdin decoded with surrogateescape: undecodable bytes
            raise InputError("bytes that are not UTF-8 text (is this a binary file?)", path=name,
                             line=lineno) from None
        try:
            record = json.loads(line.rstrip("\r\n"))  # the line ending is not part of the record
        except json.JSONDecodeError as e:
            what = e.msg[:-3] if e.msg.endswith(" at") else e.msg  # "Invalid control character at"
            hint = _json_hint(line, e)
            if not hint and lineno == 1 and line.lstrip().startswith("["):
                hint = " (the file looks like one JSON array: JSON Lines holds one object per line)"
            raise InputError(f"invalid JSON ({what} at column {e.colno}){hint}{_later_bad_json(stream, lineno)}",
                             path=name, line=lineno) from None
        except (ValueError, RecursionError) as e:  # Python's own limits, which a generated file can reach
            why = "nested too deeply to be read" if isinstance(e, RecursionError) else "a number of over 4,300 digits"
            raise InputError(f"invalid JSON ({why})", path=name, line=lineno) from None
        if not isinstance(record, dict):
            array = " (JSON Lines holds one object per line, not an array of them)" \
                if isinstance(record, list) and record and all(isinstance(r, dict) for r in record) else ""
            raise InputError(f"expected a JSON object with a \"text\" field, got {_kind_of(record)}{array}",
                             path=name, line=lineno)
        if _no_text(record):
            without_text.append(lineno)
            continue
        try:
            document = _record_to_document(record, name, lineno)
        except InputError as e:
            raise _with_later_dates(e, _later_dates(stream, lineno)) from None
        yield document
    _warn_without_text(name, without_text)


def _json_hint(line: str, e: json.JSONDecodeError) -> str:
    """What a brand manager's editor usually got wrong, said plainly: "Extra data" and "Expecting property name"
    are a comma after the object or before its closing brace (a fashion brand's review)."""
    before = line[:e.pos].rstrip()
    if e.msg.startswith("Extra data") and line[e.pos:].strip() == ",":
        return " (a comma after the closing }: a line of JSON Lines ends with its object)"
    if e.msg.startswith("Expecting property name") and before.endswith(",") and line[e.pos:].lstrip()[:1] == "}":
        return " (a comma before the closing }: JSON takes none after the last field)"
    return ""


def _later_bad_json(stream: IO[str], lineno: int) -> str:
    """'; 2 more lines after it are not JSON either (lines 3, 4)': the whole file's to fix, at once."""
    bad = []
    for n, line in enumerate(stream, start=lineno + 1):
        if line.strip():
            try:
                json.loads(line)
            except (ValueError, RecursionError):
                bad.append(n)
    if not bad:
        return ""
    shown = ", ".join(map(str, bad[:5])) + (", ..." if len(bad) > 5 else "")
    return (f"; {'1 more line' if len(bad) == 1 else f'{len(bad):,} more lines'} after it "
            f"{'is' if len(bad) == 1 else 'are'} not valid JSON either (line{'s' if len(bad) > 1 else ''} {shown})")


def _later_dates(stream: IO[str], lineno: int) -> Iterator[tuple[int, Any]]:
    """The ``date`` of each later line that is a JSON object (the rest of the file, read once it failed)."""
    for n, line in enumerate(stream, start=lineno + 1):
        try:
            record = json.loads(line)
        except (ValueError, RecursionError):  # not JSON, or past Python's limits: no date to say
            continue
        if isinstance(record, dict):
            yield n, record.get("date")


def _no_text(record: Mapping[str, Any]) -> bool:
    """A row of an export whose text is empty: a photo or a video posted without a caption."""
    text = record.get("text")
    return isinstance(text, str) and not text.strip()


def _warn_without_text(name: str, lines: Sequence[int]) -> None:
    """Exports hold media-only posts (a photo, a Reel) as rows with an empty text: they are no writing, and one of
    them stopped a whole export (a user review). They are left out, and counted here."""
    if lines:
        n = len(lines)
        warnings.warn(VoicecheckWarning(
            f"{name}: {n} row{' has' if n == 1 else 's have'} an empty text (posts of media only?) and "
            f"{'was' if n == 1 else 'were'} left out: line {', '.join(map(str, lines[:3]))}"
            f"{', ...' if n > 3 else ''}"), stacklevel=4)


#: Longest CSV field parsed. Far past the text limit, so a long text gets the limit's own
#: message; a field longer still is refused by the csv module (usually a quote left open).
_CSV_FIELD_LIMIT = 1_000_000

_CSV_PROBLEMS = {
    "unexpected end of data": "a quote opened in this row is never closed (the file ends inside it)",
    "',' expected after '\"'": 'text after the closing quote of a field; a quote inside a quoted field is '
                                'written twice ("")',
}


# Excel's first line "sep=;" names the delimiter of the file (and is no header).
_EXCEL_SEP = re.compile(r"sep=([,;\t|])")


def _csv_delimiter(text: str) -> str:
    """The delimiter that gives the header a "text" column: a comma, else a semicolon or a tab.

    Why: Excel saves "CSV" with the list separator of the system's locale, a semicolon
    wherever the comma is the decimal mark (Italy, France, Germany, Spain...). A file whose
    header has no "text" column with any of them keeps the comma, and its error.
    """
    header = next((line for line in text.splitlines() if line.strip()), "")  # "\r" alone ends a line too
    directive = _EXCEL_SEP.fullmatch(header.strip())
    if directive:
        return directive.group(1)
    for delimiter in (",", ";", "\t"):
        if "text" in _column_names(next(csv.reader([header], delimiter=delimiter), [])):
            return delimiter
    return ","


def _column_names(header: list[str]) -> list[str]:
    """A CSV header's column names as the fields they mean: ``Text`` and `` text `` are ``text``, ``Testo`` too.

    Why: a spreadsheet's header is typed by hand ("Text", "Date"); a column of another name
    is kept as it is, as metadata. The Italian names count in an Italian header (one whose
    text column is "Testo"), and only for fields without a column of their own name: an
    English file's "data" column stays its own.
    """
    keys = [column.strip().lower() for column in header]
    italian = "testo" in keys and "text" not in keys
    names = []
    for column, key in zip(header, keys):
        if italian and key in _ITALIAN_NAMES and _ITALIAN_NAMES[key] not in keys:
            names.append(_ITALIAN_NAMES[key])
        elif key in ("text", "markup") or key in METADATA_FIELDS:
            names.append(key)
        else:
            names.append(column)
    return names


def _csv_rows(text: str, name: str) -> tuple[list[tuple[int, list[str]]], InputError | None]:
    """Every row with the line it starts on, and the error that stopped the reading, if any.

    Strict, so an unbalanced quote is an error rather than a field that swallows the rest
    of the file. ``line_num`` is a row's last line; a row starts one line after the
    previous row ended. The error is returned, not raised, so the good rows before it
    are still checked (and reported) first.
    """
    delimiter = _csv_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[tuple[int, list[str]]] = []
    start = 1
    old_limit = csv.field_size_limit()
    csv.field_size_limit(max(old_limit, _CSV_FIELD_LIMIT))
    try:
        for row in reader:
            rows.append((start, row))
            start = reader.line_num + 1
    except csv.Error as e:
        what = str(e).replace(f"{delimiter!r} expected", "',' expected")
        what = _CSV_PROBLEMS.get(what, str(e))
        if str(e).startswith("field larger than field limit"):
            what = (f"a field is over {csv.field_size_limit():,} characters (a quote left open?); "
                    f"a text may hold at most {MAX_TEXT_CHARS:,}")
        return rows, InputError(f"invalid CSV: {what}", path=name, line=start)
    finally:
        csv.field_size_limit(old_limit)
    return rows, None


def _read_csv(text: str, name: str) -> Iterator[Document]:
    rows, problem = _csv_rows(text, name)
    while rows and not rows[0][1]:  # blank lines before the header
        rows.pop(0)
    if rows and [v.strip() for v in rows[0][1]] == ["sep=", ""]:
        rows.pop(0)  # Excel's "sep=;", split by the delimiter it names
        while rows and not rows[0][1]:
            rows.pop(0)
    if not rows:
        raise problem or InputError("empty CSV file (no header row)", path=name, line=1)
    header_line, written = rows.pop(0)
    header = _column_names(written)
    if "text" not in header:
        raise InputError(f"CSV header has no \"text\" column (columns: {', '.join(written)})",
                         path=name, line=header_line, field="text")
    seen: set[str] = set()
    without_text: list[int] = []
    for column in header:
        if column and column in seen:
            raise InputError(f"CSV header names the column \"{column}\" twice", path=name, line=header_line,
                             field=column)
        seen.add(column)
    for line, values in rows:
        if not values:  # a blank line
            continue
        if len(values) > len(header):
            if any(v.strip() for v in values[len(header):]):
                raise InputError("row has more fields than the header", path=name, line=line)
            values = values[:len(header)]  # "text;date;;": empty cells past the last column, as spreadsheets save them
        row: dict[str, Any] = dict(zip(header, values))
        row.update((column, None) for column in header[len(values):])
        if row.get("text") is None and any((v or "").strip() for v in row.values()):
            raise InputError("row has fewer fields than the header (no \"text\" value)", path=name,
                             line=line, field="text")
        if not any((v or "").strip() for v in row.values()):
            continue
        if _no_text(row):
            without_text.append(line)
            continue
        try:
            document = _record_to_document(row, name, line)
        except InputError as e:
            later = ((n, dict(zip(header, v)).get("date")) for n, v in rows if n > line)
            raise _with_later_dates(e, later) from None
        yield document
    if problem:
        raise problem
    _warn_without_text(name, without_text)


def _with_later_dates(error: InputError, later: Iterable[tuple[int, Any]]) -> InputError:
    """A bad date names the later lines whose dates are no better: an Italian spreadsheet writes 15/04/2026 in
    every row, and the error named only the first, so the file looked one fix away (a review)."""
    if error.field != "date":
        return error
    bad = []
    for line, value in later:
        if value is None or value == "":  # no date, as the row itself reads it
            continue
        try:
            parse_date(value)
        except ValueError:
            bad.append(line)
    if not bad:
        return error
    shown = ", ".join(map(str, bad[:5])) + (", ..." if len(bad) > 5 else "")
    more = "1 more row" if len(bad) == 1 else f"{len(bad):,} more rows"
    return InputError(f"{error.detail}; {more} after it {'has' if len(bad) == 1 else 'have'} a "
                      f"date that cannot be read either (line{'s' if len(bad) > 1 else ''} {shown})",
                      path=error.path, line=error.line, field=error.field)



def _kind_of(value: Any) -> str:
    """What a value is, as JSON names it: records come from JSON files and HTTP bodies ("got null", not NoneType)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a boolean)"
    if isinstance(value, (int, float)):
        return f"a number ({value!r})"
    if isinstance(value, (list, tuple)):
        return "an array"
    if isinstance(value, Mapping):
        return "an object"
    return "a string" if isinstance(value, str) else type(value).__name__


def _text_named_otherwise(record: Mapping[str, Any]) -> str:
    """'; it has "Text": ... rename it to "text"' when a field looks like the text under another name: CSV headers
    may be capitalised or Italian, JSON keys are taken as written."""
    for key in record:
        if isinstance(key, str) and key.strip().lower() in ("text", "testo"):
            return (f"; it has {json.dumps(key, ensure_ascii=False)}: JSON field names are taken as written "
                    "(only CSV headers may be capitalised or Italian), so rename it to \"text\"")
    # Which one holds the post ("caption", "message", "body")? The writer knows: say what there is (a review).
    keys = [json.dumps(k, ensure_ascii=False) for k in record if isinstance(k, str)][:8]
    return f"; its fields are {', '.join(keys)}{', ...' if len(record) > 8 else ''}" if keys else ""


def _record_to_document(record: Mapping[str, Any], name: str, lineno: int) -> Document:
    if "text" not in record:
        raise InputError(f"missing required field \"text\"{_text_named_otherwise(record)}", path=name, line=lineno,
                         field="text")
    text = record["text"]
    if not isinstance(text, str):
        raise InputError(f"field \"text\" must be a string, got {_kind_of(text)}", path=name, line=lineno,
                         field="text")
    markup = record.get("markup")
    if markup not in (None, "") and markup not in MARKUPS:
        raise InputError(f"field \"markup\" must be one of {', '.join(MARKUPS)} (got {markup!r})", path=name,
                         line=lineno, field="markup")
    given: dict[str, str] = {}  # the labels the markup gives itself: front matter, an HTML page's <meta>
    if markup in ("html", "markdown") and text.strip():
        given = (_html_meta_labels(text, f"{name}:{lineno}: field \"text\"") if markup == "html"
                 else _front_matter_labels(text, name, lineno))
        text = _html_to_text(text) if markup == "html" else _markdown_to_text(text)
        if not text.strip():
            raise InputError(f"field \"text\" holds no text once read as {markup}", path=name, line=lineno,
                             field="text")
    text = text.strip()
    if not text:
        raise InputError("field \"text\" is empty", path=name, line=lineno, field="text")
    if not _visible(text):
        raise InputError("field \"text\" holds only invisible characters (such as zero-width spaces)", path=name,
                         line=lineno, field="text")
    _check_unicode(text, "text", name, lineno)
    _check_length(text, name, lineno)
    # A Markdown or HTML text is read as a .md or .html file is, its own labels included (a CMS export sent
    # an article's front matter with it, and its date and channel were dropped without a word: a content lead's
    # review); the record's own fields come first.
    if given:
        record = dict(record)
        for key, value in given.items():
            if record.get(key) in (None, ""):
                record[key] = value
    date = None
    if record.get("date") not in (None, ""):
        try:
            date = parse_date(record["date"])
        except ValueError as e:
            raise InputError(str(e), path=name, line=lineno, field="date") from None
    labels: dict[str, str | None] = {}
    for key in ("id", "source", "channel", "author", "lang"):
        value = record.get(key)
        if value is None or isinstance(value, str) and not plain_spaces(value).strip():
            labels[key] = None  # a blank CMS field ("id": "   ") is no id: the post is named by its line
        elif isinstance(value, (str, int)) and not isinstance(value, bool):
            if isinstance(value, int) and abs(value) >= 10 ** 300:  # str() refuses past 4,300 digits: an id, no
                raise InputError(f"field \"{key}\" is a number of over 300 digits; give it as a string",
                                 path=name, line=lineno, field=key)
            labels[key] = str(value)
            _check_unicode(labels[key], key, name, lineno)
            check_label(labels[key], key, name, lineno)
        else:
            raise InputError(f"field \"{key}\" must be a string, got {_kind_of(value)}", path=name,
                             line=lineno, field=key)
    if labels["lang"] is not None:
        try:
            labels["lang"] = language_label(labels["lang"])
        except ValueError as e:
            raise InputError(str(e), path=name, line=lineno, field="lang") from None
    meta = {k: v for k, v in record.items() if k not in METADATA_FIELDS and k not in ("text", "markup")}
    for key, value in meta.items():
        _check_unicode(json.dumps({key: value}, ensure_ascii=False, default=str), key, name, lineno)
    return Document(text=text, id=labels["id"], date=date, source=labels["source"], channel=labels["channel"],
                    author=labels["author"], lang=labels["lang"], origin=f"{name}:{lineno}", meta=meta)


def distinct_posts(docs: Iterable[Document]) -> tuple[list[Document], int]:
    """The first of each post given more than once (the same id, date and text), and how many repeats
    were left out.

    Why: a report over two exports that overlap (all posts, and the agency's again) would count the
    agency's posts twice; the service's history, which keeps one post per id, counts them once. Two
    tools seldom label a post alike ("Instagram" and "instagram", a channel in one export only), so
    the labels do not tell posts apart: the first one's are kept.
    """
    seen: set[tuple[Any, ...]] = set()
    kept, repeats = [], 0
    for d in as_documents(docs):  # plain strings too: each its own post (an AttributeError before)
        key = (d.label, d.date, d.text)
        if key in seen:
            repeats += 1
        else:
            seen.add(key)
            kept.append(d)
    return kept, repeats


def check_label(value: str, key: str, name: str | None = None, lineno: int | None = None) -> None:
    """A label is a short name on one line: refuse one too long or holding a control character (a NUL, a line
    break), which would be stored and printed in every report that names the post. The service checks its
    history filters with it too (PostgreSQL cannot take a NUL as a query parameter)."""
    if len(value) > MAX_LABEL_CHARS:
        raise InputError(f"field \"{key}\" is {len(value):,} characters; the limit is {MAX_LABEL_CHARS} (is a text "
                         "in the wrong field?)", path=name, line=lineno, field=key)
    bad = next((c for c in value if unicodedata.category(c) == "Cc"), None)
    if bad is not None:
        raise InputError(f"field \"{key}\" holds a control character ({ord(bad):#06x}) at character "
                         f"{value.index(bad) + 1}: a label is a name on one line", path=name, line=lineno, field=key)


#: Tags that start a new block: their text is never run into the text around them.
_BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "body", "br", "caption", "center", "dd", "details", "dialog", "div",
    "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "head",
    "header", "hgroup", "hr", "html", "legend", "li", "main", "menu", "nav", "ol", "option", "p", "pre", "section",
    "summary", "table", "tbody", "td", "tfoot", "th", "thead", "title", "tr", "ul"})


class _TextExtractor(HTMLParser):
    """Collect the text of a page that is the brand's writing, one block per line.

    Left out: what is not shown as text (title, scripts, styles, templates, drawings)
    and the page's chrome (nav, aside, and a header or footer that belongs to the page
    rather than to an article or section). ``<head>`` itself is not skipped: its end
    tag is optional, and a page without it would lose its whole body.
    """

    _SKIP = frozenset({"title", "script", "style", "noscript", "template", "svg", "math", "iframe", "nav", "aside"})
    _CHROME_UNLESS_SECTIONED = frozenset({"header", "footer"})  # as ARIA: banner and contentinfo of the page only
    _SECTIONING = frozenset({"article", "main", "section"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip_tag: str | None = None  # the outermost element being skipped, and how deep it nests in itself
        self._skip_depth = 0
        self._sections = 0
        self._pre = 0
        self._link: list[str] | None = None  # the text of the link being read

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._skip_tag is not None:
            self._skip_depth += tag == self._skip_tag
            return
        if tag == "a":
            self._link = []
        if tag in self._SKIP or (tag in self._CHROME_UNLESS_SECTIONED and not self._sections):
            self._skip_tag, self._skip_depth = tag, 1
        self._sections += tag in self._SECTIONING
        self._pre += tag == "pre"
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")
        if tag == "img" and self._skip_tag is None:
            # WordPress and other CMSs draw emoji as images whose alt is the emoji (<img class="emoji" alt="😍">):
            # the brand wrote it, and "no emoji" may be its rule. A photo's description is no part of the post.
            alt = (dict(attrs).get("alt") or "").strip()
            if alt and not any(c.isalnum() for c in alt):
                self.parts.append(alt)

    def handle_endtag(self, tag: str) -> None:
        if self._skip_tag is not None:
            if tag == self._skip_tag:
                self._skip_depth -= 1
                if not self._skip_depth:
                    self._skip_tag = None
                    self.parts.append("\n")
            return
        if tag == "a" and self._link is not None:
            # An email service's links (unsubscribe, view in browser) mark their line: _html_to_text drops it.
            text = " ".join("".join(self._link).split())
            if len(text.split()) <= _LINK_WORDS:
                if _UNSUBSCRIBE.search(text):
                    self.parts.append(_FOOTER_MARK)
                elif _IN_BROWSER.search(text):
                    self.parts.append(_BROWSER_MARK)
            self._link = None
        if tag in self._SECTIONING:
            self._sections = max(0, self._sections - 1)
        if tag == "pre":
            self._pre = max(0, self._pre - 1)
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._skip_tag is None:  # a line break in the source is a space on the page, except in <pre>
            self.parts.append(data if self._pre else re.sub(r"\s+", " ", data))
            if self._link is not None:
                self._link.append(data)


# An email service's footer and its "view in browser" line: no part of the newsletter's writing. A brand's HTML
# newsletters had "unsubscribe, preferences, receiving" among its characteristic words (a brand manager's review).
# Found by their links' text only: prose that mentions unsubscribing ("you can unsubscribe in your account") is the
# brand's, and a first version that went by the text of the last lines cut brands' own closing lines (a review).
_UNSUBSCRIBE = re.compile(r"\bunsubscrib|\bopt[ -]?out\b|\b(?:manage|update|change) (?:your |my )?(?:email )?"
                          r"(?:preferences|subscription)|\bdisiscriv|\b(?:annulla|cancella)(?:re|te)? (?:l['’]|la "
                          r"(?:tua |vostra )?)?iscrizione|\bcancellat[ie](?:vi)?\b|\b(?:gestisci|aggiorna) (?:le tue "
                          r"|le )?preferenze|\bnon ricevere più", re.I)
_IN_BROWSER = re.compile(r"\b(?:view|read|open)\b.*\b(?:browser|online)\b|"
                         r"\b(?:visualizza|visualizzate|leggi|leggete|apri|aprite)\b.*\b(?:browser|online|sul web)\b",
                         re.I)
_LINK_WORDS = 10  # a link's text longer than this is the brand's prose
_FOOTER_MARK, _BROWSER_MARK = "\ue000", "\ue001"
# The service's lines just above an unsubscribe link (Mailchimp's default footer breaks them with <br>).
_FOOTER_ABOVE = re.compile(r"©|\bcopyright\b|\byou (?:are|were) receiving\b|\byou received this\b|\bour mailing "
                           r"address\b|\bwant to change how you receive\b|\bricevi (?:questa|la nostra)\b|\bhai "
                           r"ricevuto questa\b|\bricevete (?:questa|la nostra)\b|\bil nostro indirizzo\b", re.I)
_FOOTER_LINES = 5  # an unsubscribe link this close to the end starts the footer
_FOOTER_ABOVE_LINES = 6  # ... and the service's lines (copyright, "you are receiving") this close above it


def _html_to_text(html: str) -> str:
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    lines = [re.sub(r"[^\S\n]+", " ", line).strip() for line in "".join(parser.parts).split("\n")]
    lines = [line for line in lines if line.replace(_FOOTER_MARK, "").replace(_BROWSER_MARK, "").strip()]
    last = next((i for i in range(len(lines) - 1, max(-1, len(lines) - 1 - _FOOTER_LINES), -1)
                 if _FOOTER_MARK in lines[i]), None)
    if last is not None and last > 0:  # that line, the address or copyright after it, and the service's lines above
        above = [j for j in range(max(1, last - _FOOTER_ABOVE_LINES), last) if _FOOTER_ABOVE.search(lines[j])]
        lines = lines[:above[0] if above else last]
    if len(lines) > 1 and _BROWSER_MARK in lines[0]:
        lines = lines[1:]
    return "\n".join(line.replace(_FOOTER_MARK, "").replace(_BROWSER_MARK, "") for line in lines)


# Markdown is reduced to its prose: code, link targets, reference definitions and markup go;
# the words of headings, links, emphasis, quotes, lists and tables stay. Backslash escapes and
# code spans are set aside as private-use characters while the rules run, so their text is
# never taken for markup (and the rules never meet a real character of that kind in writing).
_ESCAPE_BASE = 0xF0000   # + ord(ASCII punctuation)
_CODE_BASE = 0xF1000     # + index of the code span
_FRONT_MATTER = re.compile(r"\A(?:---|\+\+\+)[ \t]*\n((?:.*?\n)?)(?:---|\.\.\.|\+\+\+)[ \t]*(?:\n|\Z)", re.S)
#: A line front matter is made of: a key (``title:``, ``date =``, ``"quoted key":``, ``Publish Date:``, ``$schema:``,
#: its value as group 1), a YAML list item, a TOML table (``[params]``) or an array's closing bracket, a comment, a
#: blank or indented line. (A key of words, as YAML allows, had read a whole front matter as the post's text: a code
#: review.)
_FRONT_MATTER_SHAPE = re.compile(
    r"""(?:[\w$][\w.$-]*(?:[ \t]+[\w.$-]+){0,3}|"[^"\n]*"|'[^'\n]*')[ \t]*[:=](.*)|-(?:[ \t]|$)|[\[\]}#]|[ \t]|$""")
_FENCE_OPEN = re.compile(r"^[ \t]*(`{3,}|~{3,})(.*)$")
_INDENTED = re.compile(r"^(?: {4}| {0,3}\t)")
_LIST_ITEM = re.compile(r"^ {0,3}(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)")
_TABLE_DELIMITER = re.compile(r"^ {0,3}\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")
_LINK_TARGET = r"(?:\((?:[^()\n]|\([^()\n]*\))*\)|\[[^\]\n]*\])"  # (url "title") or [ref]
_MD_RULES = [
    (re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>", re.S | re.I), ""),       # script and style content
    (re.compile(r"<!--.*?-->", re.S), ""),                                        # HTML comments
    (re.compile(r"<([A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*)>"), r"\1"),            # autolinks keep the URL
    (re.compile(r"<([^\s<>@]+@[^\s<>@]+\.[^\s<>@]+)>"), r"\1"),                  # ... and the address
    (re.compile(r"</?(?:%s)(?:\s[^<>]*)?/?>" % "|".join(sorted(_BLOCK_TAGS, key=len, reverse=True)), re.I), "\n"),
    (re.compile(r"</?[A-Za-z][\w-]*(?:\s[^<>]*)?/?>"), ""),                      # other HTML tags (not x<3 or y>2)
    (re.compile(r"^ {0,3}\[\^[^\]\s]+\]:[ \t]*", re.M), ""),                      # footnote definitions keep their text
    (re.compile(r"\[\^[^\]\s]+\]"), ""),                                          # footnote markers
    (re.compile(r"^ {0,3}\[[^\]\n]+\]:[ \t]*\S+(?:[ \t]+(?:\"[^\"\n]*\"|'[^'\n]*'|\([^)\n]*\)))?[ \t]*(?:\n|$)", re.M),
     ""),                                                                          # reference definitions
    (re.compile(r"!\[([^\]\n]*)\]" + _LINK_TARGET), lambda m: _emoji_alt(m.group(1))),  # images: as in HTML
    (re.compile(r"\[([^\]\n]*)\]" + _LINK_TARGET), r"\1"),                        # links -> link text (none
                                                                                  # when a picture was all of it)
    (re.compile(r"^( {0,3}#{1,6}[ \t].*?)[ \t]+#+[ \t]*$", re.M), r"\1"),         # closing heading marks
    (re.compile(r"^ {0,3}#{1,6}(?:[ \t]+|$)", re.M), ""),                         # heading marks (not #hashtags)
    (re.compile(r"^ {0,3}=+[ \t]*$", re.M), ""),                                  # setext heading underlines
    (re.compile(r"^ {0,3}(?:>[ \t]?)+", re.M), ""),                               # block quotes
    (re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$", re.M), ""),             # rules
    (re.compile(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+(?:\[[ xX]\][ \t]+)?", re.M), ""),  # list bullets, task boxes
    (re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*"), r"\1"),                           # bold
    (re.compile(r"(?<![\w_])__(?=\S)(.+?)(?<=\S)__(?![\w_])"), r"\1"),
    (re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])"), r"\1"),            # italic
    (re.compile(r"(?<![\w_])_(?=\S)(.+?)(?<=\S)_(?![\w_])"), r"\1"),              # (not snake_case)
    (re.compile(r"~~(?=\S)(.+?)(?<=\S)~~"), r"\1"),                               # strikethrough
    (re.compile(r"\\$", re.M), ""),                                               # hard line breaks
    (re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});"),
     lambda m: _unescape(m.group())),                                            # entities
]


def _emoji_alt(alt: str) -> str:
    """An image's alt text as the post's text: an emoji drawn as an image is the brand's, a photo's description
    is not (as the HTML reader reads ``<img alt>``). A Markdown newsletter's ``![Summer glow!](...)`` had been
    read as an exclamation mark the same newsletter as HTML did not have (a brand manager's review)."""
    alt = alt.strip()
    return alt if alt and not any(c.isalnum() for c in alt) else ""


def _table_row(line: str) -> str:
    """A table row as its cells' text, one cell a line (as in HTML): the pipes go."""
    row = line.strip()
    row = row[1:] if row.startswith("|") else row
    row = row[:-1] if row.endswith("|") and not row.endswith("\\|") else row
    return "\n".join(c.strip() for c in re.split(r"(?<!\\)\|", row) if c.strip())


def _markdown_blocks(md: str) -> str:
    """Drop fenced and indented code and turn tables into their cells' text.

    Line by line: these need to know the lines before (a blank line, a list item, a
    table header), which rules on the whole text cannot see. An unclosed fence is not
    code (so no text is lost to a missing fence): only its marker line goes.
    """
    lines = md.split("\n")
    out: list[str] = []
    i, prev_blank, in_list = 0, True, False
    while i < len(lines):
        line = lines[i]
        blank = not line.strip()
        fence = _FENCE_OPEN.match(line)
        if fence and not (fence.group(1)[0] == "`" and "`" in fence.group(2)):
            marker = fence.group(1)
            close = re.compile(r"^[ \t]*%s{%d,}[ \t]*$" % (re.escape(marker[0]), len(marker)))
            end = next((j for j in range(i + 1, len(lines)) if close.match(lines[j])), None)
            i = (end if end is not None else i) + 1
            prev_blank = True
            continue
        if not blank and _INDENTED.match(line) and prev_blank and not in_list:
            while i < len(lines) and (not lines[i].strip() or _INDENTED.match(lines[i])):
                i += 1
            out.append("")
            continue
        if (not blank and "|" in line and i + 1 < len(lines) and "|" in lines[i + 1]
                and _TABLE_DELIMITER.match(lines[i + 1])):
            out.append(_table_row(line))
            i += 2
            while i < len(lines) and lines[i].strip() and "|" in lines[i]:
                out.append(_table_row(lines[i]))
                i += 1
            prev_blank = False
            continue
        if _LIST_ITEM.match(line):
            in_list = True
        elif not blank and prev_blank and not line[:1].isspace():
            in_list = False
        out.append(line)
        prev_blank = blank
        i += 1
    return "\n".join(out)


def _front_matter_block(md: str) -> re.Match[str] | None:
    """A Markdown text's front matter, if it opens with one: ``---`` (or ``+++``) lines around lines that are all
    front matter's (``_FRONT_MATTER_SHAPE``), or those of a value left open on a key's line (a quoted title, a
    TOML triple-quoted string or array, up to the line that closes it).

    Why: a draft whose closing ``---`` was missing had its prose read as front matter up to a horizontal rule
    further down, and dropped without a word (an Italian insurer's review); such a block is no front matter, and
    ``_unclosed_front_matter`` refuses it if it opens with keys.
    """
    head = _FRONT_MATTER.match(md)
    closing = ""  # what closes a value opened on a line above
    for line in head.group(1).split("\n") if head else ():
        if closing:
            closing = "" if closing in line else closing
            continue
        shape = _FRONT_MATTER_SHAPE.match(line)
        if not shape:
            return None
        value = (shape.group(1) or "").strip()
        opener = next((o for o in ('"""', "'''", '"', "'", "[", "{") if value.startswith(o)), "")
        closer = {"[": "]", "{": "}"}.get(opener, opener)
        if opener and closer not in value[len(opener):]:
            closing = closer
    return head


def _markdown_to_text(md: str) -> str:
    # The placeholders below live in private-use plane 15; a draft's own characters there (no font draws them)
    # read as U+FFFD, so they are neither taken for a code span (an IndexError: a 500 on the service) nor
    # turned into ASCII punctuation (an escaped "!" counted as an exclamation mark).
    md = re.sub("[\U000F0000-\U000FFFFD]", "\uFFFD", md)
    md = md.replace("\r\n", "\n").replace("\r", "\n")
    head = _front_matter_block(md)
    md = md[head.end():] if head else md
    md = _markdown_blocks(md)
    md = re.sub(r"\\([!-/:-@\[-`{-~])", lambda m: chr(_ESCAPE_BASE + ord(m.group(1))), md)
    spans: list[str] = []

    def set_aside(m: re.Match[str]) -> str:
        spans.append(m.group(2).strip())
        return chr(_CODE_BASE + len(spans) - 1)

    md = re.sub(r"(?<!`)(`+)(?!`)((?:(?!\n[ \t]*\n).)+?)(?<!`)\1(?!`)", set_aside, md, flags=re.S)
    for pattern, repl in _MD_RULES:
        md = pattern.sub(repl, md)
    md = re.sub("[\U000F1000-\U000FFFFD]", lambda m: spans[ord(m.group()) - _CODE_BASE], md)
    md = re.sub("[\U000F0000-\U000F007F]", lambda m: chr(ord(m.group()) - _ESCAPE_BASE), md)
    return re.sub(r"\n{3,}", "\n\n", md).strip()
