"""Reading corpora (design 3.1): formats, ids, metadata, dates, and every bad input."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import re

import pytest

from voicecheck.corpus import MAX_FILE_BYTES, MAX_TEXT_CHARS, documents_from_records, read_corpus, read_documents
from voicecheck.documents import Document, parse_date
from voicecheck.errors import InputError, VoicecheckError, VoicecheckWarning


def jl(*records) -> str:
    return "".join((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n" for r in records)


def write(tmp_path, name, content, mode="w"):
    p = tmp_path / name
    p.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        p.write_bytes(content)
    else:
        p.write_text(content, encoding="utf-8")
    return p


def error_of(paths, **kw) -> InputError:
    with pytest.raises(InputError) as info:
        read_corpus([str(p) for p in paths], **kw)
    assert isinstance(info.value, VoicecheckError)
    return info.value


# ---------------------------------------------------------------------------- formats
def test_txt_is_one_document_named_after_the_file(tmp_path):
    p = write(tmp_path, "post.txt", "  Ciao a voi.\nSecond line.\n\n")
    [doc] = read_corpus([p])
    assert doc.text == "Ciao a voi.\nSecond line."
    assert doc.id == "post.txt" and doc.label == "post.txt"
    assert doc.origin == str(p)


def test_markdown_is_reduced_to_text(tmp_path):
    md = ("---\ntitle: x\n---\n# Heading\n\nSome **bold** and *italic* and `code`, a [link](http://x.y) "
          "and ![alt text](img.png).\n\n- item one\n- item two\n\n```\nprint('hidden')\n```\n> quoted <b>tag</b>\n")
    [doc] = read_corpus([write(tmp_path, "a.md", md)])
    assert "Heading" in doc.text and "bold" in doc.text and "italic" in doc.text and "link" in doc.text
    for junk in ("**", "#", "](", "http://x.y", "print(", "title:", "<b>", "`", "- item"):
        assert junk not in doc.text, junk
    assert "item one" in doc.text and "quoted tag" in doc.text
    assert "alt text" not in doc.text  # a picture's description is not the post's writing, as in HTML


def test_html_is_reduced_to_text_without_script_or_style(tmp_path):
    html = ("<html><head><title>T</title><style>body{color:red}</style></head><body>"
            "<h1>Hello</h1><p>First &amp; <b>bold</b> paragraph.</p><script>alert('x')</script>"
            "<p>Second</p></body></html>")
    [doc] = read_corpus([write(tmp_path, "a.html", html)])
    assert "Hello" in doc.text and "First & bold paragraph." in doc.text and "Second" in doc.text
    for junk in ("<", ">", "color:red", "alert", "&amp;"):
        assert junk not in doc.text
    assert "\n" in doc.text  # blocks become lines


def test_jsonl_fields_ids_and_meta(tmp_path):
    p = write(tmp_path, "posts.jsonl", jl(
        {"id": "p1", "text": "One.", "date": "2025-03-04", "source": "inhouse", "channel": "blog",
         "author": "dan", "lang": "en", "campaign": "spring", "likes": 3},
        {"text": "Two."},
        {"id": 7, "text": "Three."}))
    d1, d2, d3 = read_corpus([p])
    assert (d1.id, d1.source, d1.channel, d1.author, d1.lang) == ("p1", "inhouse", "blog", "dan", "en")
    assert d1.meta == {"campaign": "spring", "likes": 3}
    assert d1.date == dt.datetime(2025, 3, 4, tzinfo=dt.timezone.utc)
    assert d2.id is None and d2.label == f"{p}:2" and d2.origin == f"{p}:2"
    assert d3.id == "7"
    assert d1.metadata()["id"] == "p1" and d1.metadata()["date"].startswith("2025-03-04")


def test_jsonl_blank_lines_are_skipped_and_line_numbers_kept(tmp_path):
    p = write(tmp_path, "a.jsonl", "\n" + jl({"text": "one"}) + "   \n\n" + jl({"text": "two"}))
    docs = read_corpus([p])
    assert [d.text for d in docs] == ["one", "two"]
    assert [d.origin for d in docs] == [f"{p}:2", f"{p}:5"]


def test_csv_with_header_and_extra_columns(tmp_path):
    p = write(tmp_path, "a.csv", 'id,text,date,channel,mood\nc1,"Hello, world",2025-01-02,blog,calm\n,Second,,,\n,,,,\n')
    d1, d2 = read_corpus([p])
    assert d1.text == "Hello, world" and d1.id == "c1" and d1.channel == "blog" and d1.meta == {"mood": "calm"}
    assert d2.id is None and d2.origin == f"{p}:3"


def test_csv_without_text_column(tmp_path):
    err = error_of([write(tmp_path, "a.csv", "id,body\n1,hello\n")])
    assert err.line == 1 and "text" in str(err) and "a.csv" in str(err)


def test_csv_row_with_more_fields_than_the_header(tmp_path):
    err = error_of([write(tmp_path, "a.csv", "id,text\n1,ok\n2,too,many\n")])
    assert err.line == 3 and "more fields" in str(err)


def test_empty_csv(tmp_path):
    err = error_of([write(tmp_path, "a.csv", "")])
    assert "a.csv" in str(err)


def test_bom_is_ignored(tmp_path):
    p = write(tmp_path, "a.jsonl", b"\xef\xbb\xbf" + jl({"text": "Con BOM"}).encode())
    c = write(tmp_path, "a.csv", b"\xef\xbb\xbftext,id\nhello,x\n")
    t = write(tmp_path, "a.txt", b"\xef\xbb\xbfplain")
    assert [d.text for d in read_corpus([p, c, t])] == ["Con BOM", "hello", "plain"]


def test_folder_is_read_recursively_skipping_hidden_and_unsupported(tmp_path):
    write(tmp_path, "b.txt", "second")
    write(tmp_path, "a.md", "first")
    write(tmp_path, "sub/deeper/c.jsonl", jl({"text": "third"}))
    write(tmp_path, ".hidden.txt", "hidden")
    write(tmp_path, ".git/x.txt", "in a hidden folder")
    write(tmp_path, "image.png", b"\x89PNG\x00\x00")
    write(tmp_path, "notes.docx", b"PK\x00")
    write(tmp_path, "sub/more.docx", b"PK\x00")
    from voicecheck.errors import VoicecheckWarning

    with pytest.warns(VoicecheckWarning) as caught:
        texts = sorted(d.text for d in read_corpus([tmp_path]))
    assert texts == ["first", "second", "third"]
    # The user hears which files were not read (hidden ones are not counted: .git is not writing).
    message, = [str(w.message) for w in caught]
    assert "3 files not read (2 .docx, 1 .png, such as" in message and str(tmp_path) in message


def test_a_folder_of_readable_files_gives_no_warning(tmp_path):
    import warnings

    write(tmp_path, "a.txt", "first")
    write(tmp_path, ".DS_Store", b"\x00")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert [d.text for d in read_corpus([tmp_path])] == ["first"]


def test_a_link_in_a_folder_to_one_of_its_files_is_read_once_and_a_broken_link_is_said(tmp_path):
    """A symbolic link to a draft of the same folder was scored twice, and a dangling one skipped silently."""
    import os

    from voicecheck.errors import VoicecheckWarning

    folder = tmp_path / "drafts"
    folder.mkdir()
    (folder / "market.txt").write_text("We are open on Sunday and the kettle is on.")
    os.symlink(folder / "market.txt", folder / "link-market.txt")
    os.symlink(folder / "gone.txt", folder / "dangling.txt")
    with pytest.warns(VoicecheckWarning) as heard:
        docs = read_corpus([folder])
    assert [d.id for d in docs] == ["market.txt"]  # by the file itself, not by its link
    said = [str(w.message) for w in heard]
    assert any("1 file not read twice, being another file under another name (such as link-market.txt, which "
               "is market.txt)" in m for m in said)
    assert any("1 link to nothing not read (such as dangling.txt)" in m for m in said)


def test_every_bad_file_is_named_at_once_and_none_is_used(tmp_path):
    """A pull request's drafts with three bad files: one error names all three (each file's first problem, with
    its line), not one per run; a single bad file keeps its own one-line error."""
    drafts = tmp_path / "drafts"
    (drafts / "blog").mkdir(parents=True)
    (drafts / "good.txt").write_text("We are open on Sunday and the kettle is on.")
    (drafts / "blog" / "empty.md").write_text("")
    (drafts / "broken.jsonl").write_text('{"text": "fine"}\n{"text": "bad" "id": 2}\n{"text": ""}\n')
    (drafts / "latin1.txt").write_bytes("Caff\xe8 aperto".encode("latin-1"))
    (tmp_path / "alone.txt").write_text("   ")
    with pytest.raises(InputError) as e:
        read_corpus([drafts, tmp_path / "alone.txt", tmp_path / "missing.txt"])
    lines = str(e.value).splitlines()
    assert lines[0] == "5 inputs cannot be read, so none was used:"
    assert [line.split(": ")[0].strip() for line in lines[1:]] == [
        f"{drafts}/blog/empty.md", f"{drafts}/broken.jsonl:2", f"{drafts}/latin1.txt:1", f"{tmp_path}/alone.txt",
        f"{tmp_path}/missing.txt"]
    assert [(p.path, p.line) for p in e.value.problems][1] == (f"{drafts}/broken.jsonl", 2)
    with pytest.raises(InputError) as one:
        read_corpus([drafts / "good.txt", drafts / "latin1.txt"])
    assert str(one.value).startswith(f"{drafts}/latin1.txt:1: bytes that are not UTF-8") and "\n" not in str(one.value)


def test_folder_without_supported_files(tmp_path):
    write(tmp_path, "image.png", b"\x89PNG")
    write(tmp_path, ".hidden.txt", "hidden")
    err = error_of([tmp_path])
    assert str(tmp_path) in str(err) and ".jsonl" in str(err)


def test_stdin_is_json_lines():
    docs = read_corpus(["-"], stdin=io.StringIO(jl({"id": "s1", "text": "from stdin"}, {"text": "two"})))
    assert [d.text for d in docs] == ["from stdin", "two"]
    assert docs[1].origin == "<stdin>:2" and docs[0].label == "s1"


def test_stdin_error_names_stdin_and_line():
    err = error_of(["-"], stdin=io.StringIO(jl({"text": "ok"}) + "{bad\n"))
    assert err.path == "<stdin>" and err.line == 2


def test_several_paths_keep_order(tmp_path):
    a = write(tmp_path, "a.jsonl", jl({"text": "a1"}, {"text": "a2"}))
    b = write(tmp_path, "b.txt", "b")
    assert [d.text for d in read_corpus([b, a])] == ["b", "a1", "a2"]


def test_read_documents_is_lazy_and_documents_from_records(tmp_path):
    p = write(tmp_path, "a.jsonl", jl({"text": "ok"}) + "{bad\n")
    it = read_documents(p)
    assert next(it).text == "ok"
    with pytest.raises(InputError):
        next(it)
    docs = documents_from_records([{"text": "x", "id": "r"}], origin="body")
    assert docs[0].origin == "body:1" and docs[0].id == "r"
    with pytest.raises(InputError, match="body:2"):
        documents_from_records([{"text": "x"}, {"txt": "y"}], origin="body")


# ---------------------------------------------------------------------------- dates
@pytest.mark.parametrize("value, expected", [
    ("2025-03-04", dt.datetime(2025, 3, 4, tzinfo=dt.timezone.utc)),
    ("2025-03-04T10:20:30", dt.datetime(2025, 3, 4, 10, 20, 30, tzinfo=dt.timezone.utc)),
    ("2025-03-04T10:20:30Z", dt.datetime(2025, 3, 4, 10, 20, 30, tzinfo=dt.timezone.utc)),
    ("2025-03-04T10:20:30+02:00", dt.datetime(2025, 3, 4, 8, 20, 30, tzinfo=dt.timezone.utc)),
    ("2025-03-04T23:30:00-05:00", dt.datetime(2025, 3, 5, 4, 30, tzinfo=dt.timezone.utc)),
    (dt.date(2025, 1, 2), dt.datetime(2025, 1, 2, tzinfo=dt.timezone.utc)),
])
def test_parse_date(value, expected):
    assert parse_date(value) == expected
    assert parse_date(value).tzinfo is not None


@pytest.mark.parametrize("bad", ["yesterday", "2025-13-01", "03/04/2025", 20250304, "", True])
def test_parse_date_rejects(bad):
    with pytest.raises(ValueError, match="ISO 8601"):
        parse_date(bad)


def test_bad_date_names_file_line_and_field(tmp_path):
    p = write(tmp_path, "a.jsonl", jl({"text": "ok", "date": "2025-01-01"}, {"text": "x", "date": "last tuesday"}))
    err = error_of([p])
    assert (err.path, err.line, err.field) == (str(p), 2, "date")
    assert str(err).startswith(f"{p}:2: ") and "last tuesday" in str(err)


def test_empty_date_is_no_date(tmp_path):
    [d] = read_corpus([write(tmp_path, "a.jsonl", jl({"text": "x", "date": ""}))])
    assert d.date is None


# ---------------------------------------------------------------------------- bad inputs
def test_empty_corpus_file(tmp_path):
    err = error_of([write(tmp_path, "a.jsonl", "")])
    assert "no documents" in str(err) and "a.jsonl" in str(err)


def test_only_blank_lines_is_an_empty_corpus(tmp_path):
    err = error_of([write(tmp_path, "a.jsonl", "\n\n   \n")])
    assert "no documents" in str(err)


def test_empty_text_file(tmp_path):
    err = error_of([write(tmp_path, "a.txt", "  \n\n")])
    assert "a.txt" in str(err) and "no text" in str(err)


def test_html_with_no_visible_text(tmp_path):
    err = error_of([write(tmp_path, "a.html", "<script>x()</script><style>p{}</style>")])
    assert "no text" in str(err)


def test_missing_path(tmp_path):
    err = error_of([tmp_path / "nope.jsonl"])
    assert "nope.jsonl" in str(err) and "no such file" in str(err)


@pytest.mark.parametrize("name", ["a.pdf", "a.json", "Makefile"])
def test_unsupported_extension(tmp_path, name):
    err = error_of([write(tmp_path, name, "text")])
    assert name in str(err) and "unsupported" in str(err) and ".jsonl" in str(err)


def test_invalid_json_names_file_and_line(tmp_path):
    p = write(tmp_path, "a.jsonl", jl({"text": "ok"}, {"text": "ok"}) + '{"text": "unterminated\n')
    err = error_of([p])
    assert (err.path, err.line) == (str(p), 3) and "invalid JSON" in str(err)
    assert str(err).startswith(f"{p}:3: ")


def test_a_comma_after_or_inside_an_object_is_said_and_every_bad_line_named(tmp_path):
    """An editor's trailing commas read "Extra data at column 270", and only the first bad line was named (a
    fashion brand's review)."""
    p = write(tmp_path, "c.jsonl", '{"text": "Ciao a voi."},\n{"text": "ok"}\n{"text": "x",}\n{"text": "y"},\n')
    assert str(error_of([p])) == (f"{p}:1: invalid JSON (Extra data at column 24) (a comma after the closing }}: a "
                                  "line of JSON Lines ends with its object); 2 more lines after it are not valid JSON "
                                  "either (lines 3, 4)")
    inside = write(tmp_path, "d.jsonl", '{"text": "x",}\n')
    assert "(a comma before the closing }: JSON takes none after the last field)" in str(error_of([inside]))


@pytest.mark.parametrize("line, kind", [('["a list"]', "got an array"), ('"a string"', "got a string"),
                                        ("42", "got a number (42)"), ("null", "got null")])
def test_non_object_line(tmp_path, line, kind):
    err = error_of([write(tmp_path, "a.jsonl", line + "\n")])
    assert err.line == 1 and kind in str(err) and "object" in str(err)


def test_missing_text(tmp_path):
    p = write(tmp_path, "a.jsonl", jl({"text": "ok"}, {"body": "where is text"}))
    err = error_of([p])
    assert (err.line, err.field) == (2, "text") and "missing" in str(err) and '"text"' in str(err)
    assert "rename" not in str(err)
    assert str(err).endswith('; its fields are "body"')  # which of them holds the post, the writer knows
    many = error_of([write(tmp_path, "b.jsonl", jl({f"f{i}": "x" for i in range(10)}))])
    assert str(many).endswith('its fields are "f0", "f1", "f2", "f3", "f4", "f5", "f6", "f7", ...')


@pytest.mark.parametrize("key", ["Text", "testo", " TEXT"])
def test_text_under_another_name_is_told_to_rename_it(tmp_path, key):
    """CSV headers may be capitalised or Italian, JSON keys are taken as written: the message names the key it
    found (found by a user review)."""
    err = error_of([write(tmp_path, "a.jsonl", jl({"id": "a", key: "We open at nine"}))])
    assert (err.line, err.field) == (1, "text")
    assert f'it has {json.dumps(key)}' in str(err) and 'rename it to "text"' in str(err)


@pytest.mark.parametrize("value, kind", [(5, "got a number (5)"), (None, "got null"), (["a"], "got an array"),
                                         ({"a": 1}, "got an object"), (True, "got true")])
def test_non_string_text(tmp_path, value, kind):
    """The file is JSON: its types are named as JSON names them ("got null", not Python's "got NoneType")."""
    err = error_of([write(tmp_path, "a.jsonl", jl({"text": value}))])
    assert err.field == "text" and err.line == 1 and kind in str(err)


@pytest.mark.parametrize("value", ["", "   ", "\n\t"])
def test_empty_text_rows_are_left_out_and_counted(tmp_path, value):
    """Exports hold posts of media only (a photo, a Reel) as rows with an empty text: one stopped a whole export
    (a user review). They are no writing: left out, with a warning that names their lines."""
    from voicecheck.errors import VoicecheckWarning

    rows = [{"text": "Vi aspettiamo."}, {"text": value}, {"text": "A domani."}, {"text": value}]
    with pytest.warns(VoicecheckWarning, match=r"a\.jsonl: 2 rows have an empty text \(posts of media only\?\) and "
                                               r"were left out: line 2, 4$"):
        assert [d.text for d in read_corpus([write(tmp_path, "a.jsonl", jl(*rows))])] == ["Vi aspettiamo.", "A domani."]
    csv_file = write(tmp_path, "b.csv", f'text,date\nCiao,2026-01-01\n"{value}",2026-01-02\n')
    with pytest.warns(VoicecheckWarning, match=r"b\.csv: 1 row has an empty text .* was left out: line 3$"):
        assert len(read_corpus([csv_file])) == 1
    with pytest.warns(VoicecheckWarning):
        assert "no documents found" in str(error_of([write(tmp_path, "c.jsonl", jl({"text": value}))]))
    with pytest.raises(InputError, match="empty"):  # the service's records are a client's request: refused
        documents_from_records([{"text": value}])


def test_label_field_of_wrong_type(tmp_path):
    err = error_of([write(tmp_path, "a.jsonl", jl({"text": "x", "source": ["a"]}))])
    assert err.field == "source" and 'field "source" must be a string, got an array' in str(err)


def test_binary_file_named_jsonl(tmp_path):
    p = write(tmp_path, "a.jsonl", jl({"text": "ok"}).encode() + b"\xff\xfe\x00\x01binary")
    err = error_of([p])
    assert err.path == str(p) and err.line == 2 and ("UTF-8" in str(err) or "binary" in str(err))


def test_undecodable_utf8_names_line(tmp_path):
    p = write(tmp_path, "a.txt", "line one\nline two\n".encode() + "caffè".encode("latin-1"))
    err = error_of([p])
    assert err.line == 3 and "UTF-8" in str(err)


@pytest.mark.parametrize("name", ["a.jsonl", "a.txt", "a.csv"])
def test_nul_bytes(tmp_path, name):
    content = {"a.jsonl": jl({"text": "ok"}) + '{"text": "x\x00y"}\n', "a.txt": "ok\nx\x00y",
               "a.csv": "text\nok\nx\x00y\n"}[name]
    err = error_of([write(tmp_path, name, content)])
    assert err.line is not None and err.line >= 2 and "NUL" in str(err)


def test_nul_bytes_on_stdin():
    err = error_of(["-"], stdin=io.StringIO('{"text": "a\x00"}\n'))
    assert "NUL" in str(err)


def test_five_megabyte_document_in_jsonl(tmp_path):
    p = write(tmp_path, "big.jsonl", jl({"text": "short"}, {"text": "parola " * 750_000}))
    err = error_of([p])
    assert err.line == 2 and f"{MAX_TEXT_CHARS:,}" in str(err) and "limit" in str(err)


def test_five_megabyte_text_file(tmp_path):
    p = write(tmp_path, "big.txt", "word " * 1_000_000)
    err = error_of([p])
    assert "big.txt" in str(err) and f"{MAX_TEXT_CHARS:,}" in str(err)


def test_text_just_under_the_limit_is_read(tmp_path):
    p = write(tmp_path, "ok.jsonl", jl({"text": "a" * MAX_TEXT_CHARS}))
    [d] = read_corpus([p])
    assert len(d.text) == MAX_TEXT_CHARS


def test_document_is_immutable():
    d = Document(text="x")
    with pytest.raises(dataclasses.FrozenInstanceError):
        d.text = "y"  # type: ignore[misc]
    assert d.label == "-"


def test_undecodable_bytes_on_stdin_are_an_error():
    # sys.stdin decodes with surrogateescape: bad bytes arrive as lone surrogates
    err = error_of(["-"], stdin=io.StringIO('{"text": "ok"}\n{"text": "caf\udce9"}\n'))
    assert err.path == "<stdin>" and err.line == 2 and "UTF-8" in str(err)


def test_fixture_folder_of_every_format():
    from conftest import DATA

    folder = DATA / "mixed"
    docs = read_corpus([folder])
    by_id = {d.label: d for d in docs}
    assert sorted(by_id) == sorted(["csv-1", "csv-2", "j-1", f"{folder / 'posts.jsonl'}:3", "page.html", "post.md",
                                    "sub/note.txt"])
    assert by_id["page.html"].text == "Pane di segale\nQuesta settimana abbiamo sfornato il pane di segale & le focacce."
    assert by_id["post.md"].text.startswith("Orari di novembre") and "calendario" in by_id["post.md"].text
    assert "https" not in by_id["post.md"].text and "**" not in by_id["post.md"].text
    assert by_id["csv-1"].meta == {"campaign": "autunno"} and by_id["csv-1"].channel == "blog"
    assert by_id["csv-2"].date == dt.datetime(2025, 11, 4, 8, 30, tzinfo=dt.timezone.utc)
    assert by_id["j-1"].author == "marta" and by_id["j-1"].date.hour == 8
    assert not any("hidden" in d.text for d in docs)


def test_csv_row_with_fewer_fields_than_the_header(tmp_path):
    err = error_of([write(tmp_path, "a.csv", "id,text\n1,ok\n2\n")])
    assert err.line == 3 and "fewer fields" in str(err) and err.field == "text"


@pytest.mark.parametrize("line, field", [
    ('{"text": "ciao \\ud83d a tutti"}', "text"),
    ('{"text": "ciao a tutti", "author": "x\\udc00"}', "author"),
    ('{"text": "ciao a tutti", "campaign": {"name": "\\ud800"}}', "campaign"),
])
def test_lone_surrogates_in_json_are_refused_with_field_and_line(tmp_path, line, field):
    """A broken \\u escape decodes to a lone surrogate: not text, and the tokenizer and database refuse it."""
    err = error_of([write(tmp_path, "a.jsonl", jl({"text": "fine"}) + line + "\n")])
    assert err.line == 2 and err.field == field and "lone surrogate" in str(err)


def test_surrogate_pairs_are_ordinary_text(tmp_path):
    [doc] = read_corpus([write(tmp_path, "a.jsonl", '{"text": "ciao \\ud83d\\ude00"}\n')])
    assert doc.text == "ciao 😀"


# ---------------------------------------------------------------------- choosing by date
def _dated(*days, undated=0):
    docs = [Document(text=f"post {d}", date=parse_date(d), origin=f"f.jsonl:{i + 1}") for i, d in enumerate(days)]
    return docs + [Document(text="no date", origin=f"f.jsonl:{len(days) + k + 1}") for k in range(undated)]


def test_documents_between_keeps_both_days():
    from voicecheck.documents import documents_between

    docs = _dated("2026-03-01", "2026-03-05T23:59:00", "2026-03-06", "2026-04-01")
    assert [d.text for d in documents_between(docs, "2026-03-05", "2026-03-06")] == ["post 2026-03-05T23:59:00",
                                                                                   "post 2026-03-06"]
    assert len(documents_between(docs, since="2026-03-06")) == 2
    assert len(documents_between(docs, until="2026-03-01")) == 1
    assert documents_between(docs) == docs  # no bounds: everything, undated included
    assert documents_between(_dated(undated=2)) == _dated(undated=2)


def test_a_month_or_a_week_as_a_bound_is_all_of_its_days():
    """learn --since 2026-03 keeps March from its first day; --until 2026-03 to its last; an ISO week likewise
    (2026-W10 was read as its Monday, so an until of a week left out six of its days)."""
    from voicecheck.documents import documents_between, period_bound

    assert [period_bound("2026-02", end=e) for e in (False, True)] == ["2026-02-01", "2026-02-28"]
    assert [period_bound("2024-02", end=e) for e in (False, True)] == ["2024-02-01", "2024-02-29"]
    assert [period_bound(" 2026-12 ", end=e) for e in (False, True)] == ["2026-12-01", "2026-12-31"]
    assert [period_bound("2026-W10", end=e) for e in (False, True)] == ["2026-03-02", "2026-03-08"]
    for kept in ("2026-13", "2026-W60", "2026-03-05", "March", None, 5):
        assert period_bound(kept, end=True) == kept  # left to the date parser, whose error says what is wrong
    docs = _dated("2026-02-28T23:00:00", "2026-03-01", "2026-03-08T12:00:00", "2026-03-31T23:59:00", "2026-04-01")
    assert [d.text for d in documents_between(docs, "2026-03", "2026-03")] == [
        "post 2026-03-01", "post 2026-03-08T12:00:00", "post 2026-03-31T23:59:00"]
    assert len(documents_between(docs, "2026-W10", "2026-W10")) == 1
    with pytest.raises(InputError, match="2026-13"):
        documents_between(docs, since="2026-13")


@pytest.mark.parametrize("since, until, needles", [
    ("2026-03-06", "2026-03-01", ["until (2026-03-01) is before since (2026-03-06)"]),
    ("March", None, ["'March' is not an ISO 8601 date"]),
    ("2027-01-01", None, ["no documents dated from 2027-01-01 to the end", "run from 2026-03-01 to 2026-04-01"]),
])
def test_documents_between_refuses_what_it_cannot_do(since, until, needles):
    from voicecheck.documents import documents_between

    with pytest.raises(InputError) as e:
        documents_between(_dated("2026-03-01", "2026-04-01"), since, until)
    for n in needles:
        assert n in str(e.value)


def test_documents_between_refuses_undated_documents():
    from voicecheck.documents import documents_between

    with pytest.raises(InputError, match=r"1 of the 3 have no date \(the first: f.jsonl:3\)"):
        documents_between(_dated("2026-03-01", "2026-04-01", undated=1), since="2026-03-15")


# ---------------------------------------------------------------------- CSV: quotes and lines
def test_csv_unbalanced_quote_is_an_error_at_the_row_it_opens(tmp_path):
    """Not one document swallowing the rows after it."""
    p = write(tmp_path, "a.csv", 'id,text\n1,"She said ""hi"" and left.\n2,Second post.\n3,Third post.\n')
    err = error_of([p])
    assert (err.path, err.line) == (str(p), 2) and str(err).startswith(f"{p}:2: invalid CSV")
    assert "never closed" in str(err)


def test_csv_text_after_a_closing_quote_is_an_error(tmp_path):
    p = write(tmp_path, "a.csv", 'id,text\n1,ok\n2,"quoted" then more\n')
    err = error_of([p])
    assert err.line == 3 and "closing quote" in str(err) and '""' in str(err)


def test_csv_rows_before_a_broken_one_are_read_first(tmp_path):
    p = write(tmp_path, "a.csv", 'text\n"one\nline two"\ngood\n"open\nrest\n')
    it = read_documents(p)
    assert [next(it).text, next(it).text] == ["one\nline two", "good"]
    with pytest.raises(InputError) as info:
        next(it)
    assert info.value.line == 5  # where the open quote's row starts, after a two-line row


def test_csv_rows_over_several_lines_are_named_by_their_first_line(tmp_path):
    p = write(tmp_path, "a.csv", 'id,text\n1,"one\ntwo\nthree"\n\n2,"x\ny"\n3,plain\n')
    assert [d.origin for d in read_corpus([p])] == [f"{p}:2", f"{p}:6", f"{p}:8"]
    bad = write(tmp_path, "b.csv", 'id,text,date\n1,"multi\nline\ntext",nope\n')
    err = error_of([bad])
    assert (err.line, err.field) == (2, "date") and str(err).startswith(f"{bad}:2: ")


def test_csv_column_named_twice(tmp_path):
    err = error_of([write(tmp_path, "a.csv", "id,text,text\n1,a,b\n")])
    assert (err.line, err.field) == (1, "text") and "twice" in str(err)


def test_csv_long_text_gets_the_text_limit_and_leaves_the_csv_module_as_it_was(tmp_path):
    import csv

    before = csv.field_size_limit()
    [d] = read_corpus([write(tmp_path, "ok.csv", "text\n" + "a" * 150_000 + "\n")])  # past csv's own 131,072
    assert len(d.text) == 150_000
    err = error_of([write(tmp_path, "long.csv", "id,text\n1,short\n2," + "a" * (MAX_TEXT_CHARS + 1) + "\n")])
    assert (err.line, err.field) == (3, "text") and f"{MAX_TEXT_CHARS:,}" in str(err)
    err = error_of([write(tmp_path, "huge.csv", 'id,text\n1,short\n2,"' + "a" * 1_100_000 + "\n")])
    assert err.line == 3 and "invalid CSV" in str(err)
    assert csv.field_size_limit() == before


# ---------------------------------------------------------------------- ids and stdin
def test_files_in_a_folder_are_named_by_their_path_under_it(tmp_path):
    write(tmp_path, "fold/a/post.txt", "from a")
    write(tmp_path, "fold/b/post.txt", "from b")
    write(tmp_path, "fold/top.md", "on top")
    docs = read_corpus([tmp_path / "fold"])
    assert {d.id: d.text for d in docs} == {"a/post.txt": "from a", "b/post.txt": "from b", "top.md": "on top"}
    assert docs[0].origin == str(tmp_path / "fold" / "a" / "post.txt")
    [lone] = read_corpus([tmp_path / "fold" / "a" / "post.txt"])
    assert lone.id == "post.txt"


def test_demo_drafts_keep_their_file_names_as_ids():
    from conftest import AURORA

    assert sorted(d.id for d in read_corpus([AURORA / "drafts"])) == sorted(
        f.name for f in (AURORA / "drafts").iterdir())


def test_bom_on_stdin_is_ignored():
    docs = read_corpus(["-"], stdin=io.StringIO("\ufeff" + jl({"text": "con BOM"}, {"text": "\ufeffkept"})))
    # The stream's first character is a BOM; inside a text, U+FEFF is an invisible character, dropped as the
    # zero-width space is (documents.plain_spaces)
    assert [d.text for d in docs] == ["con BOM", "kept"]


# ---------------------------------------------------------------------- HTML
def html_text(tmp_path, html):
    [doc] = read_corpus([write(tmp_path, "page.html", html)])
    return doc.text


def test_an_email_newsletters_unsubscribe_footer_and_browser_line_are_no_part_of_it(tmp_path):
    """An email service's footer ("You are receiving this... Unsubscribe | Update your preferences") had put
    "unsubscribe, preferences, receiving" among a brand's characteristic words (a brand manager's review). Found by
    its links: an unsubscribe link among the last lines, with the service's lines above it (copyright, "you are
    receiving") and whatever follows, and a first "view in browser" link, are left out. Prose that mentions
    unsubscribing is the brand's: a first version, by the text of the last lines, cut brands' own closing lines."""
    mailchimp = ('<p><a href="v">View this email in your browser</a></p><h1>Summer</h1><p>Hello. Keep it simple.</p>'
                 "<p>You can unsubscribe whenever you like.</p><p>Take care, Morag</p><td><em>Copyright © 2026 Kelda"
                 "</em><br>You are receiving this email because you opted in.<br><br>Our mailing address is:<br>3 Mill"
                 " Lane<br><br>Want to change how you receive these emails?<br>You can <a href='p'>update your "
                 "preferences</a> or <a href='u'>unsubscribe from this list</a>.</td>")
    assert html_text(tmp_path, mailchimp) == ("Summer\nHello. Keep it simple.\nYou can unsubscribe whenever you "
                                              "like.\nTake care, Morag")
    for way in ("Annulla l'iscrizione", "Annullate l’iscrizione", "Cancellatevi", "Annulla iscrizione",
                "Cancellati dalla newsletter"):
        italian = (f"<p><a>Visualizza nel browser</a></p><p>Ciao a voi.</p><p>Non volete più riceverla? <a>{way}</a>"
                   "</p>")
        assert html_text(tmp_path, italian) == "Ciao a voi.", way  # typographic apostrophe, voi (a fashion brand)
    prose = ("<h1>Box</h1><p>First paragraph.</p><p>You can pause or unsubscribe from the box in your account.</p>"
             "<p>Chi preferisce non ricevere più il catalogo ce lo dica.</p><p>We hope you love it.</p>")
    assert html_text(tmp_path, prose).count("\n") == 4  # no link: all of it the brand's
    assert html_text(tmp_path, "<p><a href='u'>Disiscriviti qui</a></p>") == "Disiscriviti qui"  # all there is


def test_html_without_a_closing_head_tag_keeps_its_body(tmp_path):
    html = "<html><head><title>T</title><body><p>Hello there friends, we are open.</p></body></html>"
    assert html_text(tmp_path, html) == "Hello there friends, we are open."
    html = "<head><meta charset=utf-8><link rel=stylesheet href=a.css><style>p{}</style><title>T</title><p>Ciao</p>"
    assert html_text(tmp_path, html) == "Ciao"


def test_html_page_chrome_and_code_are_not_the_brands_writing(tmp_path):
    html = ("<body><header><a>Logo</a><nav><a>Home</a> <a>Shop</a></nav></header>"
            "<main><article><header><h1>Post title</h1></header><p>The post.</p><footer>By Ann</footer></article>"
            "</main><aside>Related posts</aside><footer>© 2025 Acme</footer>"
            "<script>var a = '</div>';</script><style>p{color:red}</style><noscript>Enable JS</noscript>"
            "<template><p>tpl</p></template><svg><title>icon</title><text>svg text</text></svg></body>")
    assert html_text(tmp_path, html) == "Post title\nThe post.\nBy Ann"


def test_html_blocks_cells_and_breaks_separate_text(tmp_path):
    html = ("<table><caption>Prices</caption><tr><th>Product</th><th>Price</th></tr>"
            "<tr><td>Kettle</td><td>49 €</td></tr></table><dl><dt>Term</dt><dd>Meaning</dd></dl>"
            "<ul><li>one</li><li>two</li></ul><blockquote>quoted</blockquote><h2>Sub</h2>a<br>b<hr>c"
            "<pre>line 1\nline 2</pre><figure><img alt=x><figcaption>Caption</figcaption></figure>"
            "<p>A paragraph\nwrapped in the source.</p>")
    assert html_text(tmp_path, html).split("\n") == [
        "Prices", "Product", "Price", "Kettle", "49 €", "Term", "Meaning", "one", "two", "quoted", "Sub", "a", "b",
        "c", "line 1", "line 2", "Caption", "A paragraph wrapped in the source."]


def test_html_entities_are_decoded(tmp_path):
    assert html_text(tmp_path, "<p>Fish &amp; chips&nbsp;today &mdash; it&#8217;s &lt;fresh&gt;</p>") == \
        "Fish & chips today — it's <fresh>"  # &rsquo; after a letter is the apostrophe


def test_html_emoji_drawn_as_images_are_kept_as_the_markdown_reader_keeps_them(tmp_path):
    # WordPress writes 😍 as <img class="emoji" alt="😍">: dropped, a draft broke a "no emoji" rule unseen (user review)
    page = write(tmp_path, "wp.html", '<p>Nuovo lotto <img class="emoji" alt="😍" src="1f60d.svg"/> al banco.'
                                      '<img src="foto.jpg" alt="Il nostro laboratorio"></p>')
    md = write(tmp_path, "wp.md", "Nuovo lotto ![😍](1f60d.svg) al banco.![Il nostro laboratorio!](foto.jpg)")
    assert read_corpus([page])[0].text == read_corpus([md])[0].text == "Nuovo lotto 😍 al banco."
    # a photo's alt text with "!" had made a Markdown newsletter off-voice, its HTML twin on-voice (a brand review)
    linked = write(tmp_path, "linked.md", "Prenotate qui. [![Prenota ora!](img.png)](https://x.y/?utm=1) A presto.")
    assert read_corpus([linked])[0].text.split() == ["Prenotate", "qui.", "A", "presto."]  # whole, not "[](url)"


def test_html_text_limit_is_on_the_text_not_the_page(tmp_path):
    page = ("<html><head><script>" + "var x = 1;\n" * 80_000 + "</script></head>"
            "<body><p>Seven words of text in this body.</p></body></html>")
    assert len(page.encode()) > 800_000
    assert html_text(tmp_path, page) == "Seven words of text in this body."
    err = error_of([write(tmp_path, "long.html", "<p>" + "parola " * 40_000 + "</p>")])
    assert err.field == "text" and f"{MAX_TEXT_CHARS:,}" in str(err)
    err = error_of([write(tmp_path, "huge.html", b"<p>" + b" " * MAX_FILE_BYTES + b"</p>")])
    assert "huge.html" in str(err) and f"{MAX_FILE_BYTES:,} bytes" in str(err)


# ---------------------------------------------------------------------- Markdown
def md_text(tmp_path, md):
    [doc] = read_corpus([write(tmp_path, "post.md", md)])
    return doc.text


def test_markdown_keeps_angle_brackets_that_are_not_tags_and_autolinks(tmp_path):
    assert md_text(tmp_path, "If x<3 and y>2 we win. <b>Bold</b> <span class=\"a\">it</span><br/>") == \
        "If x<3 and y>2 we win. Bold it"
    assert md_text(tmp_path, "Write to <hello@acme.com> or see <https://acme.com/a_b>.") == \
        "Write to hello@acme.com or see https://acme.com/a_b."
    assert md_text(tmp_path, "Before <!-- a note\nover lines --> after.") == "Before  after."


def test_markdown_with_private_use_characters_is_read_not_crashed(tmp_path):
    """The reader sets code spans and escapes aside as plane-15 private-use characters; a draft's own (found
    by the service's fuzz test: an IndexError, a 500) read as U+FFFD, never as a code span or punctuation."""
    assert md_text(tmp_path, "Hi \U000F1000 there `x` and \U000F0021 \\! ok") == "Hi \ufffd there x and \ufffd ! ok"


def test_markdown_front_matter_with_crlf(tmp_path):
    assert md_text(tmp_path, "---\r\ntitle: x\r\ntags: [a]\r\n---\r\n# Title\r\n\r\nBody text.\r\n") == \
        "Title\n\nBody text."


def test_markdown_front_matter_gives_the_date_author_and_language(tmp_path):
    """A content repository's posts carry their date in front matter: a drift report over them needs it (a CI
    integrator's review). YAML (Jekyll's date form too) and TOML (Hugo's +++) alike; the title is not scored."""
    write(tmp_path, "a.md", '---\ntitle: "Nuovo lotto"\ndate: 2026-03-02 10:00:00 +0100\nauthor: "Giulia"\n'
                            "lang: it\ntags: [caffè]\n---\n\nÈ arrivato il nuovo lotto.\n")
    write(tmp_path, "b.md", '\ufeff+++\r\ntitle = "B"\r\ndate = 2026-04-05T09:00:00+02:00\r\nlanguage = "it-IT"\r\n'
                            "+++\r\nVi aspettiamo sabato.\r\n")
    write(tmp_path, "c.txt", "---\ndate: 2026-01-01\n---\nA text file has no front matter.\n")
    write(tmp_path, "d.md", "---\ndate: 2026-05-01  # published\nsource: agency\nchannel: 'newsletter'\n---\n"
                            "Con un commento.\n")
    write(tmp_path, "e.md", '+++\ntitle = "E"\n[extra]\ndate = 2020-01-01\n+++\nUna tabella TOML.\n')
    write(tmp_path, "f.md", "---\nChannel: Stories\nLanguage: it\nDATE: 2026-06-01\n---\nIn maiuscolo.\n")
    a, b, c, d, e, f = read_corpus([tmp_path])
    assert d.date == parse_date("2026-05-01") and e.date is None  # a comment; a key of a TOML table
    # a key in any case: "Channel: stories" had been left out without a word (a brand manager's review)
    assert (f.channel, f.lang, f.date) == ("Stories", "it", parse_date("2026-06-01"))
    # what report --by groups on: an agency's newsletters had formed a "(none)" group (a brand manager's review)
    assert (d.source, d.channel, a.source, a.channel) == ("agency", "newsletter", None, None)
    assert (a.text, a.date, a.author, a.lang) == ("È arrivato il nuovo lotto.", parse_date("2026-03-02T09:00:00Z"),
                                                 "Giulia", "it")
    assert (b.text, b.date, b.author, b.lang) == ("Vi aspettiamo sabato.", parse_date("2026-04-05T07:00:00Z"), None,
                                                 "it")
    assert c.date is None and c.text.startswith("---")


def test_an_html_pages_meta_date_and_author_label_it(tmp_path):
    """An exported newsletter could not go into a drift report: "none of the 3 posts has a date" (a fashion brand's
    review). Its head's <meta name="date"> (or article:published_time) and <meta name="author"> label it."""
    write(tmp_path, "a.html", '<html><head><meta charset="utf-8"><META NAME="date" CONTENT="2026-05-07">'
                              "<meta name='author' content='Giulia'></head><body><p>Ciao a voi.</p></body></html>")
    write(tmp_path, "b.html", '<head><meta property="article:published_time" content="2026-06-01T10:00:00+02:00">'
                              '</head><body><meta name="date" content="1999-01-01"><p>Nuovo lotto.</p></body>')
    write(tmp_path, "c.html", '<head><meta name="date" content="ieri"></head><p>Testo.</p>')
    with pytest.warns(VoicecheckWarning, match=r"c.html: <meta> date not used: date 'ieri' is not an ISO 8601"):
        a, b, c = read_corpus([tmp_path])
    assert (a.date, a.author) == (parse_date("2026-05-07"), "Giulia")
    assert b.date == parse_date("2026-06-01T08:00:00Z") and c.date is None  # a <meta> in the body is no head's
    # a publication date outranks a generic one (a page's last change, in some tools); a commented tag is no label
    write(tmp_path, "d.html", '<head><!-- <meta name="date" content="2019-01-01"> --><meta name="date" '
                              'content="2026-06-30"><meta property="article:published_time" content="2026-05-02">'
                              "</head><p>Testo.</p>")
    assert read_corpus([tmp_path / "d.html"])[0].date == parse_date("2026-05-02")


def test_an_html_pages_meta_channel_and_source_label_it(tmp_path):
    """A newsletter exported as a page was explained against the brand's short posts ("151 words; the brand's
    texts: 38"): its head's <meta name="channel"> and <meta name="source"> label it, as front matter does."""
    write(tmp_path, "n.html", '<head><meta name="channel" content=" newsletter "><meta name="source" '
                              'content="agency"><meta name="channel" content="blog"></head><p>Care lettrici.</p>')
    with pytest.warns(VoicecheckWarning, match=r"n.html: <meta> channel 'blog' not used: the page names channel "
                                                r"'newsletter' first"):
        (doc,) = read_corpus([tmp_path / "n.html"])
    assert (doc.channel, doc.source) == ("newsletter", "agency")  # the first of each, trimmed
    write(tmp_path, "m.html", '<head><meta name="channel" content="%s"></head><p>Testo.</p>' % ("x" * 301))
    with pytest.warns(VoicecheckWarning, match=r"m.html: <meta> channel not used: field \"channel\" is 301 characters"):
        (doc,) = read_corpus([tmp_path / "m.html"])
    assert doc.channel is None and doc.text == "Testo."


def test_unusable_front_matter_is_said_with_its_line_and_left_out(tmp_path):
    """Front matter is written for the site ("date: Last Modified" in Eleventy): a warning, not a stop."""
    path = write(tmp_path, "c.md", "---\ntitle: C\ndate: Last Modified\nauthor: [a, b]\nlang: klingon\n"
                                   "author: Ada\n---\nVi aspettiamo sabato.\n")
    with pytest.warns(VoicecheckWarning) as caught:
        (doc,) = read_corpus([path])
    said = [str(w.message) for w in caught]
    assert said == [f"{path}:3: front matter date not used: date 'Last Modified' is not an ISO 8601 date "
                    "(YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS)",
                    f"{path}:4: front matter author not used: a list; give one author",
                    f"{path}:5: front matter lang not used: lang 'klingon' is not a language code (such as en, it "
                    "or it-IT)"]
    assert (doc.date, doc.author, doc.lang, doc.text) == (None, "Ada", None, "Vi aspettiamo sabato.")
    broken = write(tmp_path, "b.md", "---\ndate: 2026-09-01\nchannel: [blog\n---\nVi aspettiamo sabato.\n")
    with pytest.warns(VoicecheckWarning, match=rf"{re.escape(str(broken))}:3: front matter channel not used: "
                                               r"'\[' is never closed \(not YAML\); give one channel"):
        (doc,) = read_corpus([broken])  # a typo, not a list of channels (a content head's review)
    assert doc.channel is None


def test_front_matter_never_closed_is_an_error_at_its_first_line(tmp_path):
    """A draft whose writer forgot the closing '---' had its keys scored as its words ("usa parole che il brand non ha
    mai usato: 'date', 'source', 'agency'...") and its date and channel lost, without a word (an Italian insurer's
    communications head): refused at line 1, as TOML's '+++' and a record's text are, and no file is used."""
    good = write(tmp_path, "ok.md", "---\ndate: 2026-07-01\n---\nCari clienti, ci siamo.\n")
    bad = write(tmp_path, "bozza.md", "---\ndate: 2026-07-03\nsource: agency\nchannel: linkedin\n\n"
                                      "Cari clienti, la polizza casa cambia.\n")
    err = error_of([good, bad])
    assert str(err) == (f"{bad}:1: front matter opened here is never closed (no closing '---' line): its keys (date, "
                        "source, channel) would be read as the post's words; add a '---' line after its last key (or, "
                        "if the '---' is a horizontal rule, a blank line after it)") and err.line == 1
    toml = write(tmp_path, "hugo.md", '+++\ntitle = "Polizza"\ndate = 2026-07-03\n\nCari clienti.\n')
    assert str(error_of([toml])).startswith(f"{toml}:1: front matter opened here is never closed (no closing '+++' "
                                            "line): its keys (title, date)")
    # one key, if it is a label voicecheck reads; its list's items and nested keys are its own
    one = write(tmp_path, "one.md", "---\nCanale: linkedin\ntags:\n  - casa\n# bozza\nData: 2026-07-03\nCiao.\n")
    assert "its keys (Canale, tags, Data)" in str(error_of([one]))
    with pytest.raises(InputError) as info:
        documents_from_records([{"text": bad.read_text(encoding="utf-8"), "markup": "markdown"}], origin="cms.jsonl",
                               start=4)
    assert (info.value.line, info.value.field) == (4, "text")
    assert str(info.value).startswith('cms.jsonl:4: field "text": front matter opened on its line 1 is never closed')
    # a file opening with a horizontal rule is read as it always was: prose after it, or a blank line, or a label
    # that is no front matter key; a .txt file has no front matter
    for name, content in [("rule.md", "---\nNota: da lunedì gli uffici aprono alle 9.\n\nCari clienti.\n"),
                          ("blank.md", "---\n\ndate: 2026-07-03\nsource: agency\n\nCari clienti.\n"),
                          ("prose.md", "---\nCari clienti, ci siamo.\n"), ("plain.txt", bad.read_text())]:
        (doc,) = read_corpus([write(tmp_path, name, content)])
        assert doc.date is None and doc.text.startswith(("Nota", "date", "Cari", "---")), name


def test_front_matter_closed_by_a_horizontal_rule_below_its_prose_is_an_error_at_its_first_line(tmp_path):
    """A draft whose closing '---' was missing but whose body had a '---' rule further down had its labels read and
    its words up to the rule dropped without a word (an Italian insurer's review): a block holding a line no front
    matter has (prose) is no front matter, refused at line 1 as an unclosed one is, and no file is used."""
    good = write(tmp_path, "ok.md", "---\ndate: 2026-07-01\n---\nCari clienti, ci siamo.\n")
    bad = write(tmp_path, "bozza.md", "---\ndate: 2026-07-03\nchannel: linkedin\n\nGentili clienti, da lunedì la sede "
                                      "di Prato cambia orario.\nRestiamo a disposizione.\n\n---\n\n"
                                      "Assicurazioni Ponte Vecchio\n")
    err = error_of([good, bad])
    assert str(err) == (f"{bad}:1: front matter opened here is never closed (no closing '---' line): its keys (date, "
                        "channel) would be read as the post's words; add a '---' line after its last key (or, if the "
                        "'---' is a horizontal rule, a blank line after it)") and err.line == 1
    # the rule right below the prose, with nothing after it (it had been "file holds no text"), and TOML's '+++'
    for name, content in [("end.md", "---\ndate: 2026-07-03\nchannel: linkedin\nGentili clienti.\n---\n"),
                          ("hugo.md", '+++\ntitle = "Orari"\ndate = 2026-07-03\n\nGentili clienti.\n+++\nFirma\n')]:
        assert str(error_of([write(tmp_path, name, content)])).startswith(
            f"{tmp_path / name}:1: front matter opened here is never closed"), name
    with pytest.raises(InputError) as info:
        documents_from_records([{"text": bad.read_text(encoding="utf-8"), "markup": "markdown"}], origin="cms.jsonl",
                               start=4)
    assert (info.value.line, info.value.field) == (4, "text")
    # a rule, prose and a rule open no front matter: the prose is read, not dropped
    (doc,) = read_corpus([write(tmp_path, "rules.md", "---\nGentili clienti, ci siamo.\n---\nFirma\n")])
    assert (doc.date, doc.text) == (None, "Gentili clienti, ci siamo.\n\nFirma")


def test_front_matter_as_sites_write_it_is_read_as_before(tmp_path):
    """Only a block with a line no front matter has is refused (an Italian insurer's review): Jekyll's, Hugo's and
    Eleventy's quoted values with colons, lists, folded and multi-line values, comments, TOML tables and
    triple-quoted strings are read as they were."""
    for name, content in [
            ("jekyll.md", '---\nlayout: post\ntitle: "Polizza casa: cosa cambia"\ndate: 2026-07-03\ntags:\n  - casa\n'
                          "  - polizze\ncategories: [news, prato]\ndescription: >\n  Da lunedì la sede\n"
                          "  cambia orario.\n\n# for the site\nchannel: blog\n---\nCari clienti, ci siamo.\n"),
            ("list.md", "---\ndate: 2026-07-03\nchannel: blog\ntags:\n- casa\n- polizze\nnote: |\n  Riga uno.\n\n"
                        "  Riga due.\n...\nCari clienti, ci siamo.\n"),
            ("quoted.md", "---\ntitle: 'Orari: la sede\ndi Prato'\n\"og:title\": \"Orari\"\ndate: \"2026-07-03\"\n"
                          "channel: blog\n---\nCari clienti, ci siamo.\n"),
            ("hugo.md", '+++\ntitle = "Polizza: casa"\ndate = 2026-07-03\nchannel = "blog"\ntags = [\n"casa",\n'
                        '"polizze",\n]\ndescription = """\nDa lunedì la sede\ncambia orario."""\n\n[params]\n'
                        'channel = "sito"\n[[menu.main]]\nname = "Blog"\n+++\nCari clienti, ci siamo.\n'),
            # keys of words, as YAML allows, had made the whole block the post's text (a code review)
            ("spaced.md", "---\ntitle: Saldi\nPublish Date: 2026-03-02\n$schema: x\ndate: 2026-07-03\nchannel: blog\n"
                          "---\nCari clienti, ci siamo.\n")]:
        (doc,) = read_corpus([write(tmp_path, name, content)])
        assert (doc.date, doc.channel, doc.text) == (parse_date("2026-07-03"), "blog", "Cari clienti, ci siamo."), name


def test_front_matter_and_meta_take_the_italian_names_a_csv_takes(tmp_path):
    """front matter's "data:", "fonte:", "canale:" were left out without a word where a CSV's "Data", "Fonte",
    "Canale" were read (an Italian insurer's communications head): one table of Italian names for both, and for an
    HTML page's <meta>. A field's own name comes first; JSON Lines keys stay as written."""
    it = write(tmp_path, "it.md", "---\nData: 2026-07-03\nfonte: agenzia\ncanale: linkedin\nautore: Giulia\n"
                                  "lingua: it\n---\nCari clienti, la polizza casa cambia.\n")
    (doc,) = read_corpus([it])
    assert (doc.date, doc.source, doc.channel, doc.author, doc.lang) == (parse_date("2026-07-03"), "agenzia",
                                                                         "linkedin", "Giulia", "it")
    both = write(tmp_path, "both.md", "---\ndata: 2026-01-01\ncanale: blog\ndate: 2026-07-03\nchannel: linkedin\n"
                                      "---\nCari clienti.\n")
    (doc,) = read_corpus([both])
    assert (doc.date, doc.channel) == (parse_date("2026-07-03"), "linkedin")
    bad = write(tmp_path, "bad.md", "---\ntitolo: Polizza\ndata: 3 luglio 2026\n---\nCari clienti.\n")
    with pytest.warns(VoicecheckWarning) as caught:
        (doc,) = read_corpus([bad])
    assert doc.date is None and [str(w.message) for w in caught] == [
        f"{bad}:3: front matter data not used: date '3 luglio 2026' is not an ISO 8601 date (YYYY-MM-DD or "
        "YYYY-MM-DDTHH:MM:SS); write 2026-07-03"]
    page = write(tmp_path, "n.html", '<head><meta name="data" content="2026-07-03"><meta name="canale" '
                                     'content="newsletter"><meta name="Fonte" content="agenzia"><meta name="autore" '
                                     'content="Giulia"><meta name="author" content="Ada"></head><p>Care lettrici.</p>')
    (doc,) = read_corpus([page])
    assert (doc.date, doc.channel, doc.source, doc.author) == (parse_date("2026-07-03"), "newsletter", "agenzia",
                                                               "Ada")
    (doc,) = read_corpus([write(tmp_path, "r.jsonl", jl({"text": "Ciao.", "data": "2026-07-03"}))])
    assert doc.date is None and doc.meta == {"data": "2026-07-03"}


def test_markdown_tables_keep_cell_text_without_pipes(tmp_path):
    md = "Prices:\n\n| Product | Price |\n|---|---:|\n| Kettle | 49 € |\n| Cup \\| mug | 5 € |\n\nSee you."
    assert md_text(tmp_path, md) == "Prices:\n\nProduct\nPrice\nKettle\n49 €\nCup | mug\n5 €\n\nSee you."


def test_markdown_code_is_dropped_in_every_form(tmp_path):
    md = ("Intro.\n\n~~~python\nprint('tilde')\n~~~\n\n```\nprint('backtick')\n```\n\n"
          "    indented = 'code'\n    more = 1\n\nOutro with `inline code` kept.")
    assert md_text(tmp_path, md) == "Intro.\n\nOutro with inline code kept."
    # indented text inside a list item is the item's text, not code; an unclosed fence loses only its marker
    assert md_text(tmp_path, "- item\n\n    more of the item\n\n```\nno closing fence") == \
        "item\n\n    more of the item\n\nno closing fence"


def test_markdown_references_footnotes_and_emphasis(tmp_path):
    md = ("See [the docs][d] and [this](https://x.y/Foo_(bar) \"t\") and a note[^1].\n\n"
          "_italic_, __bold__, ***both***, ~~struck~~, snake_case_name, 2 * 3 * 4, \\*literal\\*.\n\n"
          "[d]: https://acme.com/docs \"Docs\"\n[^1]: The footnote's own words.\n")
    assert md_text(tmp_path, md) == ("See the docs and this and a note.\n\n"
                                     "italic, bold, both, struck, snake_case_name, 2 * 3 * 4, *literal*.\n\n"
                                     "The footnote's own words.")


def test_markdown_entities_and_hashtags(tmp_path):
    md = "## Orari ##\n\nFish &amp; chips &mdash; it&#8217;s AT&T.\n#coffeelover #bologna\n"
    assert md_text(tmp_path, md) == "Orari\n\nFish & chips — it's AT&T.\n#coffeelover #bologna"


def test_csv_from_excel_with_semicolons_or_tabs(tmp_path):
    # Excel in Italian (and wherever the comma is the decimal mark) saves CSV with semicolons; CRLF and a BOM.
    body = ('id;date;text;source\r\n'
            'p1;2026-11-03;"Vi aspettiamo in frantoio; dal lunedì al sabato, con l’olio nuovo.";inhouse\r\n'
            'p2;2026-11-04;Olio nuovo, 0,2% di acidità.;agenzia\r\n')
    p = write(tmp_path, "excel.csv", b"\xef\xbb\xbf" + body.encode("utf-8"))
    d1, d2 = read_corpus([p])
    assert d1.text == "Vi aspettiamo in frantoio; dal lunedì al sabato, con l'olio nuovo." and d1.source == "inhouse"
    assert d2.text == "Olio nuovo, 0,2% di acidità." and d2.id == "p2" and d2.date.day == 4
    tabs = write(tmp_path, "tabs.csv", "text\tsource\nVi aspettiamo, come sempre.\tinhouse\n")
    assert [(d.text, d.source) for d in read_corpus([tabs])] == [("Vi aspettiamo, come sempre.", "inhouse")]
    # a comma file keeps the comma even when its text holds semicolons; a broken semicolon file says where
    assert read_corpus([write(tmp_path, "c.csv", 'text,source\n"a; b",x\n')])[0].text == "a; b"
    err = error_of([write(tmp_path, "bad.csv", 'id;text\n1;ok\n2;"quoted" then more\n')])
    assert err.line == 3 and "closing quote" in str(err)


def test_csv_with_old_mac_line_endings(tmp_path):
    # "CSV (Macintosh)": every line ends in a lone "\r"; it stopped every command with an internal error
    # (found by a user review)
    p = write(tmp_path, "mac.csv", 'text,date\r"Primo post\rsu due righe",2026-01-01\rSecondo post,2026-01-02\r')
    d1, d2 = read_corpus([p])
    assert d1.text == "Primo post\nsu due righe" and d2.text == "Secondo post" and d2.date.day == 2
    err = error_of([write(tmp_path, "bad.csv", "text,date\rok,2026-01-01\rno,2026-99-02\r")])
    assert err.line == 3 and "no month 99" in str(err)


def test_spreadsheet_habits_are_read_and_odd_exports_get_a_hint(tmp_path):
    # found by a user review with real exports: Excel's "sep=;" line, empty cells past the last column, Unix
    # timestamps, a JSON array saved as .jsonl
    p = write(tmp_path, "excel.csv", "sep=;\r\ntext;date;;\r\nCiao a tutti;2026-01-01;;\r\nSecondo;2026-01-02\r\n")
    assert [(d.text, d.date.day) for d in read_corpus([p])] == [("Ciao a tutti", 1), ("Secondo", 2)]
    err = error_of([write(tmp_path, "extra.csv", "text,date\nok,2026-01-01,,spare\n")])
    assert err.line == 2 and "more fields than the header" in str(err)
    err = error_of([write(tmp_path, "epoch.csv", "text,date\nok,1735913100\n")])
    assert "if it is a Unix timestamp (in seconds), write 2025-01-03T14:05:00Z" in str(err)
    err = error_of([write(tmp_path, "ms.jsonl", '{"text": "ok", "date": 1735913100000}\n')])
    assert "if it is a Unix timestamp (in milliseconds), write 2025-01-03T14:05:00Z" in str(err)
    assert "Unix" not in str(error_of([write(tmp_path, "n.csv", "text,date\nok,12345\n")]))
    err = error_of([write(tmp_path, "array.jsonl", '[{"text": "a"},\n{"text": "b"}]\n')])
    assert err.line == 1 and "looks like one JSON array: JSON Lines holds one object per line" in str(err)
    err = error_of([write(tmp_path, "array1.jsonl", '[{"text": "a"}, {"text": "b"}]\n')])
    assert "got an array (JSON Lines holds one object per line, not an array of them)" in str(err)


def test_line_endings_make_no_difference(tmp_path):
    # The same draft saved on Windows, an old Mac and Linux is one text: its score was up to 9 points apart.
    texts = {Document(text=f"Vi aspettiamo.{end}Da lunedì.{end}").text for end in ("\n", "\r\n", "\r")}
    assert texts == {"Vi aspettiamo.\nDa lunedì.\n"}
    cells = write(tmp_path, "crlf.csv", 'id,text\r\n1,"Riga uno\r\nriga due"\r\n')
    assert read_corpus([cells])[0].text == "Riga uno\nriga due"


def test_windows_1252_file_is_named_as_such_not_as_binary(tmp_path):
    # Excel's plain "CSV" in Italy: Windows-1252, semicolons, CRLF; "è" and "’" are one byte each.
    body = "text;source\r\nL’olio è arrivato, vi aspettiamo.;inhouse\r\n".encode("cp1252")
    err = error_of([write(tmp_path, "excel.csv", body)])
    assert err.line == 2 and "Windows-1252" in str(err) and "CSV UTF-8" in str(err) and "binary" not in str(err)
    assert "at byte 2 of the line" in str(err)  # the ’ of L’olio: within line 2, not counted from the file's start
    err = error_of([write(tmp_path, "a.jsonl", jl({"text": "ok"}).encode() + b"\xff\xfe\x00\x01binary")])
    assert "binary" in str(err) and "Windows-1252" not in str(err)


def test_a_utf8_file_with_one_pasted_character_or_a_document_says_so(tmp_path):
    """A UTF-8 article with one "£" pasted from a Windows-1252 text, and a Word document renamed .md, were both "is
    this a binary file?" (a content lead's review): each now says what it is and what to do."""
    body = "Our fees: “clear” and fair.\nIt costs ".encode() + "£".encode("cp1252") + b"40 a month.\n"
    err = error_of([write(tmp_path, "pasted.txt", body, "wb")])
    assert err.line == 2 and "0xA3" in str(err) and '"£"' in str(err) and "UTF-8 elsewhere" in str(err)
    err = error_of([write(tmp_path, "article.md", b"PK\x03\x04\x14\x00\x06\x00" + bytes(range(256)), "wb")])
    assert "Word (.docx)" in str(err) and "binary" not in str(err) and err.line is None
    err = error_of([write(tmp_path, "article.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "wb")])
    assert "a PDF document" in str(err)
    (doc,) = read_corpus([write(tmp_path, "pdfs.md", "%PDF files are hard to edit; we send Word ones.")])
    assert doc.text.startswith("%PDF files")  # text that opens like a PDF is text
    # a Windows-1252 file whose "È»" reads as UTF-8 by chance is still named as Windows-1252 (a code review)
    err = error_of([write(tmp_path, "cp.txt", "«Perché no? È» la nostra risposta. Caffè e città.".encode("cp1252"),
                          "wb")])
    assert "Windows-1252" in str(err) and "UTF-8 elsewhere" not in str(err)


def test_a_record_in_markdown_or_html_keeps_the_labels_its_text_gives(tmp_path):
    """A CMS export sent an article's front matter (or a newsletter's <meta>) in "text" with "markup": the date and
    channel were dropped without a word, so the same article scored otherwise than from its .md file and left drift
    reports undated (a content lead's review). The record's own fields come first; a label that cannot be used is
    said with the record's line."""
    md = "---\ntitle: Capex\ndate: 2026-03-04\nchannel: blog\nsource: agency\n---\n# Capex\n\nWe write plainly.\n"
    page = ('<html><head><meta name="channel" content="newsletter"><meta name="date" content="2026-02-01">'
            '</head><body><p>Hello all.</p></body></html>')
    (tmp_path / "capex.md").write_text(md, encoding="utf-8")
    rows = [{"text": md, "markup": "markdown"}, {"text": md, "markup": "markdown", "channel": "linkedin", "date": ""},
            {"text": page, "markup": "html"}, {"text": md, "markup": "text"}]
    (tmp_path / "cms.jsonl").write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    from_file, first, own, page_doc, raw = read_corpus([tmp_path / "capex.md", tmp_path / "cms.jsonl"])
    for d in (first, own):
        assert d.text == from_file.text and d.date == from_file.date == dt.datetime(2026, 3, 4, tzinfo=dt.timezone.utc)
    assert (first.channel, first.source) == ("blog", "agency") and (own.channel, own.source) == ("linkedin", "agency")
    assert (page_doc.channel, page_doc.date.date()) == ("newsletter", dt.date(2026, 2, 1))
    assert raw.channel is None and raw.date is None  # read as plain text: its front matter is text
    with pytest.warns(VoicecheckWarning, match=r'cms.jsonl:7: field "text", front matter date \(its line 2\) not used'):
        (doc,) = documents_from_records([{"text": "---\ndate: Last Modified\n---\nBody.", "markup": "markdown"}],
                                        origin="cms.jsonl", start=7)
    assert doc.date is None and doc.text == "Body."


def test_day_first_date_from_excel_gets_the_iso_date_to_write(tmp_path):
    # Excel in Italy writes 03/11/2026 for 3 November; it is not guessed (11 March in the US), but shown.
    err = error_of([write(tmp_path, "a.csv", "date,text\n03/11/2026,Vi aspettiamo.\n")])
    assert err.line == 2 and err.field == "date"
    assert "write 2026-11-03 if the day comes first or 2026-03-11 if the month comes first" in str(err)
    assert str(error_of([write(tmp_path, "b.csv", "date,text\n25/12/2026 09:30,Buon Natale.\n")])).endswith(
        "; write 2026-12-25T09:30")
    assert "write" not in str(error_of([write(tmp_path, "c.csv", "date,text\n13/13/2026,No.\n")]))
    assert "write" not in str(error_of([write(tmp_path, "d.csv", "date,text\n31/02/2026,No.\n")]))  # no such day


@pytest.mark.parametrize("value, hint", [("2026/03/07", "; write 2026-03-07"), ("2026.3.7", "; write 2026-03-07"),
                                         ("7 marzo 2026", "; write 2026-03-07"), ("1º maggio 2026", "; write 2026-05-01"),
                                         ("March 7, 2026", "; write 2026-03-07"), ("7th Sept 2026", "; write 2026-09-07"),
                                         ("31 febbraio 2026", ""), ("7 brumaio 2026", "")])
def test_a_date_written_another_unambiguous_way_gets_the_iso_date_to_write(value, hint):
    """An Italian manager's export wrote 2026/03/07 and 7 marzo 2026: refused (not guessed), with what to write."""
    from voicecheck.documents import day_as_written, parse_date

    for parse in (parse_date, day_as_written):
        with pytest.raises(ValueError) as e:
            parse(value)
        assert str(e.value) == f"date {value!r} is not an ISO 8601 date (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS){hint}"


def test_a_week_is_no_post_date_though_it_bounds_a_period(tmp_path):
    """Python reads "2026-W05" as its Monday: a draft dated so was stored as 26 January without a word, while
    "2026-05" was refused (an integrator's review). A post has a day; as since/until a week is a period."""
    from voicecheck.documents import parse_date, period_bound

    with pytest.raises(ValueError, match=r"date '2026-W05' is a week, not a day: write the day \(YYYY-MM-DD\); "
                                         r"its Monday is 2026-01-26"):
        parse_date("2026-W05")
    assert parse_date("2026-W05-3") == parse_date("2026-01-28")  # a week date names its day
    week = write(tmp_path, "w.csv", "date,text\n2026W05,Ciao a voi.\n")
    assert "w.csv:2: date '2026W05' is a week" in str(error_of([week]))
    assert period_bound("2026-W05", end=True) == "2026-02-01"
    # the basic form is a week too, as a bound (it had been read as its Monday alone: a diff review) and as a
    # post's date in a report (it had been put on its Monday)
    assert period_bound("2026W18", end=True) == "2026-05-03" and period_bound("2026W18", end=False) == "2026-04-27"
    from voicecheck.drift import report_period

    assert report_period(until="2026W18")[1] == dt.date(2026, 5, 3)
    with pytest.raises(InputError, match=r"since: date '2025-W53' names no week: ISO weeks run from W01 to W52"):
        report_period(since="2025-W53")  # not "a week, not a day" (a review)


@pytest.mark.parametrize("value, why", [("2026-02-30", ": February 2026 has 28 days"),
                                        ("2025-02-29T10:00", ": February 2025 has 28 days"),
                                        ("2026-13-01", ": there is no month 13"), ("2026-04-31", "April 2026 has 30")])
def test_an_iso_date_that_is_not_a_day_says_why(value, why):
    """The format is right and the day does not exist: say that, not only "not ISO 8601"."""
    from voicecheck.documents import day_as_written, parse_date

    for read in (parse_date, day_as_written):
        with pytest.raises(ValueError, match=why):
            read(value)


def test_one_path_alone_is_read_as_a_path(tmp_path):
    path = tmp_path / "posts.jsonl"
    path.write_text('{"text": "one"}\n{"text": "two"}\n', encoding="utf-8")
    assert [d.text for d in read_corpus(str(path))] == [d.text for d in read_corpus(path)] == ["one", "two"]


@pytest.mark.parametrize("records", [["a text"], ["the text field"], [None], {"text": "one record"}, "text"])
def test_records_that_are_not_dicts_are_input_errors(records):
    with pytest.raises(InputError, match="expected a (list of )?records?"):
        documents_from_records(records)


def test_fit_refuses_a_single_string():
    from voicecheck.profile import VoiceProfile
    from voicecheck.testing import FakeEmbedder

    # Iterated, a long post was 1,215 one-character "documents" in 40 distinct letters: enough to learn from.
    text = " ".join(f"Post number {i}: we open at nine, close at six, and sell bicycles, parts and coffee."
                    for i in range(15))
    with pytest.raises(InputError, match="single string"):
        VoiceProfile().fit(text, embedder=FakeEmbedder())


def test_csv_column_names_are_read_as_a_person_types_them(tmp_path):
    """'Text', ' Date ' and Italian names (Testo, Data, Fonte) from a hand-made spreadsheet are the known fields."""
    p = write(tmp_path, "posts.csv", "Testo;Data;Fonte;Note\nCiao a tutti;2026-03-02;agenzia;prima bozza\n")
    d, = read_corpus([p])
    assert (d.text, d.date.date().isoformat(), d.source, d.meta) == ("Ciao a tutti", "2026-03-02", "agenzia",
                                                                     {"Note": "prima bozza"})
    p = write(tmp_path, "en.csv", " Text ,DATE\nhello there,2026-03-02\n")
    d, = read_corpus([p])
    assert d.text == "hello there" and d.date is not None
    # A column of the field's own name wins; the Italian one is then kept as metadata, as written.
    p = write(tmp_path, "both.csv", "text,Testo\nenglish,italiano\n")
    d, = read_corpus([p])
    assert d.text == "english" and d.meta == {"Testo": "italiano"}
    # Italian names count in an Italian header only: an English file's "data" column is its own.
    p = write(tmp_path, "data.csv", "text,Data\nhello there,not a date\n")
    d, = read_corpus([p])
    assert d.date is None and d.meta == {"Data": "not a date"}


def test_utf16_files_with_their_byte_order_mark_are_read(tmp_path):
    """Notepad's "Unicode" and Windows PowerShell 5's > write UTF-16 with a BOM: text, not binary."""
    p = write(tmp_path, "draft.txt", "\ufeffCiao a voi, è pronto".encode("utf-16-le"))
    q = write(tmp_path, "posts.jsonl", ("\ufeff" + jl({"text": "Già qui"})).encode("utf-16-be"))
    assert [d.text for d in read_corpus([p, q])] == ["Ciao a voi, è pronto", "Già qui"]
    bad = write(tmp_path, "bad.txt", b"\xff\xfe" + "ok".encode("utf-16-le") + b"\x00\xd8")  # a lone surrogate
    err = error_of([bad])
    assert "UTF-16" in str(err) and "save it as UTF-8" in str(err)


def test_a_cut_json_line_is_called_unterminated_not_a_control_character(tmp_path):
    p = write(tmp_path, "cut.jsonl", '{"text": "ok"}\n{"text": "cut off here\n')
    err = error_of([p])
    assert err.line == 2 and "Unterminated string" in str(err) and "control character" not in str(err)


def test_a_record_says_its_text_is_markdown_or_html(tmp_path):
    """"markup" reads a record's text as a .md or .html file is read; it is not kept as metadata."""
    rows = [{"text": "# Orari\n\nSiamo **aperti** dal martedì.", "markup": "markdown", "id": "md"},
            {"text": "<!-- wp:paragraph --><p>Siamo aperti dal martedì.</p>", "markup": "html", "id": "wp"},
            {"text": "<b>resta com'è</b>", "markup": "text", "id": "raw"}]
    (tmp_path / "posts.jsonl").write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    md, wp, raw = read_corpus([tmp_path / "posts.jsonl"])
    assert "**" not in md.text and "Siamo aperti dal martedì." in md.text and "markup" not in md.meta
    assert wp.text == "Siamo aperti dal martedì."
    assert raw.text == "<b>resta com'è</b>"
    with pytest.raises(InputError, match=r"bad.jsonl:1: field \"markup\" must be one of text, markdown, html"):
        (tmp_path / "bad.jsonl").write_text(json.dumps({"text": "x", "markup": "docx"}), encoding="utf-8")
        read_corpus([tmp_path / "bad.jsonl"])
    with pytest.raises(InputError, match="holds no text once read as html"):
        documents_from_records([{"text": "<script>x()</script>", "markup": "html"}])
    (tmp_path / "cms.csv").write_text('Text,Markup\n"<p>Siamo <b>aperti</b> dal martedì.</p>",html\n',
                                      encoding="utf-8")  # a spreadsheet's capitalised header
    (cms,) = read_corpus([tmp_path / "cms.csv"])
    assert cms.text == "Siamo aperti dal martedì." and not cms.meta


def test_text_of_invisible_characters_only_is_empty(tmp_path):
    """Zero-width spaces alone are no draft: refused as empty, not scored as a three-word post."""
    with pytest.raises(InputError, match="only invisible characters"):
        documents_from_records([{"text": "\u200b\u200b\ufeff"}])
    err = error_of([write(tmp_path, "blank.txt", "\u200b \u200d\n")])
    assert "file holds no text (only invisible characters" in str(err)
    assert documents_from_records([{"text": "\u200bciao a tutti"}])[0].text  # beside words they are fine


def test_labels_too_long_or_with_control_characters_are_refused(tmp_path):
    """An id, source, channel or author is a short name on one line (a text in the wrong column, or a NUL
    from a client's bug, would be printed in every report that names the post)."""
    p = write(tmp_path, "posts.jsonl", jl({"text": "ok", "id": "a"}, {"text": "ok", "source": "x" * 301}))
    with pytest.raises(InputError, match=r'posts.jsonl:2: field "source" is 301 characters; the limit is 300'):
        read_corpus([p])
    p = write(tmp_path, "ids.jsonl", jl({"text": "ok", "id": "a\u0000b"}))
    with pytest.raises(InputError, match=r'field "id" holds a control character \(0x0000\) at character 2'):
        read_corpus([p])
    assert read_corpus([write(tmp_path, "fine.jsonl", jl({"text": "ok", "author": "y" * 300}))])[0].author == "y" * 300


def test_group_labels_are_one_name_however_they_are_spaced(tmp_path):
    """" agency ", "agency\u00a0" (pasted from a CMS) and "ag\u200bency" made three groups in a drift report
    (found by a user review); the id is the client's own and stays as sent."""
    p = write(tmp_path, "posts.jsonl", jl({"text": "ok", "source": " agency ", "id": " a1 "},
                                          {"text": "ok", "source": "agency\u00a0", "channel": "in  store"},
                                          {"text": "ok", "source": "ag\u200bency", "author": " \u00a0 "}))
    docs = read_corpus([p])
    assert [d.source for d in docs] == ["agency"] * 3 and docs[0].id == " a1 "
    assert docs[1].channel == "in store" and docs[2].author is None
    assert Document("ok", source="In\u2009House").source == "In House"  # the library's own door too


def test_an_id_of_blanks_is_no_id():
    """A CMS's unfilled id field ("   ") was kept as the id and reached history and drift examples, where no one could
    trace it; an empty one was already named by its line (an integrator's review)."""
    docs = documents_from_records([{"text": "Vi aspettiamo al banco.", "id": "   "},
                                   {"text": "Vi aspettiamo al banco.", "id": "\u00a0", "source": " "}], origin="body")
    assert [d.id for d in docs] == [None, None] and docs[1].source is None
    assert [d.label for d in docs] == ["body:1", "body:2"]


def test_a_bad_date_names_the_later_rows_whose_dates_are_no_better(tmp_path):
    """An Italian spreadsheet writes 15/04/2026 in every row: the error named only the first, so the file looked one
    fix away (a bakery's review). Nothing is read, as before."""
    csv_path = write(tmp_path, "a.csv", "Data;Testo\n15/04/2026;Vi aspettiamo\n16/04/2026;Pane nuovo\n"
                                        "2026-04-17;Tutto bene\n;Senza data\n18/04/2026;Focacce\n")
    err = error_of([csv_path])
    assert (err.line, err.field) == (2, "date")
    assert str(err).endswith("write 2026-04-15; 2 more rows after it have a date that cannot be read either "
                             "(lines 3, 6)")
    lines = jl({"text": "a", "date": "15/04/2026"}, *({"text": "b", "date": f"{d}/05/2026"} for d in range(10, 17)),
               "not json", {"text": "c", "date": "2026-05-20"})
    err = error_of([write(tmp_path, "a.jsonl", lines)])
    assert str(err).endswith("7 more rows after it have a date that cannot be read either (lines 2, 3, 4, 5, 6, ...)")
    alone = error_of([write(tmp_path, "b.jsonl", jl({"text": "a", "date": "15/04/2026"}, {"text": "b"}))])
    assert str(alone).endswith("write 2026-04-15")


def test_json_past_python_s_limits_and_a_name_too_long_are_input_errors(tmp_path, monkeypatch):
    """An id of 5,000 digits, an array nested 100,000 deep, a file name of 300 characters: ValueError,
    RecursionError and OSError escaped as internal errors (a code review)."""
    big = tmp_path / "big.jsonl"
    big.write_text('{"text": "Un post qualunque del brand", "id": %s}\n' % ("9" * 5000), encoding="utf-8")
    with pytest.raises(InputError, match=r"big.jsonl:1: invalid JSON \(a number of over 4,300 digits\)"):
        read_corpus([big])
    deep = tmp_path / "deep.jsonl"
    deep.write_text('{"text": "ciao a tutti", "x": ' + "[" * 100_000 + "]" * 100_000 + "}\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"deep.jsonl:1: invalid JSON \(nested too deeply to be read\)"):
        read_corpus([deep])
    with pytest.raises(InputError, match="File name too long"):
        read_corpus([tmp_path / ("a" * 300 + ".txt")])
    with pytest.raises(InputError, match='field "id" is a number of over 300 digits; give it as a string'):
        documents_from_records([{"text": "ciao a tutti", "id": 10 ** 5000}])


@pytest.mark.parametrize("encoding, named", [("utf-16-le", "utf-16le"), ("utf-16-be", "utf-16be")])
def test_utf16_without_a_byte_order_mark_is_named(tmp_path, encoding, named):
    """It was "bytes that are not UTF-8 ... (is this a binary file?)" at line 2, or "NUL bytes" for plain ASCII (a
    brand manager's review): now named, with the command that converts it. With its mark it is read."""
    for text in ("id,text\n1,We fixed the rain fly. Come by the shop.\n", "id,text\n1,Perché è così\n"):
        f = tmp_path / "posts.csv"
        f.write_bytes(text.encode(encoding))
        with pytest.raises(InputError, match=f"looks like UTF-16 text without a byte order mark.*iconv -f {named}"):
            read_corpus([f])
        f.write_bytes(text.encode("utf-16"))  # with its byte order mark
        assert read_corpus([f])[0].text == text.splitlines()[1][2:]
    binary = tmp_path / "data.txt"
    binary.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(InputError, match="binary file"):
        read_corpus([binary])
