"""The real server process: `voicecheck serve` on a free port, restarted, history kept."""

from __future__ import annotations

import os
import signal
import re
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from conftest_api import DRAFT_OFF, DRAFT_ON, ROOT, copy_profile, free_port, real_northwind

KEY = "server-test-key-0123456789"


class Server:
    """`python -m voicecheck serve` in a subprocess, stopped with SIGINT like Ctrl-C."""

    def __init__(self, models: Path, *, env: dict[str, str] | None = None) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = models.parent / f"server-{self.port}.log"
        self._log = open(self.log, "wb")
        self.proc = subprocess.Popen([sys.executable, "-m", "voicecheck", "serve", "--host", "127.0.0.1", "--port",
                                      str(self.port), "--models", str(models)], cwd=ROOT,
                                     env={**os.environ, "HF_HUB_OFFLINE": "1", **(env or {})},
                                     stdout=self._log, stderr=subprocess.STDOUT)

    def wait_ready(self, timeout: float = 240.0) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"server exited: {self.log.read_text()[-2000:]}")
            try:
                r = httpx.get(self.base + "/healthz", timeout=5)
                if r.status_code == 200:
                    return r.json()
            except httpx.TransportError:
                pass
            time.sleep(0.3)
        raise AssertionError(f"server not ready in {timeout}s: {self.log.read_text()[-2000:]}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        self._log.close()


@pytest.mark.slow
def test_real_server_scores_restarts_and_keeps_history(tmp_path, tmp_path_factory):
    models = tmp_path / "models"
    copy_profile(real_northwind(tmp_path_factory), models, "northwind")
    env = {"VOICECHECK_API_KEYS": KEY}
    auth = {"Authorization": f"Bearer {KEY}"}

    server = Server(models, env=env)
    try:
        health = server.wait_ready()
        assert health["embedding_models"] == ["all-MiniLM-L6-v2"]
        url = server.base + "/v1/profiles/northwind/score"
        assert httpx.post(url, json={"text": DRAFT_ON}).status_code == 401
        one = httpx.post(url, json={"text": DRAFT_ON, "id": "on", "date": "2026-03-02"}, headers=auth, timeout=60)
        assert one.status_code == 200, one.text
        assert one.json()["verdict"] in ("on-voice", "borderline")
        batch = httpx.post(url, json={"items": [{"text": DRAFT_OFF, "id": "off"}, {"text": DRAFT_ON, "id": "again"}]},
                           headers=auth, timeout=60)
        assert batch.status_code == 200 and [r["id"] for r in batch.json()["results"]] == ["off", "again"]
        bad = httpx.post(url, content=b"{nope", headers={**auth, "content-type": "application/json"})
        assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid_json"
        traced = httpx.get(server.base + "/healthz", headers={"X-Request-ID": "pub-tool-42"})
        assert traced.headers["x-request-id"] == "pub-tool-42" and len(one.headers["x-request-id"]) == 32
    finally:
        server.stop()
    assert (models / "voicecheck.db").is_file()
    log = server.log.read_text()
    assert KEY not in log
    # voicecheck's own lines have a time and a level (the start-up line was dropped before).
    assert re.search(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ INFO voicecheck.api: voicecheck service ready", log, re.M), log

    again = Server(models, env=env)
    try:
        again.wait_ready()
        page = httpx.get(again.base + "/v1/profiles/northwind/history", headers=auth, timeout=30).json()
        assert [i["result"]["id"] for i in page["items"]] == ["again", "off", "on"]
        drift = httpx.get(again.base + "/v1/profiles/northwind/drift", headers=auth, timeout=30)
        assert drift.status_code == 200 and drift.json()["n_posts"] == 3
    finally:
        again.stop()


@pytest.mark.slow
def test_a_client_that_hangs_up_has_its_drafts_withdrawn(tmp_path, tmp_path_factory):
    """A publishing tool that times out and retries: the batch it gave up on is not stored (the retry would store it
    twice), and the worker is not kept busy with drafts no one waits for (an operations review)."""
    models = tmp_path / "models"
    copy_profile(real_northwind(tmp_path_factory), models, "northwind")
    server = Server(models)
    try:
        server.wait_ready()
        url = server.base + "/v1/profiles/northwind/score"
        long_draft = " ".join([DRAFT_ON] * 40)  # a few thousand characters: seconds of work in a batch of 120
        items = [{"text": long_draft, "id": f"gone-{i}"} for i in range(120)]
        with pytest.raises(httpx.ReadTimeout):
            httpx.post(url, json={"items": items}, timeout=httpx.Timeout(60, read=1.0))
        after = httpx.post(url, json={"text": DRAFT_ON, "id": "after"}, timeout=300)  # answered once the worker is free
        assert after.status_code == 200, after.text
        page = httpx.get(server.base + "/v1/profiles/northwind/history?limit=500", timeout=30).json()
        assert [x["result"]["id"] for x in page["items"]] == ["after"]
        assert "went away: its drafts were withdrawn, nothing stored" in server.log.read_text()
    finally:
        server.stop()


@pytest.mark.slow
def test_a_learning_cut_short_by_a_stop_answers_in_json(tmp_path, tmp_path_factory):
    """SIGTERM during a learn (a rolling deploy): uvicorn's grace period runs out and cancels it. The client got
    uvicorn's plain-text 500 without a request id (an operations review); now the 503 every other stop gives."""
    import json
    import threading

    models = tmp_path / "models"
    copy_profile(real_northwind(tmp_path_factory), models, "northwind")
    lines = (ROOT / "corpora" / "aurora" / "inhouse.jsonl").read_text(encoding="utf-8").splitlines()
    posts = [json.loads(x) for x in lines if x.strip()]
    # twelve longer variants of each post: minutes of learning on 2 cores, far past the 10 s grace period
    documents = [{"text": f"{p['text']} {p['text']} ({k})", "id": f"{p['id']}-{k}"} for k in range(12) for p in posts]
    server = Server(models)
    answer: dict = {}

    def learn():
        answer["r"] = httpx.post(server.base + "/v1/profiles", json={"name": "aurora", "documents": documents},
                                 timeout=120)

    try:
        server.wait_ready()
        client = threading.Thread(target=learn)
        client.start()
        time.sleep(4)
        server.proc.send_signal(signal.SIGTERM)
        client.join(60)
        r = answer["r"]
        assert r.status_code == 503, r.text
        assert r.json()["error"]["code"] == "shutting_down" and r.headers["retry-after"] == "5"
        assert len(r.headers["x-request-id"]) == 32
        assert "learning 'aurora' was not finished" in r.json()["error"]["message"]
        server.proc.wait(30)
    finally:
        server.stop()
    assert "Exception in ASGI application" not in server.log.read_text()


@pytest.mark.parametrize("setting, said", [
    ({"VOICECHECK_API_KEYS": " , "}, "VOICECHECK_API_KEYS is set but holds no key"),
    ({"VOICECHECK_DB_URL": "postgresql://nobody@127.0.0.1:1/none"}, "cannot reach history database"),
    ({"VOICECHECK_MODELS_DIR": "a-file"}, "is a file, not a folder"),
])
def test_a_bad_setting_under_the_uvicorn_factory_is_one_line_and_exit_2(tmp_path, setting, said):
    """`voicecheck serve` said it in one line; uvicorn's factory printed a traceback and exit 1 or 3 (an operations
    review), the database and the models folder being checked only in the app's start-up (a review of the fix)."""
    (tmp_path / "a-file").write_text("not a folder")
    env = {**os.environ, "VOICECHECK_MODELS_DIR": str(tmp_path / "models"), **setting}
    env["VOICECHECK_MODELS_DIR"] = str(tmp_path / env["VOICECHECK_MODELS_DIR"])
    run = subprocess.run([sys.executable, "-m", "uvicorn", "--factory", "voicecheck_api.server:app_from_env",
                          "--port", str(free_port())], cwd=tmp_path, capture_output=True, text=True, timeout=120,
                         env=env)
    assert run.returncode == 2, run.stderr
    assert "voicecheck: error: " in run.stderr and said in run.stderr and "Traceback" not in run.stderr
