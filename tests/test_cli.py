"""The ``voicecheck`` command: exit codes, output shapes, bad inputs.

Most tests run ``main([...])`` in-process. Scoring needs an embedding model; the
fast tests swap the model loader for the FakeEmbedder (``fake_models``), the few
``slow`` ones use the real model through a profile learned once per session.
"""

from __future__ import annotations

import io
import json
import re
import random
import sys
import time

import pytest

from conftest import IT_OFF_VOICE, IT_ON_VOICE, NORTHWIND, italian_records, write_jsonl
from voicecheck.testing import FakeEmbedder


@pytest.fixture()
def fake_models(monkeypatch):
    """Make the library load the FakeEmbedder whatever model a profile names."""
    import voicecheck.embedding as emb

    fake = FakeEmbedder()
    monkeypatch.setattr(emb, "load_embedder", lambda name: fake)
    monkeypatch.setattr(emb, "installed_model_identity", lambda name: dict(fake.identity))
    return fake


def assert_clean_error(run, *needles):
    assert run.code == 2, (run.code, run.out, run.err)
    assert "Traceback" not in run.err and "Traceback" not in run.out
    lines = [line for line in run.err.splitlines() if line.strip()]
    assert lines and "error:" in lines[-1]
    for n in needles:
        assert n in lines[-1], (n, lines[-1])
    return lines[-1]


# ---------------------------------------------------------------------------- help and usage
def test_help_lists_commands(cli):
    r = cli("--help")
    assert r.code == 0
    for cmd in ("learn", "score", "describe", "report", "evaluate", "serve"):
        assert cmd in r.out


@pytest.mark.parametrize("cmd", ["learn", "score", "describe", "report", "evaluate", "serve"])
def test_command_help(cli, cmd):
    r = cli(cmd, "--help")
    assert r.code == 0 and "usage: voicecheck " + cmd in r.out


def test_version(cli):
    r = cli("--version")
    assert r.code == 0 and "voicecheck" in r.out


def test_help_is_fast_and_light(cli_subprocess):
    start = time.monotonic()
    r = cli_subprocess("--help")
    assert r.code == 0 and "learn" in r.out
    assert time.monotonic() - start < 10


@pytest.mark.parametrize("argv, needle", [
    ([], "required"),
    (["frobnicate"], "invalid choice"),
    (["learn"], "required"),
    (["learn", "x.jsonl"], "--out"),
    (["learn", "x.jsonl", "--out"], "expected one argument"),
    (["score", "x.jsonl"], "--profile"),
    (["score", "--profile", "p"], "required"),
    (["score", "x.jsonl", "--profile", "p", "--format", "xml"], "invalid choice"),
    (["score", "x.jsonl", "--profile", "p", "--fail-under", "abc"], "must be a number from 0 to 100 (got 'abc')"),
    (["score", "x.jsonl", "--profile", "p", "--fail-under", "nan"], "must be a number from 0 to 100 (got 'nan')"),
    (["score", "x.jsonl", "--profile", "p", "--fail-under", "150"], "must be a number from 0 to 100 (got '150')"),
    (["score", "x.jsonl", "--profile", "p", "--fail-under", "-5"], "--fail-under"),
    (["score", "x.jsonl", "--profile", "p", "--fail-under", "1,2,3"], "must be a number from 0 to 100 (got '1,2,3')"),
    (["describe"], "--profile"),
    (["describe", "--profile", "p", "--format", "html"], "invalid choice: 'html' (choose from text, md, json)"),
    # named as typed, not as read: "invalid choice: 'html'" of --format htm had named what was never typed
    (["describe", "--profile", "p", "--format", "htm"], "invalid choice: 'htm' (choose from text, md, json)"),
    (["evaluate"], "required"),
    (["evaluate", "x.jsonl", "--format", "md"], "invalid choice"),
    (["evaluate", "x.jsonl", "--seed", "one"], "invalid int"),
    (["evaluate", "x.jsonl", "--seed", "-1"], "must be 0 or more (got '-1')"),  # not an internal error, later
])
def test_argument_errors_exit_2(cli, argv, needle):
    assert_clean_error(cli(*argv), needle)


def test_fail_under_takes_the_decimal_comma_the_italian_table_prints():
    """"--fail-under 5,5", as an Italian table prints scores ("41,0"), was refused (an Italian agency's review)."""
    from voicecheck.cli import _score_bound

    assert _score_bound("5,5") == 5.5 and _score_bound("7.25") == 7.25 and _score_bound("20") == 20.0


# ---------------------------------------------------------------------------- learn: bad inputs
def records_file(tmp_path, name, content: str | bytes):
    p = tmp_path / name
    p.write_bytes(content if isinstance(content, bytes) else content.encode())
    return p


@pytest.mark.parametrize("name, content, needles", [
    ("empty.jsonl", "", ["no documents"]),
    ("bad.jsonl", '{"text": "ok"}\n{"text": oops}\n', ["bad.jsonl:2", "invalid JSON"]),
    ("notext.jsonl", '{"text": "ok"}\n{"body": "x"}\n', ["notext.jsonl:2", '"text"']),
    ("bin.jsonl", b'{"text": "ok"}\n\x89PNG\xff\xfe\x00\x00', ["bin.jsonl:2"]),
    ("date.jsonl", '{"text": "ok", "date": "soon"}\n', ["date.jsonl:1", "soon"]),
    ("notes.pdf", "x", ["notes.pdf", "unsupported"]),
])
def test_learn_bad_input(cli, tmp_path, name, content, needles):
    p = records_file(tmp_path, name, content)
    out = tmp_path / "profile"
    assert_clean_error(cli("learn", p, "--out", out), *needles)
    assert not out.exists()


def test_learn_five_megabyte_document(cli, tmp_path):
    p = tmp_path / "big.jsonl"
    write_jsonl(p, [{"text": "ok"}, {"text": "x" * 5_000_000}])
    assert_clean_error(cli("learn", p, "--out", tmp_path / "o"), "big.jsonl:2", "200,000")


def test_learn_missing_file_and_empty_folder(cli, tmp_path):
    assert_clean_error(cli("learn", tmp_path / "nope.jsonl", "--out", tmp_path / "o"), "nope.jsonl")
    (tmp_path / "empty").mkdir()
    assert_clean_error(cli("learn", tmp_path / "empty", "--out", tmp_path / "o"), "empty")


@pytest.mark.parametrize("n", [1, 5])
def test_learn_too_little_writing(cli, tmp_path, fake_models, n):
    p = write_jsonl(tmp_path / "few.jsonl", italian_records(n))
    line = assert_clean_error(cli("learn", p, "--out", tmp_path / "o"), f"{n} document{'' if n == 1 else 's'} (", "20")
    assert not (tmp_path / "o").exists()
    assert line.startswith("voicecheck: error: ")


def test_learn_unknown_lang(cli, tmp_path, fake_models):
    p = write_jsonl(tmp_path / "c.jsonl", italian_records(25))
    assert_clean_error(cli("learn", p, "--out", tmp_path / "o", "--lang", "klingon"), "klingon", "en, it")


def test_learn_unclear_language(cli, tmp_path, fake_models):
    p = write_jsonl(tmp_path / "c.jsonl", [{"text": f"zxq vrrp {i} kltm qwop"} for i in range(25)])
    assert_clean_error(cli("learn", p, "--out", tmp_path / "o"), "--lang")


def test_learn_from_stdin_errors(cli, tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO('{"text": "ok"}\nnot json\n'))
    assert_clean_error(cli("learn", "-", "--out", tmp_path / "o"), "<stdin>:2")


# ---------------------------------------------------------------------------- score (fake model)
@pytest.fixture()
def drafts(tmp_path):
    return write_jsonl(tmp_path / "drafts.jsonl", [
        {"id": "on-1", "text": IT_ON_VOICE},
        {"text": "Da lunedì trovate in vetrina i biscotti di farro e nocciole. Passate a trovarci."},
        {"id": "off-1", "text": IT_OFF_VOICE},
        {"id": "short", "text": "Ciao a voi"},
    ])


def test_score_jsonl_shape_order_and_ids(cli, fake_models, fake_profile_dir, drafts):
    r = cli("score", drafts, "--profile", fake_profile_dir, "--format", "jsonl")
    assert r.code == 1  # one draft is off-voice
    rows = r.jsonl()
    assert len(r.out.strip().splitlines()) == 4
    assert [d["id"] for d in rows] == ["on-1", f"{drafts}:2", "off-1", "short"]
    assert [d["verdict"] for d in rows][2:] == ["off-voice", "too-short"]
    for d in rows:
        assert {"id", "score", "verdict", "dimensions", "reasons", "profile"} <= set(d)
        assert set(d["dimensions"]) == {"semantic", "style", "lexical"}
        assert d["profile"]["name"] == "forno-lume" and d["profile"]["lang"] == "it"


def test_score_json_is_one_array(cli, fake_models, fake_profile_dir, drafts):
    r = cli("score", drafts, "--profile", fake_profile_dir, "--format", "json")
    data = r.json()
    assert isinstance(data, list) and [d["id"] for d in data][0] == "on-1"


def test_score_default_when_piped_is_jsonl(cli, fake_models, fake_profile_dir, drafts):
    r = cli("score", drafts, "--profile", fake_profile_dir)
    assert len(r.jsonl()) == 4


def test_score_table(cli, fake_models, fake_profile_dir, drafts):
    r = cli("score", drafts, "--profile", fake_profile_dir, "--format", "table")
    lines = r.out.splitlines()
    # an Italian profile: the table speaks the reasons' language, numbers with a decimal comma
    assert lines[0].split()[:3] == ["id", "punteggio", "giudizio"]
    assert len(lines) == 5 and "fuori voce" in r.out and "troppo breve" in r.out and "off-voice" not in r.out
    assert any("," in line.split()[1] for line in lines[1:])
    english = cli("score", drafts, "--profile", fake_profile_dir, "--format", "table", "--explain-in", "en")
    assert english.out.splitlines()[0].split()[:3] == ["id", "score", "verdict"] and "off-voice" in english.out


def test_score_marks_texts_the_profile_learned_from(cli, fake_models, fake_profile_dir, tmp_path):
    learned = italian_records()[0]["text"]
    p = write_jsonl(tmp_path / "mixed.jsonl", [{"id": "old", "text": learned}, {"id": "new", "text": IT_ON_VOICE}])
    r = cli("score", p, "--profile", fake_profile_dir, "--format", "jsonl")
    assert [d["learned_from"] for d in r.jsonl()] == [True, False]
    table = cli("score", p, "--profile", fake_profile_dir, "--format", "table").out.splitlines()
    assert table[1].split()[1].endswith("*") and not table[2].split()[1].endswith("*")
    assert table[-1].startswith("* un testo già appreso dal profilo")
    english = cli("score", p, "--profile", fake_profile_dir, "--format", "table", "--explain-in", "en").out
    assert english.splitlines()[-1].startswith("* a text the profile learned from: it scores higher")
    unseen = cli("score", write_jsonl(tmp_path / "new.jsonl", [{"text": IT_ON_VOICE}]),
                 "--profile", fake_profile_dir, "--format", "table").out
    assert "*" not in unseen


def test_score_single_draft_table_lists_reasons(cli, fake_models, fake_profile_dir, tmp_path):
    p = tmp_path / "draft.txt"
    p.write_text(IT_OFF_VOICE)
    r = cli("score", p, "--profile", fake_profile_dir, "--format", "table")
    assert r.code == 1 and "draft.txt" in r.out and "[errore]" in r.out and "'tu'" in r.out  # in Italian, all
    assert "[error]" in cli("score", p, "--profile", fake_profile_dir, "--format", "table", "--explain-in", "en").out
    piped = cli("score", p, "--profile", fake_profile_dir, "--format", "jsonl")
    # the gate's lines in the reasons' language, as the table: one language and one decimal mark a line
    assert piped.code == 1 and "\nvoicecheck: 1 bozza su 1 non passa (fuori voce):\n  " in "\n" + piped.err
    assert re.search(r"\n  \S*draft\.txt: \d+,\d fuori voce: usa il 'tu'", piped.err), piped.err
    english = cli("score", p, "--profile", fake_profile_dir, "--format", "jsonl", "--explain-in", "en")
    assert "\nvoicecheck: 1 of 1 draft fails (off-voice):\n  " in "\n" + english.err
    assert re.search(r"\n  \S*draft\.txt: \d+\.\d off-voice: uses 'tu'", english.err), english.err
    short = write_jsonl(tmp_path / "short.jsonl", [{"id": "a", "text": "Ciao"}])
    row = cli("score", short, "--profile", fake_profile_dir, "--format", "table").out.splitlines()[1].split()
    # no score to read for a draft too short to judge, nor figures of its evidence (100s read as a perfect match)
    assert row[:7] == ["a", "–", "troppo", "breve", "–", "–", "–"]


def test_a_failing_gate_names_each_failing_draft_where_it_is_and_why_in_every_format(cli, fake_models,
                                                                                      fake_profile_dir, tmp_path):
    """An agency's content operations review: under a table, a failing gate had said nothing (the rows do not say
    which fail), and piped it named five drafts by id with no reason. Every failing draft, its file and line, its
    score and main reason."""
    p = write_jsonl(tmp_path / "batch.jsonl", [{"id": "a", "text": IT_ON_VOICE}, {"id": "b", "text": IT_OFF_VOICE}])
    for fmt in ("table", "jsonl", "json"):
        r = cli("score", p, "--profile", fake_profile_dir, "--format", fmt, "--fail-under", "100",
                "--explain-in", "en")
        lines = r.err.strip().splitlines()
        lines = lines[next(k for k, line in enumerate(lines) if line.startswith("voicecheck: ")):]
        assert r.code == 1 and lines[0] == "voicecheck: 2 of 2 drafts fail (off-voice, or under --fail-under 100):"
        assert re.fullmatch(r"  \S*batch\.jsonl:1 \(a\): \d+\.\d (on-voice|borderline)(: .+)?", lines[1]), lines
        assert re.fullmatch(r"  \S*batch\.jsonl:2 \(b\): \d+\.\d off-voice: uses 'tu' .+", lines[2]), lines
    r = cli("score", p, "--profile", fake_profile_dir, "--format", "jsonl", "--fail-under", "99.5")
    lines = r.err.strip().splitlines()
    lines = lines[next(k for k, line in enumerate(lines) if line.startswith("voicecheck: ")):]
    assert lines[0] == "voicecheck: 2 bozze su 2 non passano (fuori voce, o sotto --fail-under 99,5):"
    assert re.fullmatch(r"  \S*batch\.jsonl:2 \(b\): \d+,\d fuori voce: usa il 'tu' .+", lines[2]), lines


def test_score_writes_a_markdown_table_for_a_pull_request(cli, fake_models, fake_profile_dir, tmp_path):
    """A content head's review asked for a table to paste in a pull request: every draft, its whole main reason, in
    the reasons' language, with no draft's '|' able to break the table; the gate is the same."""
    p = write_jsonl(tmp_path / "batch.jsonl", [{"id": "a|b", "text": IT_OFF_VOICE}, {"id": "c", "text": "Ciao"},
                                               {"id": "d", "text": IT_ON_VOICE}])
    r = cli("score", p, "--profile", fake_profile_dir, "--format", "markdown")
    lines = r.out.strip().splitlines()
    assert r.code == 1 and "voicecheck: 1 bozza su 3 non passa" in r.err
    assert lines[0] == "| id | punteggio | giudizio | semantica | stile | lessico | motivo principale |"
    assert lines[1] == "|---|---|---|---|---|---|---|" and len(lines) == 5
    assert re.fullmatch(r"\| a\\\|b \| \d+,\d \| \*\*fuori voce\*\* \| \d+ \| \d+ \| \d+ \| usa il 'tu' .+ \|", lines[2])
    assert lines[3].startswith("| c | – | troppo breve | – | – | – | ")
    assert all(line.count(" | ") == 6 for line in lines[2:])  # seven cells a row, whatever the reasons hold
    english = cli("score", p, "--profile", fake_profile_dir, "--format", "md", "--explain-in", "en").out
    assert english.startswith("| id | score | verdict | semantic | style | lexical | main reason |")


def test_score_exit_0_when_all_on_voice(cli, fake_models, fake_profile_dir, tmp_path):
    p = write_jsonl(tmp_path / "ok.jsonl", [{"id": "a", "text": IT_ON_VOICE}, {"id": "b", "text": "Ciao"}])
    r = cli("score", p, "--profile", fake_profile_dir, "--format", "jsonl")
    assert r.code == 0, r.out
    score = r.jsonl()[0]["score"]
    assert cli("score", p, "--profile", fake_profile_dir, "--fail-under", score + 1).code == 1
    assert cli("score", p, "--profile", fake_profile_dir, "--fail-under", max(score - 1, 0)).code == 0
    assert cli("score", p, "--profile", fake_profile_dir, "--fail-under", score).code == 0  # "under": equal passes


def test_score_stdin(cli, fake_models, fake_profile_dir, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps({"id": "s", "text": IT_ON_VOICE}) + "\n"))
    r = cli("score", "-", "--profile", fake_profile_dir, "--format", "jsonl")
    assert r.code == 0 and r.jsonl()[0]["id"] == "s"


def test_score_missing_profile(cli, tmp_path, drafts):
    assert_clean_error(cli("score", drafts, "--profile", tmp_path / "nope"), "nope", "no profile")


@pytest.mark.parametrize("damage", ["missing", "edited"])
def test_score_corrupted_profile(cli, fake_models, profile_copy, drafts, damage):
    p = profile_copy / "calibration.npy"
    if damage == "missing":
        p.unlink()
    else:
        p.write_bytes(p.read_bytes()[:-1] + b"\x00")
    assert_clean_error(cli("score", drafts, "--profile", profile_copy), "calibration.npy")


def test_score_profile_of_another_model(cli, fake_profile_dir, drafts):
    # without the fake loader, the profile's model is unknown to this installation
    assert_clean_error(cli("score", drafts, "--profile", fake_profile_dir), "fake-hash-64")


def test_score_bad_input_file(cli, fake_models, fake_profile_dir, tmp_path):
    p = records_file(tmp_path, "d.jsonl", '{"text": "ok"}\n[1]\n')
    assert_clean_error(cli("score", p, "--profile", fake_profile_dir), "d.jsonl:2")


def test_a_draft_whose_front_matter_is_never_closed_stops_the_run_before_any_is_scored(cli, fake_models,
                                                                                       fake_profile_dir, tmp_path):
    """Its keys had been scored as its words (an Italian insurer's communications head): every file is read before
    any is scored or learned from, so nothing is printed or written."""
    (tmp_path / "ok.md").write_text("---\ndate: 2026-07-01\n---\nDa lunedì trovate i biscotti di farro.\n",
                                    encoding="utf-8")
    (tmp_path / "bozza.md").write_text("---\ndate: 2026-07-03\nchannel: linkedin\n\nCari clienti, ci siamo.\n",
                                       encoding="utf-8")
    r = cli("score", tmp_path / "ok.md", tmp_path / "bozza.md", "--profile", fake_profile_dir, "--format", "jsonl")
    assert_clean_error(r, "bozza.md:1: front matter opened here is never closed (no closing '---' line)")
    assert r.out == ""
    out = tmp_path / "profile"
    assert_clean_error(cli("learn", tmp_path, "--out", out), "bozza.md:1: front matter opened here is never closed")
    assert not out.exists()


# ---------------------------------------------------------------------------- describe (no model needed)
def test_describe_text(cli, fake_profile_dir):
    r = cli("describe", "--profile", fake_profile_dir)
    assert r.code == 0 and r.out.startswith("Scheda della voce: forno-lume") and "'voi'" in r.out


def test_describe_md(cli, fake_profile_dir):
    r = cli("describe", "--profile", fake_profile_dir, "--format", "md")
    assert r.code == 0 and r.out.startswith("# Scheda della voce: forno-lume") and "## Abitudini" in r.out
    # "--format markdown" was refused, though --out drift.markdown is read as md (a content lead's review)
    assert cli("describe", "--profile", fake_profile_dir, "--format", "Markdown").out == r.out


def test_describe_and_score_explain_in_english_on_request(cli, fake_models, fake_profile_dir, tmp_path):
    """An Italian brand's card and reasons in English for an editor who reads English; the same judgement."""
    r = cli("describe", "--profile", fake_profile_dir, "--format", "md", "--explain-in", "en")
    assert r.code == 0 and r.out.startswith("# Voice card: forno-lume") and "## Habits" in r.out
    draft = tmp_path / "bozza.txt"
    draft.write_text(IT_OFF_VOICE, encoding="utf-8")
    italian = cli("score", str(draft), "--profile", fake_profile_dir, "--format", "json")
    english = cli("score", str(draft), "--profile", fake_profile_dir, "--format", "json", "--explain-in", "en")
    (it,), (en,) = json.loads(italian.out), json.loads(english.out)
    assert italian.code == english.code == 1
    assert {k: v for k, v in it.items() if k != "reasons"} == {k: v for k, v in en.items() if k != "reasons"}
    assert [x["feature"] for x in it["reasons"]] == [x["feature"] for x in en["reasons"]]
    assert "il brand" in it["reasons"][0]["message"] and "the brand" in en["reasons"][0]["message"]
    bad = cli("score", str(draft), "--profile", fake_profile_dir, "--explain-in", "fr")
    assert bad.code == 2 and "--explain-in" in bad.err and "'en', 'it'" in bad.err
    upper = cli("score", str(draft), "--profile", fake_profile_dir, "--format", "json", "--explain-in", "EN")
    assert upper.out == english.out  # as the library and the service take it


def test_describe_json(cli, fake_profile_dir):
    r = cli("describe", "--profile", fake_profile_dir, "--format", "json")
    card = r.json()
    assert r.code == 0 and card["profile"]["name"] == "forno-lume" and card["register"]["form"] == "voi"


def test_describe_missing_or_broken_profile(cli, tmp_path, profile_copy):
    assert_clean_error(cli("describe", "--profile", tmp_path / "nope"), "nope")
    (profile_copy / "words.json").write_text("{}")
    assert_clean_error(cli("describe", "--profile", profile_copy), "words.json")


# ---------------------------------------------------------------------------- evaluate: input errors (fast)
def test_evaluate_too_few_voices(cli, tmp_path):
    recs = [{"voice": v, "text": f"text {i} of {v}"} for v in ("a", "b") for i in range(70)]
    p = write_jsonl(tmp_path / "multi.jsonl", recs)
    assert_clean_error(cli("evaluate", p), "at least 3 voices")


def test_evaluate_missing_voice_field(cli, tmp_path):
    p = write_jsonl(tmp_path / "multi.jsonl", [{"text": "x"}])
    assert_clean_error(cli("evaluate", p), '"voice"', "multi.jsonl:1")


@pytest.mark.parametrize("field", ["id", "date", "text"])
def test_evaluate_by_a_per_post_field_says_it_cannot_group(cli, tmp_path, field):
    p = write_jsonl(tmp_path / "multi.jsonl", [{"voice": "a", "id": "x1", "date": "2026-01-01", "text": "x"}])
    assert_clean_error(cli("evaluate", p, "--by", field), f"--by {field} cannot group voices",
                       "who wrote it")


def test_evaluate_seed_and_seeds_together_is_a_usage_error(cli, tmp_path):
    p = write_jsonl(tmp_path / "multi.jsonl", [{"voice": "a", "text": "x"}])
    assert_clean_error(cli("evaluate", p, "--seeds", "0,1", "--seed", "5"), "--seed (one run) or --seeds")


def test_evaluation_notes_name_left_out_and_shuffled_voices():
    """Both tables (one seed, several seeds) say which voices were left out and which were split without dates."""
    from voicecheck.cli import _protocol_notes, _seeds_table

    run = {"left_out": {"club": 40}, "voices": [{"voice": "a", "split": "by date"}, {"voice": "b", "split": "shuffled"}],
           "lang": "en", "masked": False, "off_voice_below": 5.0,
           "macro": {"voicecheck": {"auc": 0.9, "min_auc": 0.8, "false_flags": 0.05}}}
    assert _protocol_notes(run) == [
        "left out (fewer than 60 texts): club (40)",
        "split by a seeded shuffle, not by date (some or all of their texts are undated): b"]
    summary = {"voicecheck": {k: {"mean": v, "min": v, "max": v} for k, v in
                              (("auc", 0.9), ("min_auc", 0.8), ("false_flags", 0.05))}}
    table = _seeds_table({"seeds": [0], "runs": [run], "summary": summary})
    assert "over 1 seed (" in table and "club (40)" in table and "not by date" in table


# ---------------------------------------------------------------------------- real model (slow)
def synthetic_voices(n: int = 60, k: int = 3) -> list[dict]:
    """Up to four English voices built from templates: each has its own words, punctuation and person."""
    rng = random.Random(3)
    voices = {
        "calm-shop": (["We restocked {x} this week.", "Our workshop has {x} in today.", "We've kept {x} aside."],
                      ["You can book by phone.", "We're open until six.", "Come by when it suits you."]),
        "hype-brand": (["OMG {x} just dropped!!!", "Grab {x} NOW 🔥🔥", "Say hello to {x} 🎉"],
                       ["Don't miss out!!! #deal", "Link in bio 💥 #musthave", "Tag a friend!!! #wow"]),
        "formal-bank": (["Customers are advised that {x} will be available from Monday.",
                         "The institution hereby confirms the provision of {x}.",
                         "Further information regarding {x} is published on the website."],
                        ["Terms and conditions apply.", "Please consult the relevant documentation.",
                         "Eligibility criteria remain unchanged."]),
        "diary-blogger": (["honestly i tried {x} yesterday and... wow", "so i finally got {x} lol",
                           "ok so {x} happened today"], ["anyway, more soon x", "idk, thoughts?", "sigh. tea time"]),
    }
    things = ["the blue kettle", "winter tyres", "a savings account", "new notebooks", "the spring menu",
              "fresh sourdough", "a walking map", "the loyalty card", "rain jackets", "a garden bench"]
    out = []
    for v, (heads, tails) in list(voices.items())[:k]:
        for i in range(n):
            text = f"{rng.choice(heads).format(x=rng.choice(things))} {rng.choice(tails)} {rng.choice(tails)}"
            out.append({"voice": v, "id": f"{v}-{i}", "date": f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}",
                        "text": text})
    return out


@pytest.mark.slow
def test_evaluate_table_and_json(cli, tmp_path):
    p = write_jsonl(tmp_path / "voices.jsonl", synthetic_voices())
    r = cli("evaluate", p, "--format", "json", "--no-baselines")
    assert r.code == 0, r.err
    res = r.json()
    assert res["lang"] == "en" and len(res["voices"]) == 3
    for m in ("voicecheck", "voicecheck-no-contrast"):
        assert {"auc", "false_flags", "catch_rate", "min_auc"} <= set(res["macro"][m])
        assert 0 <= res["macro"][m]["auc"] <= 1
        lo, hi = res["macro"][m]["auc_interval"]
        assert lo <= res["macro"][m]["auc"] <= hi
        assert "margin" not in res["macro"][m]  # no baselines asked for: no margin over them
    assert res["macro"]["voicecheck"]["auc"] > 0.8
    from voicecheck.cli import _evaluation_table
    table = _evaluation_table(res)
    assert "MACRO" in table and "calm-shop" in table and "catch rate" in table and "95% intervals" in table
    calm = next(line for line in table.splitlines() if line.startswith("calm-shop")).split()[-1]
    dims = res["voices"][[v["voice"] for v in res["voices"]].index("calm-shop")]["methods"]["voicecheck"]
    assert calm == "/".join(f"{dims['dimension_auc'][f]:.2f}" for f in ("semantic", "style", "lexical"))
    assert "by dimension: the AUC of each family of evidence alone" in table
    # the table output of the command itself, on the same corpus, is exercised by _evaluation_table above:
    # running the protocol twice would double the cost of the slowest test of the suite


@pytest.mark.slow
def test_real_score_exit_codes_and_formats(cli, real_en_profile_dir):
    drafts = NORTHWIND / "drafts"
    r = cli("score", drafts, "--profile", real_en_profile_dir, "--format", "jsonl")
    rows = {d["id"]: d for d in r.jsonl()}
    assert set(rows) == {"off-voice-blog.md", "off-voice-launch.txt", "on-voice-route.txt",
                         "on-voice-winter-service.md"}
    assert r.code == (1 if any(d["verdict"] == "off-voice" for d in rows.values()) else 0)
    assert rows["off-voice-launch.txt"]["verdict"] in ("off-voice", "borderline")
    on = cli("score", drafts / "on-voice-route.txt", "--profile", real_en_profile_dir, "--format", "json")
    assert on.code == 0 and on.json()[0]["verdict"] in ("on-voice", "borderline")


@pytest.mark.slow
def test_a_closed_standard_output_does_not_change_the_exit_code(tmp_path):
    """Started with stdout closed (`>&-`), an error had become exit 1, which a CI gate reads as off-voice."""
    import subprocess

    from conftest import console_script

    exe = console_script()
    if not exe.exists():
        pytest.skip(f"console script not installed at {exe}")
    missing = subprocess.run(f"'{exe}' score '{tmp_path}/none.txt' --profile '{tmp_path}' >&-", shell=True,
                             capture_output=True, text=True, timeout=120)
    assert missing.returncode == 2 and "not a voicecheck profile" in missing.stderr
    assert "Traceback" not in missing.stderr
    version = subprocess.run(f"'{exe}' --version >&- 2>&-", shell=True, timeout=120)
    assert version.returncode == 0


def test_real_console_script_end_to_end(cli_subprocess, real_en_profile_dir):
    r = cli_subprocess("score", "-", "--profile", real_en_profile_dir, "--format", "jsonl",
                       input=json.dumps({"id": "x1", "text": "We're open until six on Saturday. Bring the bike "
                                                             "in and we'll have a look at the gears."}) + "\n")
    assert r.code in (0, 1) and "Traceback" not in r.err
    [row] = r.jsonl()
    assert row["id"] == "x1" and row["profile"]["name"] == "northwind" and row["profile"]["lang"] == "en"
    d = cli_subprocess("describe", "--profile", real_en_profile_dir, "--format", "json")
    assert d.code == 0 and d.json()["embedding_model"] == "all-MiniLM-L6-v2"
    bad = cli_subprocess("learn", "-", "--out", real_en_profile_dir.parent / "never", input='{"text": 1}\n')
    assert bad.code == 2 and "Traceback" not in bad.err and "<stdin>:1" in bad.err


@pytest.mark.slow
def test_closed_pipe_keeps_the_gate_failing(real_en_profile_dir, tmp_path):
    """`voicecheck score ... | head -1` in CI: the reader going away must not turn exit 1 into a pass."""
    import subprocess

    from conftest import console_script

    drafts = write_jsonl(tmp_path / "drafts.jsonl", [
        {"id": f"d{i}", "text": "OMG!!! HUGE SALE TODAY ONLY 🔥🔥🔥 grab yours NOW before it's gone!!! #deal #wow"}
        for i in range(40)])
    proc = subprocess.Popen([str(console_script()), "score", str(drafts), "--profile", str(real_en_profile_dir),
                             "--format", "jsonl"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**__import__("os").environ, "VOICECHECK_NO_PROGRESS": "1"})
    proc.stdout.readline()  # what `head -1` reads, then it goes away
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=300) == 1, err
    assert "Traceback" not in err


def test_learn_refuses_to_overwrite_a_folder_that_is_not_a_profile(cli, tmp_path, fake_models):
    """`learn my-posts/ --out my-posts`: said before learning, and the corpus is still there."""
    corpus = tmp_path / "my-posts"
    corpus.mkdir()
    write_jsonl(corpus / "posts.jsonl", italian_records(24))
    (corpus / "notes.txt").write_text("precious notes")
    assert_clean_error(cli("learn", corpus, "--out", corpus), "not a voice profile", "refusing to replace it")
    assert sorted(p.name for p in corpus.iterdir()) == ["notes.txt", "posts.jsonl"]
    assert cli("learn", corpus / "posts.jsonl", "--out", tmp_path / "p").code == 0
    assert cli("learn", corpus / "posts.jsonl", "--out", tmp_path / "p").code == 0  # a profile is replaced


def test_report_output_errors_name_the_file_asked_for(cli, fake_models, fake_profile_dir, dated_posts, tmp_path):
    import os
    import stat

    folder = tmp_path / "reports"
    folder.mkdir()
    for argv in (("--out", folder), ("--format", "html", "--out", folder)):
        assert_clean_error(cli("report", dated_posts, "--profile", fake_profile_dir, *argv),
                           f"{folder} is a folder", "--out names the report file")
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where a folder should be")
    assert_clean_error(cli("report", dated_posts, "--profile", fake_profile_dir, "--out", blocked / "r.html"),
                       f"cannot write {blocked / 'r.html'}")
    assert blocked.read_text() == "a file where a folder should be"
    out = folder / "drift.html"
    old = os.umask(0o022)
    try:
        assert cli("report", dated_posts, "--profile", fake_profile_dir, "--out", out).code == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE(out.stat().st_mode) == 0o644  # a report is meant to be shared, like any new file
    assert sorted(p.name for p in folder.iterdir()) == ["drift.html"]


def test_report_out_through_a_symbolic_link_replaces_its_target_and_keeps_the_link(tmp_path):
    """A published report behind a link (links/latest.md -> ../www/drift.md): the target gets the new report."""
    import os

    from voicecheck.cli import _write_atomic

    (tmp_path / "www").mkdir()
    (tmp_path / "links").mkdir()
    target = tmp_path / "www" / "drift.md"
    target.write_text("old")
    link = tmp_path / "links" / "latest.md"
    link.symlink_to(os.path.join("..", "www", "drift.md"))
    _write_atomic(str(link), "new report")
    assert link.is_symlink() and os.readlink(link) == os.path.join("..", "www", "drift.md")
    assert target.read_text() == "new report" and link.read_text() == "new report"
    assert sorted(p.name for p in (tmp_path / "links").iterdir()) == ["latest.md"]
    assert sorted(p.name for p in (tmp_path / "www").iterdir()) == ["drift.md"]  # no temporary file left
    dangling = tmp_path / "links" / "next.md"
    dangling.symlink_to(os.path.join("..", "www", "next.md"))
    _write_atomic(str(dangling), "first")
    assert dangling.is_symlink() and (tmp_path / "www" / "next.md").read_text() == "first"


def test_report_out_is_on_disk_when_the_command_returns(tmp_path, synced):
    """The file's bytes, then the rename (its folder), are synced: a power cut after a monthly job ended must not
    leave last month's report, or an empty file."""
    from voicecheck.cli import _write_atomic

    _write_atomic(str(tmp_path / "drift.md"), "report")
    assert len(synced) == 2 and synced[0].startswith(str(tmp_path / ".voicecheck-")) and synced[1] == str(tmp_path)


def test_report_out_that_is_not_a_regular_file_is_refused_before_scoring(cli, fake_models, fake_profile_dir,
                                                                        dated_posts, tmp_path, monkeypatch):
    """A pipe (or, as root, a device such as /dev/full) is not replaced by a report file: exit 2, one line."""
    import os
    import stat

    import voicecheck.scoring
    from voicecheck.cli import _write_atomic
    from voicecheck.errors import InputError

    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    with pytest.raises(InputError, match="is not a regular file"):
        _write_atomic(str(pipe), "report")
    assert stat.S_ISFIFO(os.lstat(pipe).st_mode)

    def no_scoring(*a, **k):
        raise AssertionError("scored before --out was checked")

    monkeypatch.setattr(voicecheck.scoring, "score_documents", no_scoring)
    link = tmp_path / "to-pipe.md"
    link.symlink_to(pipe)
    for out in (pipe, link):
        assert_clean_error(cli("report", dated_posts, "--profile", fake_profile_dir, "--out", out),
                           f"{out} is not a regular file", "--out names the report file")
        assert stat.S_ISFIFO(os.stat(out).st_mode)
    assert link.is_symlink()


# ---------------------------------------------------------------------------- progress bar
class _Tty(io.StringIO):
    def isatty(self):
        return True


def test_progress_bar_only_on_a_terminal(monkeypatch):
    from voicecheck.cli import Progress

    monkeypatch.delenv("VOICECHECK_NO_PROGRESS", raising=False)
    piped = io.StringIO()
    bar = Progress(100, "embedding", stream=piped)
    for _ in range(10):
        bar(10)
    assert piped.getvalue() == "" and bar.done == 100
    tty = _Tty()
    bar = Progress(100, "embedding", stream=tty)
    bar(60)
    bar(60)
    out = tty.getvalue()
    assert "embedding [" in out and "100/100" in out and out.endswith("\n")
    bar(5)  # more calls after the end (an embedder reporting pieces) draw nothing more
    assert tty.getvalue() == out and out.count("100/100") == 1
    small = _Tty()
    Progress(3, "scoring", stream=small)(3)  # short work: no bar
    assert small.getvalue() == ""
    monkeypatch.setenv("VOICECHECK_NO_PROGRESS", "1")
    off = _Tty()
    Progress(100, "x", stream=off)(100)
    assert off.getvalue() == ""


def test_fail_under_ignores_too_short(cli, fake_models, fake_profile_dir, tmp_path):
    p = write_jsonl(tmp_path / "short.jsonl", [{"id": "s", "text": "Ciao a voi"}])
    r = cli("score", p, "--profile", fake_profile_dir, "--fail-under", "99")
    assert r.code == 0 and r.jsonl()[0]["verdict"] == "too-short"


# ---------------------------------------------------------------------------- report (fake model)
@pytest.fixture()
def dated_posts(tmp_path):
    """Four weeks of the brand's own posts, then two weeks where an agency writes in 'tu' with exclamations."""
    import datetime as dt

    monday = dt.date(2026, 3, 2)
    own = italian_records(48)
    rows = [{"id": f"own-{i}", "text": r["text"], "source": "inhouse",
             "date": (monday + dt.timedelta(days=i % 28)).isoformat()} for i, r in enumerate(own)]
    loud = ["Scopri subito la tua nuova merendina preferita!!! 😍🔥 Corri in negozio!!!",
            "Non perdere questa offerta pazzesca!!! Ti aspettiamo, vieni subito!!! 🎉🎉",
            "Sei pronto??? La tua colazione non sarà più la stessa!!! #food #yummy 😋"]
    rows += [{"id": f"agency-{i}", "text": f"{loud[i % 3]} ({i})", "source": "agency",
              "date": (monday + dt.timedelta(days=28 + i % 14)).isoformat()} for i in range(30)]
    return write_jsonl(tmp_path / "posts.jsonl", rows)


def test_report_json_is_the_library_report(cli, fake_models, fake_profile_dir, dated_posts):
    """The CLI is a door over drift_report: the same JSON for the same posts."""
    from voicecheck.corpus import read_corpus
    from voicecheck.drift import drift_report
    from voicecheck.profile import VoiceProfile
    from voicecheck.scoring import score_documents

    r = cli("report", dated_posts, "--profile", fake_profile_dir, "--window", "week", "--by", "source",
            "--format", "json")
    assert r.code == 0, r.err
    profile = VoiceProfile.load(fake_profile_dir)
    expected = drift_report(score_documents(profile, read_corpus([str(dated_posts)])), profile, window="week",
                            by="source")
    assert r.json() == json.loads(json.dumps(expected))
    assert [w["start"] for w in r.json()["windows"]][0] == "2026-03-02" and r.json()["groups"] == ["agency",
                                                                                                  "inhouse"]
    assert r.json()["alerts"], "the agency's weeks of 'tu' and exclamations raise an alert"


def test_a_post_dated_years_ahead_is_left_out_of_a_report_and_named(cli, fake_models, fake_profile_dir, dated_posts,
                                                                     tmp_path):
    """A mistyped year (2062) made a monthly report run to 2062 in 428 windows without a word (a content head's
    review): it is left out and named, as the service leaves it out, unless --until asks for it."""
    typo = write_jsonl(tmp_path / "typo.jsonl", [{"id": "typo", "text": "Vi aspettiamo al banco sabato mattina.",
                                                  "date": "2062-03-01"}])
    once = cli("report", dated_posts, "--profile", fake_profile_dir, "--window", "month", "--format", "json").json()
    r = cli("report", dated_posts, typo, "--profile", fake_profile_dir, "--window", "month", "--format", "json")
    assert r.code == 0, r.err
    got = r.json()
    assert [w["start"] for w in got["windows"]] == [w["start"] for w in once["windows"]]
    assert "datato 2062-03-01 (typo): di solito un anno sbagliato" in got["summary"]  # an Italian profile
    weekly = cli("report", dated_posts, typo, "--profile", fake_profile_dir, "--format", "json")  # not refused
    assert weekly.code == 0 and weekly.json()["left_after"] == {"n_posts": 1, "latest": "2062-03-01"}, weekly.err
    asked = cli("report", dated_posts, typo, "--profile", fake_profile_dir, "--window", "month", "--until",
                "2062-12-31", "--format", "json").json()
    assert "2062-03-01" in [w["start"] for w in asked["windows"]] and "anno sbagliato" not in asked["summary"]


def test_report_counts_a_post_given_twice_once(cli, fake_models, fake_profile_dir, dated_posts, tmp_path):
    """Overlapping exports (all posts, and the agency's again): each post counted once, as the service does."""
    agency = tmp_path / "agency.jsonl"
    agency.write_text("".join(line + "\n" for line in dated_posts.read_text().splitlines() if '"agency-' in line))
    once = cli("report", dated_posts, "--profile", fake_profile_dir, "--window", "week", "--format", "json")
    twice = cli("report", dated_posts, agency, "--profile", fake_profile_dir, "--window", "week", "--format", "json")
    assert twice.code == 0 and twice.json() == once.json()
    assert "warning: 30 posts are repeats of others (the same id, date and text" in twice.err
    assert "share the id" not in twice.err
    relabelled = tmp_path / "relabelled.jsonl"  # another tool's export of the same posts: other labels, same posts
    relabelled.write_text("".join(json.dumps({**json.loads(line), "source": "Agency", "channel": "instagram"}) + "\n"
                                  for line in agency.read_text().splitlines()))
    other_tool = cli("report", dated_posts, relabelled, "--profile", fake_profile_dir, "--window", "week",
                     "--format", "json")
    assert other_tool.json() == once.json() and "30 posts are repeats" in other_tool.err
    edited = tmp_path / "edited.jsonl"  # the same id with another text is another post: kept, and named
    edited.write_text(json.dumps({"id": "agency-0", "text": "Un testo diverso.", "date": "2026-03-30"}) + "\n")
    both = cli("report", dated_posts, edited, "--profile", fake_profile_dir, "--window", "week", "--format", "json")
    assert both.json()["n_posts"] == once.json()["n_posts"] + 1 and "share the id 'agency-0'" in both.err


def test_report_over_undated_posts_stops_before_scoring_and_names_the_column_that_looks_like_a_date(
        cli, fake_models, fake_profile_dir, tmp_path, monkeypatch):
    """An export's "Data pubblicazione" column was kept as metadata: every post was scored, then the report said
    no post had a date (a user review with real exports); and a monthly job whose export lost its dates wrote a
    report of 0 windows and exited 0 (a brand manager's review). Now: an error, before scoring, nothing written."""
    import voicecheck.scoring

    def no_scoring(*a, **k):
        raise AssertionError("scored posts that cannot be reported")

    monkeypatch.setattr(voicecheck.scoring, "score_documents", no_scoring)
    export = tmp_path / "export.csv"
    export.write_text("Testo;Data pubblicazione;Network\n" + "".join(
        f"{r['text']};2026-03-0{1 + i % 9};instagram\n" for i, r in enumerate(italian_records(12))), encoding="utf-8")
    out = tmp_path / "drift.html"
    assert_clean_error(cli("report", export, "--profile", fake_profile_dir, "--out", out),
                       f"none of the 12 posts has a date (the first: {export}:2)",
                       "their field 'Data pubblicazione' looks like a date: name the column \"date\" (or \"data\")")
    assert not out.exists()
    posts = write_jsonl(tmp_path / "undated.jsonl", [{"text": r["text"]} for r in italian_records(12)])
    assert_clean_error(cli("report", posts, "--profile", fake_profile_dir, "--format", "json"),
                       "none of the 12 posts has a date", "give each post a date (a \"date\" field")


def test_report_out_file_format_from_extension(cli, fake_models, fake_profile_dir, dated_posts, tmp_path):
    html = tmp_path / "out" / "drift.html"
    r = cli("report", dated_posts, "--profile", fake_profile_dir, "--out", html)
    assert r.code == 0 and html.read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")
    assert f"wrote html drift report to {html}" in r.err and "Deriva rilevata" in r.err
    md = cli("report", dated_posts, "--profile", fake_profile_dir, "--window", "month", "--explain-in", "en")
    assert md.code == 0 and md.out.startswith("# Voice drift report")


def test_report_bad_format_fails_before_scoring(cli, fake_models, fake_profile_dir, dated_posts, tmp_path,
                                               monkeypatch):
    import voicecheck.scoring

    def no_scoring(*a, **k):
        raise AssertionError("scored before the arguments were checked")

    monkeypatch.setattr(voicecheck.scoring, "score_documents", no_scoring)
    out = tmp_path / "drift.txt"
    assert_clean_error(cli("report", dated_posts, "--profile", fake_profile_dir, "--out", out),
                       "cannot tell the report format from --out", "extension is .txt", "give --format")
    assert not out.exists() and list(tmp_path.iterdir()) == [dated_posts]
    assert_clean_error(cli("report", dated_posts, "--profile", fake_profile_dir, "--format", "pdf"), "'pdf'")
    wrong = tmp_path / "drift.json"  # HTML asked for, into a file named .json: said, nothing written
    assert_clean_error(cli("report", dated_posts, "--profile", fake_profile_dir, "--format", "html", "--out", wrong),
                       "--format html but --out", "names a .json file")
    assert not wrong.exists()


def test_report_bad_window_and_dates(cli, fake_models, fake_profile_dir, dated_posts):
    assert cli("report", dated_posts, "--profile", fake_profile_dir, "--window", "year").code == 2
    assert_clean_error(cli("report", dated_posts, "--profile", fake_profile_dir, "--since", "2026-04-10",
                           "--until", "2026-04-01"), "until", "before since")
    assert_clean_error(cli("report", dated_posts, "--profile", fake_profile_dir, "--since", "March"), "since",
                       "'March'")


def test_report_bad_dates_fail_before_scoring(cli, fake_models, fake_profile_dir, dated_posts, monkeypatch):
    """An impossible --since or --until (2026-02-30) is said at once, with the same message as after scoring."""
    import voicecheck.scoring

    def no_scoring(*a, **k):
        raise AssertionError("scored before the dates were checked")

    monkeypatch.setattr(voicecheck.scoring, "score_documents", no_scoring)
    for argv, needles in ((("--since", "2026-02-30"), ("since: '2026-02-30' is not an ISO 8601 date",)),
                          (("--until", "2026-13-01"), ("until: '2026-13-01' is not an ISO 8601 date",)),
                          (("--since", "2026-04-10", "--until", "2026-04-01"),
                           ("until (2026-04-01) is before since (2026-04-10)",))):
        assert_clean_error(cli("report", dated_posts, "--profile", fake_profile_dir, *argv), *needles)


def test_a_report_of_too_many_windows_is_refused_before_scoring_naming_its_posts(
        cli, fake_models, fake_profile_dir, dated_posts, tmp_path, monkeypatch):
    """One post dated 0001-01-01 (a CMS's empty date) would make a report of 24,000 empty months: refused at
    once, with the file and line of the earliest and latest posts; a period around the real posts works."""
    import voicecheck.scoring

    rows = [json.loads(line) for line in open(dated_posts, encoding="utf-8")]
    # one stray placeholder is left out and named, as the service leaves it out
    one = write_jsonl(tmp_path / "one.jsonl", [*rows, {**rows[0], "id": "cms-default", "date": "0001-01-01"}])
    report = cli("report", one, "--profile", fake_profile_dir, "--window", "month", "--format", "json").json()
    assert report["left_before"] == {"n_posts": 1, "earliest": "0001-01-01"} and len(report["windows"]) == 2
    # three are no stray few: a report from 0001 is refused
    rows += [{**rows[0], "id": f"cms-{k}", "date": f"0001-01-0{k}"} for k in (1, 2, 3)]
    posts = write_jsonl(tmp_path / "posts.jsonl", rows)
    ok = cli("report", posts, "--profile", fake_profile_dir, "--window", "month", "--since", "2026-01-01",
             "--format", "json")
    assert ok.code == 0, ok.err
    assert len(ok.json()["windows"]) == 4  # January to April 2026

    def no_scoring(*a, **k):
        raise AssertionError("scored before the period was checked")

    monkeypatch.setattr(voicecheck.scoring, "score_documents", no_scoring)
    assert_clean_error(cli("report", posts, "--profile", fake_profile_dir, "--window", "month"),
                       "the report would hold 24,3", "months, from 0001-01-01", "at most 1,000",
                       f"posts.jsonl:{len(rows) - 2} (0001-01-01)", "as a month is the longest window")


def test_learn_since_until_learns_from_the_period_only(cli, tmp_path, fake_models):
    """Learning a new version from recent writing: only the posts of the period, and a clear error otherwise."""
    import datetime as dt

    records = [{**r, "date": (dt.date(2026, 1, 1) + dt.timedelta(days=i)).isoformat()}
               for i, r in enumerate(italian_records(48))]
    posts = write_jsonl(tmp_path / "posts.jsonl", records)
    r = cli("learn", posts, "--out", tmp_path / "p", "--since", "2026-01-11", "--until", "2026-02-09", "--lang", "it",
            "--name", "forno")
    assert r.code == 0, r.err
    assert "from 30 documents" in r.out  # 11 January to 9 February, both days included
    again = cli("learn", posts, "--out", tmp_path / "p", "--since", "2026-01-21", "--lang", "it")  # a new version
    assert again.code == 0 and again.out.startswith("learned voice 'forno'")  # its name kept, not the folder's
    assert_clean_error(cli("learn", posts, "--out", tmp_path / "q", "--since", "2026-06-01"),
                       "no documents dated from 2026-06-01 to the end", "2026-01-01 to 2026-02-17")
    assert not (tmp_path / "q").exists()
    assert_clean_error(cli("learn", posts, "--out", tmp_path / "q", "--since", "2026-02-10"),  # 8 posts left
                       "8 of the 48 documents are dated within --since 2026-02-10: too little writing")
    undated = write_jsonl(tmp_path / "undated.jsonl", [{"text": r["text"]} for r in records[:3]])
    assert_clean_error(cli("learn", posts, undated, "--out", tmp_path / "q", "--since", "2026-01-11"),
                       "3 of the 51 have no date", "undated.jsonl:1")


def test_report_until_is_inclusive(cli, fake_models, fake_profile_dir, dated_posts):
    r = cli("report", dated_posts, "--profile", fake_profile_dir, "--window", "day", "--since", "2026-03-02",
            "--until", "2026-03-03", "--format", "json")
    assert [w["start"] for w in r.json()["windows"]] == ["2026-03-02", "2026-03-03"]
    from voicecheck.cli import build_parser

    report = build_parser()._subparsers._group_actions[0].choices["report"]
    until = next(a for a in report._actions if "--until" in a.option_strings)
    assert until.help == "last day to report (ISO 8601, inclusive; a month or week to its last day)"
    r = cli("report", dated_posts, "--profile", fake_profile_dir, "--window", "day", "--since", "2026-03",
            "--until", "2026-W10", "--format", "json")  # March from its first day, week 10 to its Sunday
    assert (r.json()["since"], r.json()["until"]) == ("2026-03-01", "2026-03-08")


def test_learn_warns_about_a_corpus_in_two_languages(cli, tmp_path, fake_models):
    english = [{"text": f"We are open on Sunday {i} and you can bring your bike to the shop for a check."}
               for i in range(12)]
    mixed = write_jsonl(tmp_path / "mixed.jsonl", italian_records(24) + english)
    r = cli("learn", mixed, "--out", tmp_path / "p", "--lang", "it")
    assert r.code == 0
    assert "33% of the documents look English, not Italian" in r.err and "split the writing by language" in r.err
    one = cli("learn", write_jsonl(tmp_path / "it.jsonl", italian_records(24)), "--out", tmp_path / "q")
    assert one.code == 0 and "look English" not in one.err
    # a few, unmarked, are learned as the brand's writing: said, with the first, so that they can be found (review)
    few = write_jsonl(tmp_path / "few.jsonl", italian_records(60) + english[:3])
    r = cli("learn", few, "--out", tmp_path / "f")
    assert r.code == 0 and "3 documents look English, not Italian (the first: 'We are open on Sunday 0 and you can " \
                           "bri…'): they were learned as the brand's writing; mark their lang" in r.err


def test_an_extreme_date_is_an_input_error_not_a_crash(cli, tmp_path, fake_models, fake_profile_dir):
    p = write_jsonl(tmp_path / "old.jsonl", [{"text": IT_ON_VOICE, "date": "0001-01-01T00:00:00+01:00"}])
    assert_clean_error(cli("score", p, "--profile", fake_profile_dir), "old.jsonl:1", "out of range")


def test_an_internal_error_exits_3_in_one_line(cli, monkeypatch):
    """A bug must not exit 1, which a CI gate reads as 'a draft is off-voice'."""
    import voicecheck.cli as cli_module

    def broken(args):
        raise RuntimeError("something unforeseen")

    monkeypatch.setattr(cli_module, "cmd_describe", broken)
    monkeypatch.delenv("VOICECHECK_DEBUG", raising=False)
    r = cli("describe", "--profile", "x")
    assert r.code == 3 and "Traceback" not in r.err
    assert "internal error: RuntimeError: something unforeseen" in r.err and "VOICECHECK_DEBUG=1" in r.err


def test_learn_since_reads_the_day_as_written(cli, tmp_path, fake_models):
    """'since 2026-01-03T00:30+01:00' is the 3rd, as in `report --since`, not the 2nd in UTC."""
    import datetime as dt

    records = [{**r, "date": f"{dt.date(2026, 1, 1) + dt.timedelta(days=i % 4)}T12:00:00+00:00"}
               for i, r in enumerate(italian_records(96))]
    posts = write_jsonl(tmp_path / "posts.jsonl", records)
    r = cli("learn", posts, "--out", tmp_path / "p", "--since", "2026-01-03T00:30:00+01:00")
    assert r.code == 0, r.err
    assert "from 48 documents" in r.out  # the 3rd and the 4th: 24 posts each


def test_learn_drops_contrast_that_is_the_brands_own_writing(cli, tmp_path, fake_models):
    """`--contrast` on a folder holding the brand's own file: those texts are not contrast, and it is said."""
    folder = tmp_path / "writing"
    folder.mkdir()
    own = write_jsonl(folder / "ours.jsonl", italian_records(24))
    write_jsonl(folder / "theirs.jsonl", [{"text": f"Offerta {i}: scopri la tua nuova cucina, ti aspettiamo!"}
                                         for i in range(12)])
    r = cli("learn", own, "--contrast", folder, "--out", tmp_path / "p")
    assert r.code == 0, r.err
    assert ", 12 contrast;" in r.out
    assert "24 of the contrast documents are also in the brand's writing" in r.err


def test_the_same_file_twice_is_not_twice_the_writing(cli, tmp_path, fake_models):
    p = write_jsonl(tmp_path / "few.jsonl", italian_records(12))
    assert_clean_error(cli("learn", p, p, "--out", tmp_path / "o"), "24 documents", "12 of them repeats",
                       "20 different documents")


def test_serve_says_what_is_wrong_before_starting(cli, tmp_path, monkeypatch):
    """A wrong database URL is a one-line error at the door (exit 2); a missing models folder is said."""
    import uvicorn

    started = []
    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: started.append(k))
    assert_clean_error(cli("serve", "--models", tmp_path, "--db", "mysql://x"), "unsupported database URL")
    assert_clean_error(cli("serve", "--models", tmp_path, "--db", "postgresql://nobody@127.0.0.1:1/none"),
                       "cannot reach history database")
    assert not started
    missing = tmp_path / "typo"
    r = cli("serve", "--models", missing, "--port", "0")
    assert r.code == 0 and started and f"the models folder {missing} does not exist" in r.err


def test_serve_on_a_port_in_use_is_a_one_line_error(cli, tmp_path, monkeypatch):
    """Not uvicorn's exit after start-up, which the CLI reported as an internal error (exit 3)."""
    import socket

    import uvicorn

    started = []
    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: started.append(k))
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert_clean_error(cli("serve", "--models", tmp_path, "--port", str(port)),
                           f"cannot listen on 127.0.0.1:{port}", "in use")
    assert_clean_error(cli("serve", "--models", tmp_path, "--host", "no-such-host.invalid"), "cannot listen on")
    assert not started


def test_files_a_folder_holds_but_voicecheck_does_not_read_are_a_warning(cli, tmp_path, fake_models):
    folder = tmp_path / "posts"
    folder.mkdir()
    write_jsonl(folder / "posts.jsonl", italian_records(24))
    (folder / "campagna.docx").write_bytes(b"PK\x00")
    r = cli("learn", folder, "--out", tmp_path / "p")
    assert r.code == 0, r.err
    assert f"warning: {folder}: 1 file not read (1 .docx, such as campagna.docx); voicecheck reads .txt" in r.err


@pytest.mark.parametrize("var, raw", [("VOICECHECK_MAX_BODY_BYTES", "8MB"), ("VOICECHECK_MAX_BATCH_ITEMS", "0"),
                                      ("VOICECHECK_BATCH_WAIT_MS", "soon"), ("VOICECHECK_BATCH_WAIT_MS", "-5"),
                                      ("VOICECHECK_BATCH_WAIT_MS", "nan")])  # -5 and nan were taken as 0 (review)
def test_serve_with_a_malformed_setting_is_a_usage_error(cli, tmp_path, monkeypatch, var, raw):
    """Not 'internal error ... please report it' (exit 3): the operator's setting is what is wrong."""
    import uvicorn

    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: None)
    monkeypatch.setenv(var, raw)
    assert_clean_error(cli("serve", "--models", tmp_path, "--port", "0"), var, repr(raw))


def test_files_named_on_their_own_keep_their_path_as_id(cli, fake_models, fake_profile_dir, tmp_path):
    """a/post.txt and b/post.txt are two drafts a CI job must tell apart."""
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "post.txt").write_text(IT_ON_VOICE, encoding="utf-8")
    r = cli("score", tmp_path / "a" / "post.txt", tmp_path / "b" / "post.txt", "--profile", fake_profile_dir,
            "--format", "jsonl")
    assert [d["id"] for d in r.jsonl()] == [(tmp_path / f / "post.txt").as_posix() for f in ("a", "b")]
    r = cli("score", tmp_path / "a" / "post.txt", "--profile", fake_profile_dir, "--format", "jsonl")
    assert [d["id"] for d in r.jsonl()] == ["post.txt"]  # alone, a file is known by its name (design 3.2)


def test_drafts_sharing_an_id_are_named_in_a_warning(cli, fake_models, fake_profile_dir, tmp_path):
    p = write_jsonl(tmp_path / "d.jsonl", [{"id": "a1", "text": IT_ON_VOICE}, {"id": "a1", "text": IT_OFF_VOICE}])
    r = cli("score", p, "--profile", fake_profile_dir, "--format", "jsonl")
    assert [d["id"] for d in r.jsonl()] == ["a1", "a1"]
    assert "2 drafts share the id 'a1'" in r.err and f"{p}:1" in r.err and f"{p}:2" in r.err


def test_table_shows_control_characters_escaped_and_long_ids_apart():
    from voicecheck.cli import _table
    from voicecheck.results import ScoreResult

    def result(id_):
        return ScoreResult(id=id_, score=50.0, verdict="on-voice",
                           dimensions={"semantic": 50.0, "style": 50.0, "lexical": 50.0}, reasons=[], profile={})

    long_a, long_b = "x" * 60 + "-a", "x" * 60 + "-b"
    table = _table([result("one\ntwo"), result("\x1b[31mred"), result(long_a), result(long_b)])
    lines = table.splitlines()
    assert len(lines) == 5 and "\x1b" not in table
    assert lines[1].startswith("one\\ntwo") and lines[2].startswith("\\x1b[31mred")
    assert lines[3].split()[0] != lines[4].split()[0] and lines[3].split()[0].endswith("-a")


@pytest.mark.parametrize("text, needle", [
    ("3-1", "--seeds range '3-1' runs backwards: write 1-3"),  # found by a user review
    ("0-25", "--seeds must name 1 to 20 seeds, none negative (got '0-25': 26 seeds)"),
    ("1,-2", "(got '1,-2': 2 seeds, some negative)"),
    ("a-b", "--seeds must be a list such as 0,1,2 or a range such as 0-4"),
])
def test_seeds_errors_say_what_is_wrong(text, needle):
    from voicecheck.cli import _seed_list
    from voicecheck.errors import InputError

    with pytest.raises(InputError) as e:
        _seed_list(text)
    assert needle in str(e.value)
    assert _seed_list("1-3") == [1, 2, 3] and _seed_list("0,4") == [0, 4]
