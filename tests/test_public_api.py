"""The public surface: lazy imports, __all__, python -m voicecheck."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import voicecheck

HEAVY = ("torch", "sentence_transformers", "spacy", "sklearn", "transformers", "scipy")


def run_python(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)


def test_import_loads_nothing_heavy():
    p = run_python("import json, sys, voicecheck; print(json.dumps(sorted(sys.modules)))")
    assert p.returncode == 0, p.stderr
    loaded = set(json.loads(p.stdout))
    assert not [m for m in HEAVY if m in loaded]


def test_light_names_stay_light():
    code = ("import json, sys, voicecheck; voicecheck.read_corpus; voicecheck.Document; voicecheck.InputError; "
            "voicecheck.detect_language; voicecheck.ScoreResult; import voicecheck.cli, voicecheck.testing; "
            "voicecheck.cli.build_parser(); print(json.dumps(sorted(sys.modules)))")
    p = run_python(code)
    assert p.returncode == 0, p.stderr
    loaded = set(json.loads(p.stdout))
    assert not [m for m in ("torch", "sentence_transformers", "spacy", "sklearn", "transformers") if m in loaded]


def test_all_is_sorted_and_resolves():
    assert voicecheck.__all__ == sorted(voicecheck.__all__) == sorted([*voicecheck._EXPORTS, "__version__"])
    assert len(set(voicecheck.__all__)) == len(voicecheck.__all__)
    missing = []
    for name in voicecheck.__all__:
        try:
            getattr(voicecheck, name)
        except (AttributeError, ImportError) as e:
            missing.append(f"{name}: {e}")
    assert not missing
    assert set(dir(voicecheck)) >= set(voicecheck.__all__)


def test_unknown_attribute():
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        voicecheck.nope  # noqa: B018


def test_errors_tree():
    from voicecheck import errors

    for name in errors.__all__:
        if name == "VoicecheckWarning":  # beside the tree: a warning, not an error
            assert issubclass(errors.VoicecheckWarning, UserWarning)
            assert not issubclass(errors.VoicecheckWarning, voicecheck.VoicecheckError)
            continue
        assert issubclass(getattr(errors, name), voicecheck.VoicecheckError)
    assert issubclass(voicecheck.TooLittleDataError, voicecheck.InputError)
    assert issubclass(voicecheck.ProfileFormatError, voicecheck.ProfileError)
    e = voicecheck.InputError("bad", path="a.jsonl", line=3, field="text")
    assert str(e) == "a.jsonl:3: bad" and e.detail == "bad" and e.field == "text"
    assert str(voicecheck.InputError("bad", path="a.txt")) == "a.txt: bad"


def test_python_dash_m_help():
    p = subprocess.run([sys.executable, "-m", "voicecheck", "--help"], capture_output=True, text=True, timeout=60)
    assert p.returncode == 0 and "learn" in p.stdout and "score" in p.stdout


def test_python_dash_m_usage_error():
    p = subprocess.run([sys.executable, "-m", "voicecheck", "score"], capture_output=True, text=True, timeout=60)
    assert p.returncode == 2 and "Traceback" not in p.stderr


def test_testing_module_is_public():
    from voicecheck import testing

    assert testing.__all__ == ["FakeEmbedder"]
    assert testing.FakeEmbedder().encode(["x"]).shape == (1, 64)


def test_type_checkers_see_every_public_name_with_its_type():
    # Only a module __getattr__ made every voicecheck.X an Any to mypy and editors: no completion, no
    # checking, and a misspelt name passed. The names are imported under TYPE_CHECKING, from where they live.
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(voicecheck))
    imported: dict[str, str] = {}
    getattr_hidden = False
    for node in tree.body:
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING":
            for imp in node.body:
                assert isinstance(imp, ast.ImportFrom) and imp.level == 1
                assert all(a.asname == a.name for a in imp.names)  # "X as X": an explicit re-export (mypy --strict)
                imported.update({a.name: imp.module for a in imp.names})
        if isinstance(node, ast.If) and ast.unparse(node.test) == "not TYPE_CHECKING":
            getattr_hidden = any(isinstance(f, ast.FunctionDef) and f.name == "__getattr__" for f in node.body)
    assert imported == voicecheck._EXPORTS
    assert getattr_hidden


def test_wrong_inputs_to_public_functions_are_voicecheck_errors(tmp_path):
    """What a library caller is likely to get wrong raises the documented error tree with what is wrong, not an
    AttributeError, KeyError, TypeError or OSError from deep inside (found by a library review)."""
    from voicecheck.corpus import distinct_posts
    from voicecheck.documents import documents_between
    from voicecheck.evaluation import mask_signoffs
    from voicecheck.language import detect_language
    from voicecheck.testing import FakeEmbedder

    shop = [f"We are open on Sunday {i} and you can bring your bike to the shop." for i in range(30)]
    cases = [
        (lambda: voicecheck.score_text("models/acme", "x"), "profile must be a VoiceProfile"),
        (lambda: voicecheck.drift_report([], None), "profile must be a VoiceProfile"),
        (lambda: voicecheck.render_report({}, "md"), "got a dict without profile, windows, alerts, summary"),
        (lambda: voicecheck.render_card([]), "render_card takes a voice card"),
        (lambda: voicecheck.read_corpus([5]), "paths must be file or folder paths"),
        (lambda: voicecheck.VoiceProfile.load(None), "path must be a folder path"),
        (lambda: voicecheck.VoiceProfile(random_state="a").fit(["a b c"] * 30, embedder=FakeEmbedder()),
         "random_state must be a whole number"),
        (lambda: voicecheck.Document("x" * 200_001), "the limit is 200,000 per document"),
        (lambda: voicecheck.Document("x", author=["a"]), "author must be a string, got list"),
        # a second library review: each was a bare AttributeError or TypeError
        (lambda: voicecheck.voice_card("models/acme"), "profile must be a VoiceProfile"),
        (lambda: voicecheck.VoiceProfile().fit(None, embedder=FakeEmbedder()), "expected a list of texts"),
        (lambda: voicecheck.drift_report(None, object()), "profile must be a VoiceProfile"),
        (lambda: voicecheck.VoiceProfile(use_background="no").fit(["a b c"] * 30, embedder=FakeEmbedder()),
         "use_background must be True or False"),
        # a third
        (lambda: voicecheck.VoiceProfile(lang="en").fit(shop, embedder="all-MiniLM-L6-v2"),
         "embedder must be an embedding model with a name and an encode method, got str (to load the model called "
         "'all-MiniLM-L6-v2': voicecheck.embedding.load_embedder('all-MiniLM-L6-v2'))"),
        (lambda: voicecheck.VoiceProfile(lang="en").fit(shop, embedder=object()), "got object"),
        (lambda: distinct_posts(None), "expected a list of texts or Documents"),
        # a fourth
        (lambda: voicecheck.read_corpus(None), "paths must be a path or a list of paths, got NoneType"),
        (lambda: detect_language(None), "texts must be a text or a list of texts"),
        (lambda: detect_language(["ciao", None]), "texts #2: expected a text, got NoneType"),
        (lambda: mask_signoffs(None), "text must be a string, got NoneType"),
        (lambda: documents_between(None, since="2026-01-01"), "expected a list of texts or Documents"),
        (lambda: documents_between(["plain text"], since="2026-01-01"), "choosing by date needs dated documents"),
        (lambda: voicecheck.VoiceProfile().fit({"id": "text"}, embedder=FakeEmbedder()), "got a dict"),
    ]
    for call, needle in cases:
        with pytest.raises(voicecheck.VoicecheckError) as e:
            call()
        assert needle in str(e.value)
    assert voicecheck.Document("x", id=5, source=7).id == "5" and voicecheck.Document("x", source=7).source == "7"
    kept, repeats = distinct_posts(["We are open.", voicecheck.Document("We are open.", id="a")] * 2)
    assert [d.label for d in kept] == ["#1", "a", "#3"] and repeats == 1  # strings are posts too, by position


def test_scoring_refuses_what_is_no_embedder_or_progress_as_input_errors(fake_profile):
    """A fifth library review: progress=5 was a TypeError deep in the embedding, and a model's name given as the
    embedder a ProfileFormatError saying "the embedder given is None", as if the profile were broken."""
    from voicecheck.errors import InputError
    from voicecheck.testing import FakeEmbedder

    cases = [
        (lambda: voicecheck.score_documents(fake_profile, ["Buongiorno a tutti"] * 3, progress=5,
                                            embedder=FakeEmbedder()),
         "progress must be a function called with the number of texts done, or None; got int", "progress"),
        (lambda: voicecheck.score_documents(fake_profile, ["Buongiorno a tutti"], embedder="minilm"),
         "embedder must be an embedding model with a name and an encode method, got str", "embedder"),
        (lambda: voicecheck.score_text(fake_profile, "Buongiorno a tutti", embedder=object()), "got object",
         "embedder"),
    ]
    for call, needle, field in cases:
        with pytest.raises(InputError) as e:
            call()
        assert needle in str(e.value) and e.value.field == field


def test_the_same_choices_in_any_spelling(tmp_path):
    """explain_in="it-IT" was refused where a document's lang takes it; render_report(..., "HTML") where "markdown"
    passed (a library review). contrast=None means no contrast writing, as () does."""
    from conftest import english_records, to_documents
    from voicecheck.testing import FakeEmbedder
    from voicecheck.wording import explain_language

    assert explain_language("it-IT", "en") == "it" and explain_language("Italian", "en") == "it"
    with pytest.raises(voicecheck.InputError, match="explains in en or it"):
        explain_language("fr-FR", "en")
    profile = voicecheck.VoiceProfile(name="a", folds=2).fit(to_documents(english_records(40)), contrast=None,
                                                             embedder=FakeEmbedder())
    assert profile.n_contrast_ == 0
    report = voicecheck.drift_report([], profile)
    assert voicecheck.render_report(report, "HTML") == voicecheck.render_report(report, "html")
    card = voicecheck.voice_card(profile)
    assert voicecheck.render_card(card, "MD") == voicecheck.render_card(card, "md")


def test_a_data_frame_s_values_are_taken_as_the_readers_take_them():
    """numpy integers and dates from a data frame's columns, and labels the readers refuse (a NUL, a line break, a
    text in the id field): the first were refused and the others stored (a library review)."""
    import numpy as np

    from voicecheck.testing import FakeEmbedder

    doc = voicecheck.Document("x", id=np.int64(7), source=np.int32(3), date=np.datetime64("2026-03-01T10:00"))
    assert (doc.id, doc.source, doc.date.isoformat()) == ("7", "3", "2026-03-01T10:00:00+00:00")
    assert voicecheck.Document("x", date=np.datetime64("NaT")).date is None
    for bad, said in ((dict(id="a\x00b"), "holds a control character"), (dict(source="x\ny"), "holds a control"),
                      (dict(id="a" * 1000), "the limit is 300")):
        with pytest.raises(voicecheck.InputError, match=said):
            voicecheck.Document("x", **bad)
    shop = [f"We are open on Sunday {i} and you can bring your bike to the shop." for i in range(30)]
    profile = voicecheck.VoiceProfile(lang="en", folds=np.int64(2), random_state=np.int64(1)).fit(
        shop, embedder=FakeEmbedder(), warn=False)
    assert profile.folds == 2 and type(profile.folds) is int


class NaTType:
    """Stands for pandas' NaT (not installed here): recognised by its type's name, unequal to itself."""

    def __eq__(self, other):
        return False

    def __ne__(self, other):
        return True

    __hash__ = object.__hash__


class DataFrame:
    """Stands for a pandas DataFrame: iterated, it gives its column names."""

    columns = ["id", "text"]

    def __iter__(self):
        return iter(self.columns)


def test_a_data_frame_s_empty_cells_are_not_given():
    """NaN labels and NaT dates, as a data frame exports a post without them: "not given", as a file reader takes an
    empty field. A NaN author had been refused ("got float") and a NaT date crashed a drift report with a TypeError
    (a library review)."""
    import numpy as np

    from voicecheck.testing import FakeEmbedder

    doc = voicecheck.Document("x", id=float("nan"), author=float("nan"), channel=NaTType(), date=NaTType(),
                              lang=float("nan"))
    assert (doc.id, doc.author, doc.channel, doc.date, doc.lang) == (None, None, None, None, None)
    shop = [voicecheck.Document(f"We are open on Sunday {i} and you can bring your bike to the shop.", id=f"s{i}",
                                date=f"2026-03-{1 + i:02d}") for i in range(30)]
    assert voicecheck.documents_between(shop, since=NaTType(), until=np.datetime64("2026-03-10")) == shop[:10]
    assert voicecheck.documents_between(shop, since=np.datetime64("NaT")) == shop
    profile = voicecheck.VoiceProfile(lang="en", folds=2).fit(shop, embedder=FakeEmbedder(), warn=False)
    rows = [r.to_dict(with_style=True) for r in voicecheck.score_documents(profile, shop[:6], embedder=FakeEmbedder())]
    rows[3]["date"] = NaTType()
    report = voicecheck.drift_report(rows, profile, since=NaTType())
    assert report["undated"] == 1 and report["n_dated"] == 5


def test_a_data_frame_given_for_a_list_is_refused_with_what_to_pass():
    """Iterated, a DataFrame gives its column names: they were scored as two drafts, "id" and "text"."""
    from voicecheck.testing import FakeEmbedder

    shop = [f"We are open on Sunday {i} and you can bring your bike to the shop." for i in range(30)]
    profile = voicecheck.VoiceProfile(lang="en", folds=2).fit(shop, embedder=FakeEmbedder(), warn=False)
    with pytest.raises(voicecheck.InputError, match=r"got a pandas DataFrame .*df\['text'\]\.tolist\(\)"):
        voicecheck.score_documents(profile, DataFrame(), embedder=FakeEmbedder())
    with pytest.raises(voicecheck.InputError, match="got a pandas DataFrame"):
        voicecheck.VoiceProfile(lang="en").fit(DataFrame(), embedder=FakeEmbedder())
    with pytest.raises(voicecheck.InputError, match=r"results must be a list, got a pandas DataFrame .*to_dict"):
        voicecheck.drift_report(DataFrame(), profile)


def test_a_card_renders_as_json_too(fake_profile):
    import json

    card = voicecheck.voice_card(fake_profile)
    assert json.loads(voicecheck.render_card(card, "JSON")) == json.loads(json.dumps(card))
