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
from collections.abc import Iterable, Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import IO, Any

from .documents import METADATA_FIELDS, Document, parse_date, unicode_problem
from .errors import InputError

__all__ = ["read_corpus", "read_documents", "documents_from_records", "MAX_TEXT_CHARS", "SUPPORTED_SUFFIXES"]

#: Longest text accepted, in characters. About 30,000 words: far past any post,
#: newsletter or blog article, short of a book pasted by mistake.
MAX_TEXT_CHARS = 200_000

SUPPORTED_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".jsonl", ".csv")


def read_corpus(paths: Iterable[str | os.PathLike[str]], *, stdin: IO[str] | None = None) -> list[Document]:
    """Read every document from ``paths`` (files, folders, or ``-`` for stdin).

    Raises ``InputError`` naming the file (and line) of the first bad input, and
    when the paths hold no document at all.
    """
    docs: list[Document] = []
    names: list[str] = []
    for raw in paths:
        names.append(str(raw))
        docs.extend(read_documents(raw, stdin=stdin))
    if not docs:
        raise InputError("no documents found", path=", ".join(names) or "(no input)")
    return docs


def read_documents(path: str | os.PathLike[str], *, stdin: IO[str] | None = None) -> Iterator[Document]:
    """Yield the documents of one path: a file, a folder (recursively) or ``-``."""
    if str(path) == "-":
        stream = stdin if stdin is not None else sys.stdin
        yield from _read_jsonl_lines(stream, "<stdin>")
        return
    p = Path(path)
    if p.is_dir():
        files = sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUPPORTED_SUFFIXES
                       and not any(part.startswith(".") for part in f.relative_to(p).parts))
        if not files:
            raise InputError(f"folder holds no {', '.join(SUPPORTED_SUFFIXES)} files", path=str(p))
        for f in files:
            yield from _read_file(f)
        return
    if not p.exists():
        raise InputError("no such file or folder", path=str(p))
    yield from _read_file(p)


def documents_from_records(records: Iterable[dict[str, Any]], *, origin: str = "<records>") -> list[Document]:
    """Turn already-parsed records (API bodies, JSON) into Documents with the same checks as files."""
    return [_record_to_document(r, origin, i) for i, r in enumerate(records, start=1)]


def _read_file(p: Path) -> Iterator[Document]:
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
        body = _html_to_text(text) if suffix in (".html", ".htm") else (
            _markdown_to_text(text) if suffix in (".md", ".markdown") else text)
        body = body.strip()
        if not body:
            raise InputError("file holds no text", path=str(p))
        _check_length(body, str(p), None)
        yield Document(text=body, id=p.name, origin=str(p))


def _decode(p: Path) -> str:
    data = p.read_bytes()
    if len(data) > MAX_TEXT_CHARS * 4 and p.suffix.lower() not in (".jsonl", ".csv"):
        raise InputError(f"file is {len(data):,} bytes; one document may hold at most {MAX_TEXT_CHARS:,} characters",
                         path=str(p))
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        raise InputError(f"bytes that are not UTF-8 text at byte {e.start} (is this a binary file?)",
                         path=str(p), line=line) from None
    nul = text.find("\x00")
    if nul >= 0:
        raise InputError("NUL bytes: this looks like a binary file, not text", path=str(p),
                         line=text.count("\n", 0, nul) + 1)
    return text


def _check_unicode(value: str, field: str, path: str, line: int | None) -> None:
    problem = unicode_problem(value)
    if problem:
        raise InputError(f"field \"{field}\" {problem}", path=path, line=line, field=field)


def _check_length(text: str, path: str, line: int | None) -> None:
    if len(text) > MAX_TEXT_CHARS:
        raise InputError(f"text is {len(text):,} characters; the limit is {MAX_TEXT_CHARS:,} per document "
                         "(split long writing into posts or articles)", path=path, line=line, field="text")


def _read_jsonl_lines(stream: IO[str], name: str) -> Iterator[Document]:
    for lineno, line in enumerate(stream, start=1):
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
            record = json.loads(line)
        except json.JSONDecodeError as e:
            what = e.msg[:-3] if e.msg.endswith(" at") else e.msg  # "Invalid control character at"
            raise InputError(f"invalid JSON ({what} at column {e.colno})", path=name, line=lineno) from None
        if not isinstance(record, dict):
            raise InputError(f"expected a JSON object with a \"text\" field, got {type(record).__name__}",
                             path=name, line=lineno)
        yield _record_to_document(record, name, lineno)


def _read_csv(text: str, name: str) -> Iterator[Document]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if reader.fieldnames is None:
        raise InputError("empty CSV file (no header row)", path=name, line=1)
    if "text" not in reader.fieldnames:
        raise InputError(f"CSV header has no \"text\" column (columns: {', '.join(reader.fieldnames)})",
                         path=name, line=1, field="text")
    try:
        for row in reader:
            if None in row:
                raise InputError("row has more fields than the header", path=name, line=reader.line_num)
            if row.get("text") is None and any((v or "").strip() for v in row.values()):
                raise InputError("row has fewer fields than the header (no \"text\" value)", path=name,
                                 line=reader.line_num, field="text")
            if not any((v or "").strip() for v in row.values()):
                continue
            yield _record_to_document(row, name, reader.line_num)
    except csv.Error as e:
        raise InputError(f"invalid CSV ({e})", path=name, line=reader.line_num) from None


def _record_to_document(record: dict[str, Any], name: str, lineno: int) -> Document:
    if "text" not in record:
        raise InputError("missing required field \"text\"", path=name, line=lineno, field="text")
    text = record["text"]
    if not isinstance(text, str):
        raise InputError(f"field \"text\" must be a string, got {type(text).__name__}", path=name, line=lineno,
                         field="text")
    text = text.strip()
    if not text:
        raise InputError("field \"text\" is empty", path=name, line=lineno, field="text")
    _check_unicode(text, "text", name, lineno)
    _check_length(text, name, lineno)
    date = None
    if record.get("date") not in (None, ""):
        try:
            date = parse_date(record["date"])
        except ValueError as e:
            raise InputError(str(e), path=name, line=lineno, field="date") from None
    labels: dict[str, str | None] = {}
    for key in ("id", "source", "channel", "author", "lang"):
        value = record.get(key)
        if value in (None, ""):
            labels[key] = None
        elif isinstance(value, (str, int)) and not isinstance(value, bool):
            labels[key] = str(value)
            _check_unicode(labels[key], key, name, lineno)
        else:
            raise InputError(f"field \"{key}\" must be a string, got {type(value).__name__}", path=name,
                             line=lineno, field=key)
    meta = {k: v for k, v in record.items() if k not in METADATA_FIELDS and k != "text"}
    for key, value in meta.items():
        _check_unicode(json.dumps({key: value}, ensure_ascii=False, default=str), key, name, lineno)
    return Document(text=text, id=labels["id"], date=date, source=labels["source"], channel=labels["channel"],
                    author=labels["author"], lang=labels["lang"], origin=f"{name}:{lineno}", meta=meta)


class _TextExtractor(HTMLParser):
    """Collect the visible text of an HTML page, one block per line."""

    _SKIP = {"script", "style", "head", "noscript", "template", "svg"}
    _BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article",
              "blockquote", "pre", "ul", "ol", "table", "header", "footer", "title"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self._skip += 1
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP:
            self._skip = max(0, self._skip - 1)
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def _html_to_text(html: str) -> str:
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    lines = (re.sub(r"[ \t\r\f\v]+", " ", line).strip() for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line)


_MD_RULES = [
    (re.compile(r"^```.*?^```", re.S | re.M), ""),               # fenced code
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),                # images -> alt text
    (re.compile(r"\[([^\]]+)\]\(([^)]*)\)"), r"\1"),               # links -> link text
    (re.compile(r"^\s{0,3}#{1,6}\s*", re.M), ""),                  # heading marks
    (re.compile(r"^\s{0,3}>\s?", re.M), ""),                       # block quotes
    (re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+", re.M), ""),           # list bullets
    (re.compile(r"(\*\*|__)(.+?)\1"), r"\2"),                      # bold
    (re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])"), r"\1"),  # italic
    (re.compile(r"`([^`]*)`"), r"\1"),                             # inline code
    (re.compile(r"^\s*(?:-{3,}|\*{3,}|_{3,})\s*$", re.M), ""),     # rules
    (re.compile(r"<[^>]+>"), ""),                                  # inline html
]


def _markdown_to_text(md: str) -> str:
    if md.startswith("---\n"):  # front matter
        end = md.find("\n---", 4)
        if end > 0:
            md = md[end + 4:]
    for pattern, repl in _MD_RULES:
        md = pattern.sub(repl, md)
    return re.sub(r"\n{3,}", "\n\n", md).strip()
