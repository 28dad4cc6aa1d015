"""Shared fixtures: the fake embedder, tiny brand corpora, fitted profiles, CLI runners."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from voicecheck.documents import Document
from voicecheck.testing import FakeEmbedder

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
NORTHWIND = ROOT / "corpora" / "northwind"
AURORA = ROOT / "corpora" / "aurora"

# ---------------------------------------------------------------------------- tiny corpora
# Forno Lume, a made-up bakery: Italian, "noi" speaking to "voi", calm, no exclamation marks.
_IT_OPENINGS = [
    "Questa settimana abbiamo sfornato", "Da lunedì trovate in vetrina", "Nel nostro laboratorio prepariamo",
    "Per il fine settimana vi proponiamo", "Stamattina abbiamo impastato", "Come ogni autunno portiamo in negozio",
    "Dopo una lunga prova abbiamo scelto", "Anche quest'anno vi aspettiamo con",
]
_IT_ITEMS = [
    "il pane di segale con farina macinata a pietra", "le focacce con olive taggiasche",
    "i cornetti integrali al miele di castagno", "la torta di mele della nonna",
    "i biscotti di farro e nocciole", "il panettone a lievitazione naturale",
    "le pagnotte di grano duro", "i taralli al finocchietto",
]
_IT_CLOSINGS = [
    "Vi aspettiamo in via Roma dalle sette.", "Passate a trovarci e diteci cosa ne pensate.",
    "Potete prenotare in negozio o scriverci.", "Scoprite gli orari sul nostro sito.",
    "Vi consigliamo di passare presto al mattino.", "Raccontateci come lo gustate voi.",
    "Noi lo abbiniamo a un buon caffè.", "Vi ringraziamo per la fiducia di sempre.",
]

# Ashgrove Books, a made-up bookshop: English, "we" speaking to "you", dry, no exclamation marks.
_EN_OPENINGS = [
    "This week we unpacked", "From Monday you'll find on the front table", "We've been reading",
    "Our staff pick for the weekend is", "Fresh in the window today:", "We finally restocked",
    "After a long wait we've got", "Back on the shelves this morning:",
]
_EN_ITEMS = [
    "a quiet novel about lighthouse keepers", "the new edition of the birdwatching guide",
    "three slim books of Scottish poetry", "a history of canals that's better than it sounds",
    "the crime series everyone keeps asking about", "a cookbook built around one pot",
    "a biography of a forgotten mapmaker", "the children's atlas with fold-out pages",
]
_EN_CLOSINGS = [
    "We're open until six, Tuesday to Saturday.", "You can reserve a copy by phone.",
    "Drop in and tell us what you think.", "We'll keep a few behind the counter for you.",
    "The kettle's usually on if you want to browse.", "Ask us and we'll order it in.",
    "It's a good one for a rainy Sunday.", "You don't need to book, just come by.",
]


def _build(openings, items, closings, n, prefix, lang):
    docs = []
    for i in range(n):
        # Past 64 posts the items and closings shift, so that every post differs (repeats are not more writing)
        text = (f"{openings[i % len(openings)]} {items[(i * 3 + i // 64) % len(items)]}. "
                f"{closings[(i * 5 + i // 8 + 3 * (i // 64)) % len(closings)]}")
        if i % 4 == 0:
            text += " " + closings[(i + 3) % len(closings)]
        docs.append({"id": f"{prefix}-{i + 1:03d}", "date": f"2025-{1 + i % 12:02d}-{1 + i % 27:02d}",
                     "source": "inhouse", "channel": "instagram" if i % 2 else "twitter", "text": text, "lang": lang})
    return docs


def italian_records(n: int = 48) -> list[dict]:
    return _build(_IT_OPENINGS, _IT_ITEMS, _IT_CLOSINGS, n, "fl", "it")


def english_records(n: int = 48) -> list[dict]:
    return _build(_EN_OPENINGS, _EN_ITEMS, _EN_CLOSINGS, n, "ab", "en")


def to_documents(records) -> list[Document]:
    from voicecheck.corpus import documents_from_records
    return documents_from_records(records)


def write_jsonl(path: Path, records) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def edit_profile_meta(folder: Path, edit) -> None:
    """Edit a saved profile's profile.json in place (``edit`` changes the dict) and fix its checksum in the
    manifest, as a hand edit that knows the format would: what a profile of another version looks like."""
    import hashlib

    meta = json.loads((folder / "profile.json").read_text(encoding="utf-8"))
    edit(meta)
    data = json.dumps(meta, ensure_ascii=False).encode()
    (folder / "profile.json").write_bytes(data)
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["files"]["profile.json"] = hashlib.sha256(data).hexdigest()
    (folder / "manifest.json").write_text(json.dumps(manifest))


def drop_profile_file(folder: Path, name: str) -> None:
    """Remove an optional file from a saved profile and from its manifest: a profile saved before it existed."""
    manifest = json.loads((folder / "manifest.json").read_text())
    del manifest["files"][name]
    (folder / "manifest.json").write_text(json.dumps(manifest))
    (folder / name).unlink()


# Drafts for the Italian brand.
IT_ON_VOICE = ("Questa settimana abbiamo sfornato le focacce con olive taggiasche. "
               "Vi aspettiamo in via Roma dalle sette.")
IT_OFF_VOICE = ("Scopri subito la tua nuova merendina preferita!!! 😍🔥 Corri in negozio, ti aspettiamo, "
                "non perdere questa offerta pazzesca!!! #food #yummy 🎉")


# ---------------------------------------------------------------------------- fixtures
@pytest.fixture(scope="session")
def fake_embedder() -> FakeEmbedder:
    return FakeEmbedder()


@pytest.fixture(scope="session")
def italian_docs() -> list[Document]:
    return to_documents(italian_records())


@pytest.fixture(scope="session")
def english_docs() -> list[Document]:
    return to_documents(english_records())


@pytest.fixture(scope="session")
def fake_profile(italian_docs, fake_embedder):
    """An Italian profile learned with the fake embedder (shared: do not mutate)."""
    from voicecheck.profile import VoiceProfile
    return VoiceProfile(name="forno-lume", folds=2).fit(italian_docs, embedder=fake_embedder)


@pytest.fixture(scope="session")
def fake_profile_dir(fake_profile, tmp_path_factory) -> Path:
    """The saved folder of ``fake_profile`` (shared: do not modify; use ``profile_copy``)."""
    return fake_profile.save(tmp_path_factory.mktemp("profiles") / "forno-lume")


@pytest.fixture()
def profile_copy(fake_profile_dir, tmp_path) -> Path:
    """A private copy of the saved fake profile, for tests that corrupt it."""
    dest = tmp_path / "forno-lume"
    shutil.copytree(fake_profile_dir, dest)
    return dest


# ---------------------------------------------------------------------------- CLI runners
@dataclass
class Run:
    code: int
    out: str
    err: str

    def json(self):
        return json.loads(self.out)

    def jsonl(self):
        return [json.loads(line) for line in self.out.splitlines() if line.strip()]


@pytest.fixture()
def cli(capsys):
    """Run ``voicecheck.cli.main(argv)`` in-process; argparse exits become exit codes."""
    from voicecheck.cli import main

    def run(*argv: str) -> Run:
        capsys.readouterr()
        try:
            code = main([str(a) for a in argv])
        except SystemExit as e:
            code = e.code if isinstance(e.code, int) else (0 if e.code is None else 2)
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


def console_script() -> Path:
    return Path(sys.executable).parent / "voicecheck"


@pytest.fixture()
def cli_subprocess():
    """Run the installed ``voicecheck`` console script in a subprocess."""
    exe = console_script()
    if not exe.exists():
        pytest.skip(f"console script not installed at {exe}")

    def run(*argv: str, input: str | None = None, timeout: float = 300) -> Run:
        env = dict(os.environ, VOICECHECK_NO_PROGRESS="1")
        p = subprocess.run([str(exe), *map(str, argv)], input=input, capture_output=True, text=True,
                           timeout=timeout, cwd=ROOT, env=env)
        return Run(p.returncode, p.stdout, p.stderr)

    return run


@pytest.fixture(scope="session")
def real_en_profile_dir(tmp_path_factory) -> Path:
    """One small real-model English profile (Northwind in-house posts), learned once per session via the CLI."""
    from voicecheck.cli import main

    out = tmp_path_factory.mktemp("real") / "northwind"
    code = main(["learn", str(NORTHWIND / "inhouse.jsonl"), "--out", str(out), "--name", "northwind"])
    assert code == 0
    return out


@pytest.fixture()
def synced(monkeypatch):
    """The paths os.fsync is called on, in order (a file's, or a folder's for the renames in it)."""
    import os

    paths: list[str] = []
    real = os.fsync

    def fsync(fd):
        paths.append(os.path.realpath(f"/proc/self/fd/{fd}"))
        return real(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    return paths
