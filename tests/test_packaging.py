"""The sdist and the wheel a user installs: what voicecheck reads at run time is in them, nothing else.

The rest of the suite imports voicecheck from the checkout, so a data file the package globs miss, or a
stray folder shipped, would go unnoticed there. These build both with setuptools (no network: the
installed setuptools, not an isolated build), the wheel a second time from the unpacked sdist.
"""

from __future__ import annotations

import email
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

import voicecheck

ROOT = Path(__file__).resolve().parent.parent

setuptools = pytest.importorskip("setuptools", minversion="77")

_BUILD = """
import sys
import setuptools.build_meta as backend
out = sys.argv[1]
what = sys.argv[2:]
if "sdist" in what:
    print(backend.build_sdist(out))
if "wheel" in what:
    print(backend.build_wheel(out))
"""

_SHIPPED_DIRS = ["voicecheck", "api"]
#: The folder each is installed as: api/ is the package voicecheck_api (an installed "api" would clash).
_INSTALLED_AS = {"voicecheck": "voicecheck", "api": "voicecheck_api"}
_REPO_ONLY = ["tests", "corpora", "benchmarks", "scripts", "docs", "models"]


def _build(src: Path, out: Path, *what: str) -> list[Path]:
    done = subprocess.run([sys.executable, "-c", _BUILD, str(out), *what], cwd=src, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return [out / line for line in done.stdout.split() if line.endswith((".tar.gz", ".whl"))]


def _package_files(installed: bool = False) -> set[str]:
    """Every file of the two packages in the checkout (what the code may read at run time), by its path in the
    checkout or, ``installed``, in site-packages."""
    files = set()
    for top in _SHIPPED_DIRS:
        for path in (ROOT / top).rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                inside = path.relative_to(ROOT / top).as_posix()
                files.add(f"{_INSTALLED_AS[top] if installed else top}/{inside}")
    return files


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, object]:
    src = tmp_path_factory.mktemp("src")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info", "build", "dist", ".venv")
    for name in ["pyproject.toml", "README.md", "LICENSE", "MANIFEST.in"]:
        if (ROOT / name).exists():
            shutil.copy2(ROOT / name, src / name)
    for top in _SHIPPED_DIRS + ["tests", "corpora"]:  # tests and corpora present, to see they stay out
        shutil.copytree(ROOT / top, src / top, ignore=ignore)
    out = tmp_path_factory.mktemp("dist")
    sdist, wheel = _build(src, out, "sdist", "wheel")
    unpacked = tmp_path_factory.mktemp("sdist")
    with tarfile.open(sdist) as tar:
        tar.extractall(unpacked, filter="data")
        sdist_names = [n.split("/", 1)[1] for n in tar.getnames() if "/" in n]
    out2 = tmp_path_factory.mktemp("dist-from-sdist")
    (wheel_from_sdist,) = _build(unpacked / sdist.name.removesuffix(".tar.gz"), out2, "wheel")
    return {"sdist": sdist_names, "wheel": wheel, "wheel_from_sdist": wheel_from_sdist}


def _wheel_names(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as zf:
        return zf.namelist()


def test_wheel_has_every_package_file_and_nothing_of_the_repository(built):
    names = _wheel_names(built["wheel"])
    payload = {n for n in names if ".dist-info/" not in n}
    assert payload == _package_files(installed=True)
    for must in ["voicecheck/py.typed", "voicecheck/background/en_a.jsonl", "voicecheck_api/server.py"]:
        assert must in payload
    assert {n for n in payload if n.startswith("voicecheck/background/")} >= {
        f"voicecheck/background/{p.name}" for p in (ROOT / "voicecheck" / "background").iterdir()}


def test_wheel_built_from_the_sdist_is_the_same(built):
    assert sorted(_wheel_names(built["wheel_from_sdist"])) == sorted(_wheel_names(built["wheel"]))


def test_sdist_holds_what_builds_the_wheel_and_no_half_test_suite(built):
    names = set(built["sdist"])
    assert {"pyproject.toml", "README.md", "LICENSE", "voicecheck/py.typed"} <= names
    assert {n for n in names if n.startswith(("voicecheck/", "api/"))} >= _package_files()
    leaked = sorted(n for n in names if n.split("/", 1)[0] in _REPO_ONLY or "__pycache__" in n
                    or n.endswith(".pyc"))
    assert leaked == []


def test_metadata(built):
    with zipfile.ZipFile(built["wheel"]) as zf:
        dist_info = next(n.split("/")[0] for n in zf.namelist() if n.endswith(".dist-info/METADATA"))
        meta = email.message_from_bytes(zf.read(f"{dist_info}/METADATA"))
        entry_points = zf.read(f"{dist_info}/entry_points.txt").decode()
        assert f"{dist_info}/licenses/LICENSE" in zf.namelist()
    assert meta["Name"] == "voicecheck"
    assert meta["Version"] == voicecheck.__version__
    assert meta["License-Expression"] == "Apache-2.0"
    assert meta["Requires-Python"] == ">=3.11"
    assert "voicecheck = voicecheck.cli:run" in entry_points
