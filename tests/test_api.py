"""The HTTP service in-process: every route, the error shapes, and the bad-input suite.

These run with the fake embedder (no torch); ``test_same_json_as_cli`` uses the real model.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import threading
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from voicecheck_api.app import create_app
from voicecheck_api.schemas import DriftReportOut, VoiceCardOut
from voicecheck_api.settings import Settings
from conftest_api import (DRAFT_OFF, DRAFT_ON, ROOT, copy_profile, learn_profile, northwind_records, pg_schema,
                         pg_unavailable, real_northwind)
from voicecheck.testing import FakeEmbedder

KEY = "s3cret-key-for-tests"


@pytest.fixture(scope="session")
def api_embedder() -> FakeEmbedder:
    return FakeEmbedder()


@pytest.fixture(scope="session")
def fake_northwind(tmp_path_factory, api_embedder) -> Path:
    """Northwind learned once per session with the fake embedder (copy it, do not edit it)."""
    return learn_profile(tmp_path_factory.mktemp("learned"), embedder=api_embedder)


def make_client(tmp_path: Path, embedder, **settings) -> TestClient:
    models = tmp_path / "models"
    models.mkdir(exist_ok=True)
    return TestClient(create_app(Settings(models_dir=models, embedder=embedder, **settings)),
                      raise_server_exceptions=False)


@pytest.fixture
def client(tmp_path, fake_northwind, api_embedder):
    copy_profile(fake_northwind, tmp_path / "models", "northwind")
    with make_client(tmp_path, api_embedder, max_text_chars=5_000, max_batch_items=10,
                     max_body_bytes=200_000) as c:
        wait_ready(c)
        yield c


def wait_ready(c: TestClient, timeout: float = 60.0) -> dict:
    """Wait for the start-up warm-up (profiles and models loaded) to finish."""
    import time

    deadline = time.monotonic() + timeout
    while True:
        body = c.get("/healthz").json()
        if body["status"] != "starting" or time.monotonic() > deadline:
            return body
        time.sleep(0.05)


def assert_error(response, status: int, code: str | None = None, field: str | None = None) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    err = response.json()["error"]
    assert err["message"] and "Traceback" not in err["message"]
    if code:
        assert err["code"] == code, err
    if field:
        assert err.get("field") == field, err
    return err


# ---------------------------------------------------------------------- routes
def test_healthz_ready_and_lists_models(client):
    r = client.get("/healthz")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "ok" and body["checks"]["database"] == "ok"
    assert body["embedding_models"] == ["fake-hash-64"]
    head = client.head("/healthz")  # a load balancer's probe
    assert head.status_code == 200 and head.headers["content-type"] == "application/json"


def test_healthz_answers_in_time_when_the_database_is_slow(client, monkeypatch):
    """A ping stuck behind a long query is 'slow' after 2 s, not a health check that hangs with it."""
    import time

    import voicecheck_api.routes as routes

    store = client.app.state.service.store
    monkeypatch.setattr(routes, "PING_TIMEOUT_S", 0.2)
    monkeypatch.setattr(store, "ping", lambda: time.sleep(1.0) or True)
    t = time.monotonic()
    r = client.get("/healthz")
    assert time.monotonic() - t < 0.9
    assert r.status_code == 503 and r.json()["status"] == "unavailable" and r.json()["checks"]["database"] == "slow"


def test_every_answer_carries_a_request_id(client):
    """Made when the client sends none (or an unusable one), echoed when it does; errors too."""
    made = client.get("/healthz").headers["x-request-id"]
    assert len(made) == 32 and made != client.get("/healthz").headers["x-request-id"]
    assert client.get("/healthz", headers={"X-Request-ID": "pub-tool:42"}).headers["x-request-id"] == "pub-tool:42"
    odd = client.get("/healthz", headers={"X-Request-ID": "a b\tc" + "x" * 80}).headers["x-request-id"]
    assert len(odd) == 32 and " " not in odd
    missing = client.get("/v1/profiles/nobody", headers={"X-Request-ID": "r-404"})
    assert missing.status_code == 404 and missing.headers["x-request-id"] == "r-404"


def test_a_missing_models_folder_is_created_and_the_log_says_so(tmp_path, api_embedder, caplog):
    """A first run, or a typo in --models: the service starts with no profile, and the log says which (review)."""
    models = tmp_path / "typo" / "modles"
    with caplog.at_level("WARNING", logger="voicecheck.api"):
        with TestClient(create_app(Settings(models_dir=models, embedder=api_embedder, warm_up=False))) as c:
            assert c.get("/v1/profiles").json() == {"profiles": []}
    assert models.is_dir()
    assert any(f"models folder {models} did not exist: created it, empty" in r.getMessage() for r in caplog.records)
    caplog.clear()
    with caplog.at_level("WARNING", logger="voicecheck.api"):
        with TestClient(create_app(Settings(models_dir=models, embedder=api_embedder, warm_up=False))):
            pass
    assert not any("did not exist" in r.getMessage() for r in caplog.records)


def test_an_internal_error_names_its_request_in_the_answer_and_the_log(client, monkeypatch, caplog):
    import voicecheck_api.routes as routes

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(routes, "voice_card", broken)
    with caplog.at_level("ERROR", logger="voicecheck.api"):
        r = client.get("/v1/profiles/northwind", headers={"X-Request-ID": "r-500"})
    assert r.status_code == 500 and r.headers["x-request-id"] == "r-500"
    assert r.json()["error"]["message"] == "internal error; it has been logged (request r-500)"
    assert any("(request r-500)" in rec.getMessage() for rec in caplog.records)


def test_an_internal_error_ends_with_its_answer(tmp_path, fake_northwind, api_embedder, monkeypatch, caplog):
    """Not re-raised to the server, which logged every 500's traceback a second time, without the request id."""
    import voicecheck_api.routes as routes

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(routes, "voice_card", broken)
    copy_profile(fake_northwind, tmp_path / "models", "northwind")
    app = create_app(Settings(models_dir=tmp_path / "models", embedder=api_embedder, warm_up=False))
    with TestClient(app, raise_server_exceptions=True) as c, caplog.at_level("ERROR"):
        r = c.get("/v1/profiles/northwind", headers={"X-Request-ID": "r-once"})  # raised here if it escaped
    assert r.status_code == 500 and r.json()["error"]["code"] == "internal"
    assert r.headers["x-request-id"] == "r-once"
    tracebacks = [rec for rec in caplog.records if rec.exc_info]
    assert len(tracebacks) == 1 and "(request r-once)" in tracebacks[0].getMessage()


def test_openapi_and_docs(client):
    spec = client.get("/openapi.json").json()
    for path in ("/healthz", "/v1/profiles", "/v1/profiles/{name}", "/v1/profiles/{name}/score",
                 "/v1/profiles/{name}/history", "/v1/profiles/{name}/drift", "/v1/profiles/{name}/drift.html"):
        assert path in spec["paths"], path
    assert "ScoreItem" in spec["components"]["schemas"]
    assert client.get("/docs").status_code == 200
    # the service's limits, as its settings chose them: a generated client knows what is refused before sending it
    shapes, settings = spec["components"]["schemas"], client.app.state.settings
    assert shapes["ScoreItem"]["properties"]["text"]["maxLength"] == settings.max_text_chars
    assert shapes["DocumentIn"]["properties"]["text"]["maxLength"] == settings.max_text_chars
    assert shapes["ScoreBatch"]["properties"]["items"]["maxItems"] == settings.max_batch_items
    channel = next(o for o in shapes["ScoreItem"]["properties"]["channel"]["anyOf"] if o.get("type") == "string")
    assert channel["maxLength"] == 300


def test_list_and_card(client):
    profiles = client.get("/v1/profiles").json()["profiles"]
    assert [p["name"] for p in profiles] == ["northwind"] and profiles[0]["lang"] == "en"
    card = client.get("/v1/profiles/northwind").json()
    assert card["profile"]["name"] == "northwind"
    VoiceCardOut.model_validate(card)  # as /openapi.json documents it
    spec = client.get("/openapi.json").json()
    answer = spec["paths"]["/v1/profiles/{name}"]["get"]["responses"]["200"]["content"]["application/json"]
    assert answer["schema"] == {"$ref": "#/components/schemas/VoiceCardOut"}
    assert "register" in spec["components"]["schemas"]["VoiceCardOut"]["properties"]  # its JSON name
    history = spec["components"]["schemas"]["HistoryEntry"]["properties"]["result"]
    assert history == {"$ref": "#/components/schemas/StoredScoreResult"}


def test_score_single_is_the_library_result_and_is_stored(client, fake_northwind, api_embedder):
    from voicecheck.corpus import documents_from_records
    from voicecheck.profile import VoiceProfile
    from voicecheck.scoring import score_documents

    item = {"text": DRAFT_ON, "id": "p-1", "date": "2026-03-02", "source": "agency", "channel": "blog",
            "author": "kim"}
    r = client.post("/v1/profiles/northwind/score", json=item)
    assert r.status_code == 200, r.text
    profile = VoiceProfile.load(fake_northwind, embedder=api_embedder)
    expected = score_documents(profile, documents_from_records([item]), embedder=api_embedder)[0].to_dict()
    assert r.json() == json.loads(json.dumps(expected))
    page = client.get("/v1/profiles/northwind/history").json()
    assert len(page["items"]) == 1
    stored = page["items"][0]
    assert stored["result"]["id"] == "p-1" and stored["result"]["source"] == "agency"
    assert stored["profile_version"] == profile.version_


def test_a_check_with_store_false_is_answered_and_not_kept(client):
    """An editor checks a draft, fixes it, checks again: with store=false only the published post is kept, so one
    post does not count as three in the drift report (an integrator's review)."""
    item = {"text": DRAFT_OFF, "id": "cms-991", "date": "2026-03-02", "source": "cms"}
    checked = client.post("/v1/profiles/northwind/score?store=false", json=item)
    batch = client.post("/v1/profiles/northwind/score?store=false", json={"items": [item, {**item, "text": DRAFT_ON}]})
    assert checked.status_code == 200 and batch.status_code == 200, (checked.text, batch.text)
    assert client.get("/v1/profiles/northwind/history").json()["items"] == []
    published = client.post("/v1/profiles/northwind/score", json={**item, "text": DRAFT_ON}).json()
    assert published == batch.json()["results"][1]  # the same answer, stored or not
    assert [i["result"]["id"] for i in client.get("/v1/profiles/northwind/history").json()["items"]] == ["cms-991"]
    assert_error(client.post("/v1/profiles/northwind/score?store=maybe", json=item), 422, field="store")


def test_reasons_and_card_are_explained_in_the_language_asked_for(client):
    """An English brand's editor in Milan: ?explain_in=it words the reasons and the card in Italian, nothing else."""
    english = client.post("/v1/profiles/northwind/score", json={"text": DRAFT_OFF, "id": "x"}).json()
    italian = client.post("/v1/profiles/northwind/score?explain_in=it", json={"text": DRAFT_OFF, "id": "x"}).json()
    assert {k: v for k, v in english.items() if k != "reasons"} == {k: v for k, v in italian.items() if k != "reasons"}
    assert [r["feature"] for r in english["reasons"]] == [r["feature"] for r in italian["reasons"]]
    assert english["reasons"] and all("the brand" not in r["message"] for r in italian["reasons"])
    assert any("il brand" in r["message"] or "del brand" in r["message"] for r in italian["reasons"])
    card = client.get("/v1/profiles/northwind?explain_in=it").json()
    assert card["explained_in"] == "it" and card["language"] == "inglese"
    assert client.get("/v1/profiles/northwind").json()["explained_in"] == "en"
    assert client.get("/v1/profiles/northwind?explain_in=IT").json() == card  # the library takes any case too
    assert_error(client.get("/v1/profiles/northwind?explain_in=fr"), 422, field="explain_in")
    assert_error(client.post("/v1/profiles/northwind/score?explain_in=de", json={"text": DRAFT_OFF}), 422,
                 field="explain_in")


def test_a_report_in_the_other_language_restates_the_stored_reasons(client):
    """Posts scored in English, a drift report asked in Italian: its examples speak Italian too."""
    items = [{"text": DRAFT_OFF, "id": f"off-{k}", "date": f"2026-03-{2 + k % 5:02d}"} for k in range(12)]
    for half in (items[:6], items[6:]):  # the client's batches hold at most 10 items
        assert client.post("/v1/profiles/northwind/score", json={"items": half}).status_code == 200
    page = client.get("/v1/profiles/northwind/history?limit=1").json()
    assert page["items"][0]["explained_in"] == "en" and "explained_in" not in page["items"][0]["result"]
    report = client.get("/v1/profiles/northwind/drift?explain_in=it").json()
    assert report["explained_in"] == "it" and report["alerts"]
    said = [e["reason"] for a in report["alerts"] for e in a["examples"]]
    assert said and all(r and "the brand" not in r and "brand" in r for r in said), said
    english = client.get("/v1/profiles/northwind/drift").json()
    assert all("the brand" in e["reason"] for a in english["alerts"] for e in a["examples"])


def test_score_batch_keeps_order_and_pages_history(client):
    items = [{"text": DRAFT_ON, "id": "a", "date": "2026-03-02"}, {"text": DRAFT_OFF, "id": "b", "date": "2026-03-03"},
             {"text": "Short one here", "id": "c", "date": "2026-03-10", "source": "agency"}]
    r = client.post("/v1/profiles/northwind/score", json={"items": items})
    assert r.status_code == 200, r.text
    results = r.json()["results"]
    assert [x["id"] for x in results] == ["a", "b", "c"]
    assert results[0]["score"] > results[1]["score"]
    first = client.get("/v1/profiles/northwind/history?limit=2").json()
    assert [i["result"]["id"] for i in first["items"]] == ["c", "b"] and first["next_cursor"]
    rest = client.get(f"/v1/profiles/northwind/history?limit=2&cursor={first['next_cursor']}").json()
    assert [i["result"]["id"] for i in rest["items"]] == ["a"] and rest["next_cursor"] is None
    by_offset = client.get("/v1/profiles/northwind/history?limit=1&offset=1").json()
    assert [i["result"]["id"] for i in by_offset["items"]] == ["b"]
    agency = client.get("/v1/profiles/northwind/history?source=agency").json()
    assert [i["result"]["id"] for i in agency["items"]] == ["c"]
    spaced = client.get("/v1/profiles/northwind/history?source=%20agency%C2%A0").json()  # labels in one form
    assert [i["result"]["id"] for i in spaced["items"]] == ["c"]
    blank = client.get("/v1/profiles/northwind/history?source=&author=&since=").json()  # a form's blank fields
    assert len(blank["items"]) == len(client.get("/v1/profiles/northwind/history").json()["items"]) > 1
    window = client.get("/v1/profiles/northwind/history?since=2026-03-03&until=2026-03-04").json()
    assert [i["result"]["id"] for i in window["items"]] == ["b"]
    # Drafts without an id are named by their place in the batch; each was "body.items:1" (an integrator's review)
    unnamed = client.post("/v1/profiles/northwind/score?store=false", json={"items": [{"text": DRAFT_ON}] * 3})
    assert [x["id"] for x in unnamed.json()["results"]] == ["body.items:1", "body.items:2", "body.items:3"]
    assert client.post("/v1/profiles/northwind/score?store=false", json={"text": DRAFT_ON}).json()["id"] == "body:1"


def test_history_with_style_rebuilds_the_services_drift_report(client, fake_northwind, api_embedder):
    """A library review: a report built with drift_report over /history had lost "exclamation marks up from 0 to
    6.2": the history gave no style. ?style=true gives each result as drift reports read it."""
    import voicecheck

    items = [{"text": DRAFT_ON, "id": f"on-{k}", "date": f"2026-03-{2 + k % 5:02d}"} for k in range(6)]
    items += [{"text": DRAFT_OFF, "id": f"off-{k}", "date": f"2026-03-{9 + k % 5:02d}"} for k in range(8)]
    for half in (items[:7], items[7:]):
        assert client.post("/v1/profiles/northwind/score", json={"items": half}).status_code == 200
    plain = client.get("/v1/profiles/northwind/history?limit=500").json()["items"]
    assert all("style" not in i["result"] for i in plain)
    styled = client.get("/v1/profiles/northwind/history?limit=500&style=true").json()["items"]
    assert all(i["result"]["style"]["words"] > 0 for i in styled)
    assert [i["result"]["id"] for i in styled] == [i["result"]["id"] for i in plain]
    profile = voicecheck.VoiceProfile.load(fake_northwind, embedder=api_embedder)
    ours = voicecheck.drift_report([i["result"] for i in styled], profile, window="week")
    theirs = client.get("/v1/profiles/northwind/drift?window=week").json()
    moved = [[f["feature"] for f in w.get("top_features") or ()] for w in ours["windows"]]
    assert moved == [[f["feature"] for f in w.get("top_features") or ()] for w in theirs["windows"]]
    assert any("exclamation_rate" in m for m in moved)
    assert client.get("/v1/profiles/northwind/history?style=maybe").status_code == 422


def test_history_until_is_the_last_day_as_in_drift(client):
    """since/until take whole days, both included, like /drift and learn --until; an inverted range is 422."""
    items = [{"text": DRAFT_ON, "id": "a", "date": "2026-03-02T08:00:00Z"},
             {"text": DRAFT_OFF, "id": "b", "date": "2026-03-02T23:30:00Z"},
             {"text": DRAFT_ON, "id": "c", "date": "2026-03-03"}]
    assert client.post("/v1/profiles/northwind/score", json={"items": items}).status_code == 200
    url = "/v1/profiles/northwind/history"

    def ids(query: str) -> list[str]:
        r = client.get(f"{url}?{query}")
        assert r.status_code == 200, r.text
        return [i["result"]["id"] for i in r.json()["items"]]

    assert ids("since=2026-03-02&until=2026-03-02") == ["b", "a"]
    assert ids("until=2026-03-02") == ["b", "a"]
    assert ids("since=2026-03-03&until=2026-03-03") == ["c"]
    assert ids("until=2026-03-02T23:30:00Z") == ["b", "a"]  # a datetime is that instant, included
    assert ids("since=2026-03-02T08:00:00%2B00:00&until=2026-03-02T08:00:00Z") == ["a"]
    for query in ("since=2026-03-03&until=2026-03-02", "since=2026-03-02T09:00:00Z&until=2026-03-02T08:00:00Z"):
        err = assert_error(client.get(f"{url}?{query}"), 422, "invalid_date", "until")
        assert "before since" in err["message"]
    assert_error(client.get("/v1/profiles/northwind/drift?since=2026-03-03&until=2026-03-02"), 422, "invalid_date",
                 "until")  # the same answer as /drift's
    assert_error(client.get(f"{url}?until=tomorrow"), 422, "invalid_date", "until")
    assert ids("since=2026-03&until=2026-03") == ["c", "b", "a"]  # a month: all of its days
    assert ids("until=2026-W10") == ["c", "b", "a"] and ids("since=2026-W11") == []  # a week: Monday to Sunday
    report = client.get("/v1/profiles/northwind/drift?since=2026-03&until=2026-03").json()
    assert (report["since"], report["until"], report["n_dated"]) == ("2026-03-01", "2026-03-31", 3)
    assert_error(client.get(f"{url}?since=2026-13"), 422, "invalid_date", "since")


def test_a_date_past_the_calendar_is_refused_and_reports_keep_working(client):
    """A draft dated 9999-12-31 used to be stored (200), then every /drift and /drift.html of its profile was a
    500 (the window after that day does not exist), until the whole history was deleted; until=9999-12-31 on
    /history and since/until of that day on /drift were 500s too. Now such dates are 422 at the door."""
    url = "/v1/profiles/northwind/score"
    assert client.post(url, json={"text": DRAFT_ON, "id": "ok", "date": "2026-03-02"}).status_code == 200
    assert_error(client.post(url, json={"text": DRAFT_ON, "date": "9999-12-31"}), 422, "invalid_date", "date")
    batch = {"items": [{"text": DRAFT_ON}, {"text": DRAFT_ON, "date": "9999-12-01T00:00:00Z"}]}
    assert_error(client.post(url, json=batch), 422, "invalid_date", "items[1].date")
    # a date the body gets wrong is invalid_date too, as in a query (it had been invalid_input: a review)
    assert_error(client.post(url, json={"text": DRAFT_ON, "date": "2026-02-30"}), 422, "invalid_date", "date")
    for window in ("day", "week", "month"):
        assert client.get(f"/v1/profiles/northwind/drift?window={window}").status_code == 200
    assert client.get("/v1/profiles/northwind/drift.html").status_code == 200
    for route in ("history", "drift", "drift.html"):
        for bound in ("since", "until"):
            assert_error(client.get(f"/v1/profiles/northwind/{route}?{bound}=9999-12-31"), 422, "invalid_date", bound)
    page = client.get("/v1/profiles/northwind/history?until=9999-11-30").json()
    assert [i["result"]["id"] for i in page["items"]] == ["ok"]


def test_openapi_documents_the_drift_report(client):
    """An integrator generating a client saw an untyped object for /drift; the DriftReport is described, to the
    windows, alerts and moved features (tests/test_drift.py checks every report it makes against it)."""
    spec = client.get("/openapi.json").json()
    answer = spec["paths"]["/v1/profiles/{name}/drift"]["get"]["responses"]["200"]["content"]["application/json"]
    assert answer["schema"] == {"$ref": "#/components/schemas/DriftReportOut"}
    schemas = spec["components"]["schemas"]
    assert {"windows", "alerts", "summary", "relearn_advised"} <= set(schemas["DriftReportOut"]["properties"])
    assert {"examples", "overall", "kind"} <= set(schemas["DriftAlert"]["properties"])
    assert "details" in schemas["ErrorDetail"]["properties"]


def test_a_date_that_stretches_the_report_past_its_windows_is_left_out_and_named(client):
    """A CMS's empty date (0001-01-01) among this year's posts, stored for good: /drift asked without since keeps
    the latest 1,000 windows and says which post it left out, where every default report had been a 422 (and
    before that 24,000 empty months); a since asked for is kept as asked, and a period too long for it is a 422
    naming the post."""
    url = "/v1/profiles/northwind/score"
    items = [{"text": DRAFT_ON, "id": "ok", "date": "2026-03-02"}, {"text": DRAFT_ON, "id": "cms", "date": "0001-01-01"}]
    assert client.post(url, json={"items": items}).status_code == 200
    # a stray post more than a year before all the others: the report starts with the others (it had held the
    # latest 1,000 windows, 999 of them empty: an integrator's review)
    for window, since in (("month", "2026-03-01"), ("week", "2026-03-02"), ("day", "2026-03-02")):
        report = client.get(f"/v1/profiles/northwind/drift?window={window}").json()
        assert report["since"] == since and report["n_dated"] == 1 and len(report["windows"]) == 1
        assert report["left_before"] == {"n_posts": 1, "earliest": "0001-01-01"}
        assert "1 post dated more than a year before all the others" in report["summary"]
        assert "(cms)" in report["summary"]
        DriftReportOut.model_validate(report)  # as /openapi.json documents it
    italian = client.get("/v1/profiles/northwind/drift?window=month&explain_in=it").json()["summary"]
    assert "1 post di oltre un anno prima di tutti gli altri resta fuori, datato 0001-01-01 (cms)" in italian
    assert "(cms)" in client.get("/v1/profiles/northwind/drift.html").text
    body = assert_error(client.get("/v1/profiles/northwind/drift?window=month&since=0001-01-01"), 422, field="window")
    assert "at most 1,000" in body["message"] and "post cms (0001-01-01)" in body["message"]
    assert "left_before" not in client.get("/v1/profiles/northwind/drift?since=2026-01-01").json()
    typo = {"text": DRAFT_ON, "id": "typo", "date": "2062-03-07"}  # 2026 mistyped: not the latest window either
    assert client.post(url, json={"items": [typo]}).status_code == 200
    report = client.get("/v1/profiles/northwind/drift?window=month").json()
    assert report["left_after"] == {"n_posts": 1, "latest": "2062-03-07"} and report["since"] == "2026-03-01"
    DriftReportOut.model_validate(report)


def test_a_cms_post_body_is_read_as_html_when_it_says_so(client):
    """A WordPress body scored raw counts the '!' of '<!-- wp:paragraph -->'; with "markup": "html" it is scored
    as the same post saved as a .html file is, and the stored result is the one returned."""
    body = f"<!-- wp:paragraph -->\n<p>{DRAFT_ON}</p>\n<!-- /wp:paragraph -->"
    url = "/v1/profiles/northwind/score"
    as_html = client.post(url, json={"text": body, "id": "wp", "markup": "html"}).json()
    plain = client.post(url, json={"text": DRAFT_ON, "id": "wp"}).json()
    raw = client.post(url, json={"text": body, "id": "wp"}).json()
    assert as_html == plain and raw["score"] != plain["score"]
    assert_error(client.post(url, json={"text": body, "markup": "xml"}), 422, field="markup")
    assert_error(client.post(url, json={"text": "<p> </p>", "markup": "html"}), 422, field="text")
    assert_error(client.post(url, json={"text": DRAFT_ON, "id": True}), 422, field="id")  # not the id "1"
    # a Markdown body's front matter labels it, as a .md file's does (its date and channel had been dropped)
    md = client.post(url, json={"text": f"---\ndate: 2026-03-04\nchannel: blog\n---\n{DRAFT_ON}", "id": "md",
                                "markup": "markdown"}).json()
    assert md["date"].startswith("2026-03-04") and md["channel"] == "blog" and md["score"] == plain["score"]


def test_a_profile_measured_otherwise_is_said_in_the_log(tmp_path, fake_northwind, api_embedder, caplog):
    """Loading a profile whose style was measured otherwise warns, and a warning reaches no one in the service:
    its log says it (a code review), and the profile is served."""
    import logging

    from conftest import edit_profile_meta

    edit_profile_meta(copy_profile(fake_northwind, tmp_path / "models", "northwind"),
                      lambda meta: meta.update(style_fingerprint="0" * 16))
    with caplog.at_level(logging.WARNING, logger="voicecheck.api"), make_client(tmp_path, api_embedder) as c:
        wait_ready(c)
        assert c.post("/v1/profiles/northwind/score", json={"text": DRAFT_ON}).status_code == 200
        (listed,) = c.get("/v1/profiles").json()["profiles"]
        assert listed["usable"] and listed["warning"].startswith("learned where style was measured otherwise")
    said = [r.getMessage() for r in caplog.records if "measured otherwise" in r.getMessage()]
    assert said and said[0].startswith("profile northwind: learned where style was measured otherwise")


def test_history_dated_up_to_a_day_can_be_deleted(client):
    """A retention policy: the stored posts dated up to a day go, the later ones and the profile stay; a retry
    counts as stored. Undated posts are dated by when they were scored, as the history dates them."""
    items = [{"text": DRAFT_ON, "id": "a", "date": "2026-03-01T23:30:00Z"},
             {"text": DRAFT_OFF, "id": "b", "date": "2026-03-02T10:00:00+02:00"},
             {"text": DRAFT_ON, "id": "c", "date": "2026-03-03"}, {"text": DRAFT_ON, "id": "d"}]
    assert client.post("/v1/profiles/northwind/score", json={"items": items}).status_code == 200
    assert client.post("/v1/profiles/northwind/score", json=items[0]).status_code == 200  # a retry
    url = "/v1/profiles/northwind/history"
    r = client.delete(f"{url}?until=2026-03-02")
    assert r.status_code == 200, r.text
    assert r.json() == {"deleted": 3, "until": "2026-03-02"}
    assert sorted(i["result"]["id"] for i in client.get(url).json()["items"]) == ["c", "d"]
    assert client.get("/v1/profiles/northwind/drift").json()["n_posts"] == 2
    assert client.delete(f"{url}?until=2026-03-02").json()["deleted"] == 0  # nothing left to delete: not an error
    assert_error(client.delete(url), 422, "validation_error", "until")  # required
    for query in ("?until=", "?until=%20"):  # all of them is DELETE of the profile, not a blank date
        assert "DELETE the profile" in assert_error(client.delete(f"{url}{query}"), 422, "invalid_date",
                                                    "until")["message"]
    assert client.delete(f"{url}?until=2026-02").json() == {"deleted": 0, "until": "2026-02-28"}  # a month: its end
    assert_error(client.delete(f"{url}?until=2026-02-30"), 422, "invalid_date", "until")
    assert_error(client.delete("/v1/profiles/nobody/history?until=2026-03-02"), 404, "profile_not_found")
    assert client.delete(f"{url}?until=2099-12-31").json()["deleted"] == 2  # the undated one by its scoring time
    assert client.get("/v1/profiles/northwind").status_code == 200  # the profile stays


def test_history_is_newest_scored_first_and_says_so(client):
    """Ordered by when a post was scored (stable cursors), not by its date; the docs say exactly that."""
    for item in ({"text": DRAFT_ON, "id": "late", "date": "2026-03-10"},
                 {"text": DRAFT_ON, "id": "early", "date": "2026-03-01"}):
        assert client.post("/v1/profiles/northwind/score", json=item).status_code == 200
    page = client.get("/v1/profiles/northwind/history").json()
    assert [i["result"]["id"] for i in page["items"]] == ["early", "late"]
    spec = client.get("/openapi.json").json()["paths"]["/v1/profiles/{name}/history"]["get"]
    assert "newest scored first" in spec["description"] and "not their dates" in spec["description"]
    params = {p["name"]: p.get("description", "") for p in spec["parameters"]}
    assert "whole UTC day" in params["until"] and "included" in params["until"]


def test_drift_json_and_html(client):
    items = [{"text": DRAFT_ON, "id": f"d{i}", "date": f"2026-03-{1 + i:02d}", "source": "inhouse"} for i in range(10)]
    assert client.post("/v1/profiles/northwind/score", json={"items": items}).status_code == 200
    report = client.get("/v1/profiles/northwind/drift?window=month&by=source").json()
    assert report["profile"]["name"] == "northwind" and report["window"] == "month"
    assert sum(w["n"] for w in report["windows"]) == 10
    page = client.get("/v1/profiles/northwind/drift.html?window=week")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "<html" in page.text.lower()
    assert_error(client.get("/v1/profiles/northwind/drift?window=year"), 422, field="window")
    assert_error(client.get("/v1/profiles/northwind/drift?since=yesterday"), 422, field="since")


def test_a_learned_profile_s_sources_and_period_reach_the_drift_report(client):
    """Learned through the service, a profile knows the sources and days of its writing: the report names the months
    it learned from, and lists each alert's sources (an agency's posts are never advice to learn again)."""
    docs = northwind_records(40)
    assert client.post("/v1/profiles", json={"name": "shop", "documents": docs, "lang": "en"}).status_code == 201
    items = [{"text": "OMG!!! 🔥🔥 HUGE SALE on bikes, grab yours NOW!!! #deal #bikes", "id": f"a{i}",
              "date": f"2026-03-{1 + i:02d}", "source": "agency"} for i in range(10)]  # the batch limit here
    answer = client.post("/v1/profiles/shop/score", json={"items": items})
    assert answer.status_code == 200, answer.text
    report = client.get("/v1/profiles/shop/drift?window=month").json()
    days = sorted(d["date"] for d in docs)
    assert report["profile"]["learned_sources"] == ["inhouse"]
    assert report["profile"]["learned_period"] == [days[0], days[-1]]
    (alert,) = report["alerts"]
    assert alert["sources"] == ["agency"] and alert["from_first_tested"] and report["relearn_advised"] is False


def test_learn_and_concurrent_learning_of_the_same_name(client):
    body = {"name": "shop", "documents": northwind_records(24), "lang": "en"}
    answers: list = []

    def learn():
        answers.append(client.post("/v1/profiles", json=body))

    threads = [threading.Thread(target=learn) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    statuses = sorted(a.status_code for a in answers)
    assert statuses in ([201, 409], [201, 201]), [a.text for a in answers]
    for a in answers:
        if a.status_code == 409:
            assert_error(a, 409, "learning_in_progress")
    ok = next(a for a in answers if a.status_code == 201).json()
    assert ok["profile"]["name"] == "shop"
    models = Path(client.app.state.settings.models_dir)
    assert sorted(p.name for p in models.iterdir() if not p.name.startswith(".") and p.is_dir()) == ["northwind", "shop"]
    assert not [p for p in models.iterdir() if p.name.startswith(".shop")]  # no temp folders, no lock file left
    assert client.post("/v1/profiles/shop/score", json={"text": DRAFT_ON}).status_code == 200


def test_learning_a_name_being_learned_is_409(client):
    """The lock itself: the race in the test above may well end in two 201s, which proves nothing about it."""
    body = {"name": "shop", "documents": northwind_records(24), "lang": "en"}
    with client.app.state.service.registry.learning("shop"):
        assert_error(client.post("/v1/profiles", json=body), 409, "learning_in_progress")
    assert client.post("/v1/profiles", json=body).status_code == 201


def test_learning_a_name_another_instance_is_learning_is_409(client):
    """Two instances sharing the models folder both answered 201 to learns of one name, and one silently lost
    (operations review): the lock is a file lock the other instance sees too (here: another open of the file)."""
    import fcntl
    import os

    body = {"name": "shop", "documents": northwind_records(24), "lang": "en"}
    lock = Path(client.app.state.settings.models_dir) / ".shop.lock"
    fd = os.open(lock, os.O_CREAT | os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        err = assert_error(client.post("/v1/profiles", json=body), 409, "learning_in_progress")
        assert "another instance" in err["message"]
    finally:
        os.close(fd)
    assert client.post("/v1/profiles", json=body).status_code == 201
    assert "shop" in [p["name"] for p in client.get("/v1/profiles").json()["profiles"]]


def test_no_lock_file_is_left_for_a_name_learned_deleted_or_never_there(client, monkeypatch):
    """Every learn or DELETE left a .<name>.lock behind, a 404 and a failed learn included, without limit (an
    integrator's review). A lock taken on a file its holder removed meanwhile is taken again on the new one."""
    import fcntl

    import voicecheck_api.registry as registry

    models = Path(client.app.state.settings.models_dir)
    assert client.delete("/v1/profiles/brand-new-name").status_code == 404
    assert client.post("/v1/profiles", json={"name": "tiny", "documents": northwind_records(3)}).status_code == 422
    assert client.post("/v1/profiles", json={"name": "shop", "documents": northwind_records(24)}).status_code == 201
    assert client.delete("/v1/profiles/shop").status_code == 204
    assert not [p.name for p in models.iterdir() if p.name.endswith(".lock")]
    real, calls = fcntl.flock, []

    def flock(fd, how):  # the holder before us removes the file between our open and our lock
        calls.append(how)
        if len(calls) == 1:
            os.unlink(models / ".race.lock")
        return real(fd, how)

    monkeypatch.setattr(fcntl, "flock", flock)
    with registry._instances_lock(models, "race"):
        assert (models / ".race.lock").exists()  # the lock is on the file that is there
    assert calls.count(fcntl.LOCK_EX | fcntl.LOCK_NB) == 2 and not (models / ".race.lock").exists()


def test_learn_errors(client):
    assert_error(client.post("/v1/profiles", json={"name": "tiny", "documents": northwind_records(3)}), 422,
                 "too_little_data", field="documents")
    docs = northwind_records(25)
    docs[4] = {"text": "   "}
    assert_error(client.post("/v1/profiles", json={"name": "tiny", "documents": docs}), 422, field="documents[4].text")
    docs[4] = {"text": "fine", "date": "not a date"}
    assert_error(client.post("/v1/profiles", json={"name": "tiny", "documents": docs}), 422, field="documents[4].date")
    assert_error(client.post("/v1/profiles", json={"name": "../evil", "documents": docs}), 422, field="name")
    assert not (Path(client.app.state.settings.models_dir) / "tiny").exists()


def test_learn_refuses_to_replace_a_folder_that_is_not_a_profile(client, monkeypatch):
    """A stray folder of that name in the models folder is the operator's: 409, and it is left as it was."""
    stray = Path(client.app.state.settings.models_dir) / "notes"
    stray.mkdir()
    (stray / "keep.txt").write_text("operator's notes")
    import voicecheck.profile as profile_module

    learned = []
    real_fit = profile_module.VoiceProfile.fit
    monkeypatch.setattr(profile_module.VoiceProfile, "fit", lambda *a, **k: learned.append(1) or real_fit(*a, **k))
    r = client.post("/v1/profiles", json={"name": "notes", "documents": northwind_records(24), "lang": "en"})
    assert_error(r, 409, "profile_conflict")
    assert not learned  # refused before learning, not after a minute of it
    assert "not a voice profile" in r.json()["error"]["message"] and str(stray) not in r.json()["error"]["message"]
    assert sorted(p.name for p in stray.iterdir()) == ["keep.txt"]
    assert_error(client.delete("/v1/profiles/notes"), 409, "profile_conflict")  # nor deleted through the API
    assert sorted(p.name for p in stray.iterdir()) == ["keep.txt"]


def test_learn_returns_the_warnings_the_cli_prints(client):
    """Posts marked as another language are left out, and the answer says so, as `voicecheck learn` does."""
    docs = northwind_records(24) + [{"text": f"Oggi il negozio {i} resta aperto fino alle otto.", "lang": "it-IT"}
                                    for i in range(5)]
    r = client.post("/v1/profiles", json={"name": "mixed", "documents": docs, "lang": "en"})
    assert r.status_code == 201, r.text
    warnings = r.json()["warnings"]
    assert "5 documents marked as another language (5 Italian) were left out: the profile learns English only" \
        in warnings
    assert any(w.startswith("low confidence: 24 documents") for w in warnings), warnings
    assert r.json()["card"]["learned_from"]["documents"] == 24 and r.json()["card"]["explained_in"] == "en"
    italian = client.post("/v1/profiles?explain_in=it", json={"name": "mixed", "documents": docs, "lang": "en"})
    assert italian.status_code == 201 and italian.json()["card"]["explained_in"] == "it"
    assert italian.json()["card"]["language"] == "inglese" and italian.json()["warnings"] == warnings  # CLI words
    docs[2] = {**docs[2], "lang": "english please"}
    assert_error(client.post("/v1/profiles", json={"name": "mixed", "documents": docs}), 422,
                 field="documents[2].lang")


def test_learn_from_a_period(client):
    """since/until in the body: the same choice as `voicecheck learn --since/--until` (documents_between)."""
    docs = [{**d, "date": f"2026-{1 + i // 28:02d}-{1 + i % 28:02d}"} for i, d in enumerate(northwind_records(60))]
    r = client.post("/v1/profiles", json={"name": "recent", "documents": docs, "lang": "en", "since": "2026-02-01"})
    assert r.status_code == 201, r.text
    assert r.json()["card"]["learned_from"]["documents"] == 32  # February and the first four days of March
    assert_error(client.post("/v1/profiles", json={"name": "later", "documents": docs, "since": "2027-01-01"}), 422,
                 field="since")
    assert_error(client.post("/v1/profiles", json={"name": "later", "documents": docs, "since": "2026-02-01",
                                                   "until": "2026-01-01"}), 422, field="until")
    docs[7] = {"text": docs[7]["text"]}  # undated
    err = assert_error(client.post("/v1/profiles", json={"name": "later", "documents": docs, "since": "2026-02-01"}),
                       422, "invalid_date", field="documents[7].date")  # the document, not a bare "date"
    assert "dated" in err["message"]
    assert not (Path(client.app.state.settings.models_dir) / "later").exists()


def test_delete_profile_and_its_history(client, fake_northwind):
    copy_profile(fake_northwind, Path(client.app.state.settings.models_dir), "gone")
    assert client.post("/v1/profiles/gone/score", json={"text": DRAFT_ON}).status_code == 200
    assert client.delete("/v1/profiles/gone").status_code == 204
    assert_error(client.get("/v1/profiles/gone"), 404, "profile_not_found")
    assert_error(client.get("/v1/profiles/gone/history"), 404)
    assert_error(client.delete("/v1/profiles/gone"), 404)


def test_history_kept_at_delete_can_be_deleted_later(client, fake_northwind):
    """DELETE ?keep_history=true, then DELETE: the kept posts go (204); 404 only when there is neither."""
    copy_profile(fake_northwind, Path(client.app.state.settings.models_dir), "kept")
    assert client.post("/v1/profiles/kept/score", json={"text": DRAFT_ON}).status_code == 200
    store = client.app.state.service.store
    assert client.delete("/v1/profiles/kept?keep_history=true").status_code == 204
    assert_error(client.get("/v1/profiles/kept"), 404, "profile_not_found")
    assert len(client.get("/v1/profiles/kept/history").json()["items"]) == 1
    err = assert_error(client.delete("/v1/profiles/kept?keep_history=true"), 404, "profile_not_found")
    assert "without keep_history" in err["message"] and store.count("kept") == 1  # nothing to do: kept as asked
    assert client.delete("/v1/profiles/kept").status_code == 204
    assert store.count("kept") == 0
    assert_error(client.get("/v1/profiles/kept/history"), 404)
    err = assert_error(client.delete("/v1/profiles/kept"), 404, "profile_not_found")
    assert "keep_history" not in err["message"]


def _hold_after_scoring(monkeypatch):
    """Make the batch worker stop between scoring and storing until released: (scored, release) events."""
    import voicecheck_api.batching

    scored, release = threading.Event(), threading.Event()
    real = voicecheck_api.batching.score_documents

    def held(*args, **kwargs):
        results = real(*args, **kwargs)
        scored.set()
        assert release.wait(30), "never released"
        return results

    monkeypatch.setattr(voicecheck_api.batching, "score_documents", held)
    return scored, release


def test_delete_while_a_batch_is_scored_stores_nothing(client, fake_northwind, monkeypatch):
    """A batch scored when its profile is deleted is not stored afterwards: the history stays deleted (404)."""
    copy_profile(fake_northwind, Path(client.app.state.settings.models_dir), "racy")
    scored, release = _hold_after_scoring(monkeypatch)
    answers: list = []
    batch = {"items": [{"text": DRAFT_ON, "id": "x"}, {"text": DRAFT_OFF, "id": "y"}]}
    t = threading.Thread(target=lambda: answers.append(client.post("/v1/profiles/racy/score", json=batch)))
    t.start()
    try:
        assert scored.wait(30)
        assert client.delete("/v1/profiles/racy").status_code == 204  # the record step has not run yet
    finally:
        release.set()
        t.join(30)
    err = assert_error(answers[0], 404, "profile_not_found")
    assert "deleted while" in err["message"] and "nothing was stored" in err["message"]
    assert client.app.state.service.store.count("racy") == 0
    assert_error(client.get("/v1/profiles/racy/history"), 404)


def test_delete_waits_for_posts_being_stored(client, fake_northwind, monkeypatch):
    """Posts already being stored when the DELETE comes are waited for, then deleted with the rest."""
    import time

    copy_profile(fake_northwind, Path(client.app.state.settings.models_dir), "busy")
    svc = client.app.state.service
    storing, release = threading.Event(), threading.Event()
    real = svc.store.add_results

    def held(*args, **kwargs):
        storing.set()
        assert release.wait(30), "never released"
        return real(*args, **kwargs)

    monkeypatch.setattr(svc.store, "add_results", held)
    answers: dict = {}
    scorer = threading.Thread(target=lambda: answers.setdefault(
        "score", client.post("/v1/profiles/busy/score", json={"text": DRAFT_ON})))
    deleter = threading.Thread(target=lambda: answers.setdefault("delete", client.delete("/v1/profiles/busy")))
    scorer.start()
    try:
        assert storing.wait(30)
        deleter.start()
        deadline = time.monotonic() + 30
        while "busy" not in svc.registry._deleting and time.monotonic() < deadline:
            time.sleep(0.005)
        assert "busy" in svc.registry._deleting
        assert deleter.is_alive() and (svc.registry.models_dir / "busy").is_dir()  # waiting, folder untouched
    finally:
        release.set()
        scorer.join(30)
        deleter.join(30)
    assert answers["score"].status_code == 200 and answers["delete"].status_code == 204
    assert svc.store.count("busy") == 0 and "busy" not in svc.registry._deleting


def test_drift_reports_are_built_two_at_a_time(client, monkeypatch):
    """Each reads the whole history: many at once would hold that many copies in memory and every thread."""
    import time

    store = client.app.state.service.store
    real = store.results_for_drift
    running, most = [0], [0]
    lock = threading.Lock()

    def slow(*args, **kwargs):
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        time.sleep(0.3)
        with lock:
            running[0] -= 1
        return real(*args, **kwargs)

    monkeypatch.setattr(store, "results_for_drift", slow)
    answers: list = []
    threads = [threading.Thread(target=lambda: answers.append(client.get("/v1/profiles/northwind/drift")))
               for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [a.status_code for a in answers] == [200] * 6
    assert most[0] == 2
    assert client.get("/healthz").status_code == 200


def test_drift_is_measured_on_the_current_version_only(client):
    """After a relearn under the same name, the report leaves out the posts the old version scored, and says so."""
    url = "/v1/profiles/northwind"
    old = [{"text": DRAFT_ON, "id": f"old{i}", "date": f"2026-03-{2 + i:02d}"} for i in range(6)]
    assert client.post(f"{url}/score", json={"items": old}).status_code == 200
    v1 = client.get(url).json()["profile"]["version"]
    relearn = client.post("/v1/profiles", json={"name": "northwind", "documents": northwind_records(60), "lang": "en"})
    assert relearn.status_code == 201, relearn.text
    v2 = relearn.json()["profile"]["version"]
    assert v2 != v1
    new = [{"text": DRAFT_OFF, "id": f"new{i}", "date": f"2026-03-{2 + i:02d}"} for i in range(2)]
    assert client.post(f"{url}/score", json={"items": new}).status_code == 200

    report = client.get(f"{url}/drift").json()
    assert report["n_posts"] == 2 and report["profile"]["version"] == v2
    assert report["other_versions"]["n_posts"] == 6
    assert [(v["version"], v["n_posts"]) for v in report["other_versions"]["versions"]] == [(v1, 6)]
    sentence = "6 posts scored by another version of the profile are left out: score them again to include them."
    assert report["summary"].endswith(sentence)
    assert sentence in client.get(f"{url}/drift.html").text
    history = client.get(f"{url}/history").json()["items"]  # history keeps every post, with its version
    assert [(i["result"]["id"][:3], i["profile_version"]) for i in history] == [("new", v2)] * 2 + [("old", v1)] * 6

    # deleted with its history kept, then learned again: the same
    assert client.delete(f"{url}?keep_history=true").status_code == 204
    again = client.post("/v1/profiles", json={"name": "northwind", "documents": northwind_records(40), "lang": "en"})
    assert again.status_code == 201, again.text
    report = client.get(f"{url}/drift").json()
    assert report["n_posts"] == 0 and report["other_versions"]["n_posts"] == 8
    assert [v["version"] for v in report["other_versions"]["versions"]] == [v2, v1]
    assert report["summary"] == ("No posts to report on. 8 posts scored by 2 other versions of the profile are left "
                                 "out: score them again to include them.")


def test_drift_over_a_period_is_the_cli_report(client, fake_northwind, api_embedder):
    """/drift?since&until gives the JSON `voicecheck report --since --until` (drift_report) gives for the same posts."""
    from voicecheck.corpus import documents_from_records
    from voicecheck.drift import drift_report
    from voicecheck.profile import VoiceProfile
    from voicecheck.scoring import score_documents

    texts = [r["text"] for r in northwind_records(30)] + [DRAFT_OFF] * 10
    items = [{"text": t, "id": f"p{i}", "date": f"2026-{2 + i // 28:02d}-{1 + i % 28:02d}",
              "source": "agency" if i % 3 else "inhouse"} for i, t in enumerate(texts)]
    for start in range(0, len(items), 10):
        assert client.post("/v1/profiles/northwind/score", json={"items": items[start:start + 10]}).status_code == 200
    profile = VoiceProfile.load(fake_northwind, embedder=api_embedder)
    results = score_documents(profile, documents_from_records(items), embedder=api_embedder)
    for query in ({"since": "2026-02-10", "until": "2026-03-05", "by": "source"},
                  {"since": "2026-02-15"}, {"until": "2026-02-03", "window": "day"},
                  {"since": "2027-01-01", "until": "2027-02-01"}):
        got = client.get("/v1/profiles/northwind/drift", params=query)
        assert got.status_code == 200, got.text
        got = got.json()
        assert got.pop("other_versions") == {"n_posts": 0, "versions": []}
        expected = drift_report(results, profile, window=query.get("window", "week"), by=query.get("by"),
                                since=query.get("since"), until=query.get("until"))
        assert got == json.loads(json.dumps(expected)), query
        assert got["n_posts"] == 40
    assert got["summary"] == ("No post is dated within the period asked for (1 January to 1 February 2027): "
                              "all 40 dated posts fall outside it.")


def test_profile_changed_on_disk_is_reloaded(client, tmp_path, api_embedder):
    first = client.post("/v1/profiles/northwind/score", json={"text": DRAFT_ON}).json()["profile"]["version"]
    from voicecheck.corpus import documents_from_records
    from voicecheck.profile import VoiceProfile

    models = Path(client.app.state.settings.models_dir)
    docs = documents_from_records(northwind_records(60))
    VoiceProfile(name="northwind", lang="en").fit(docs, embedder=api_embedder).save(models / "northwind")
    second = client.post("/v1/profiles/northwind/score", json={"text": DRAFT_ON}).json()["profile"]["version"]
    assert second != first



def test_history_is_kept_under_the_folder_name(client, api_embedder):
    """A profile learned as "Acme Bakery!" into folder acme: its scored posts are acme's history, drift and delete."""
    from voicecheck.corpus import documents_from_records
    from voicecheck.profile import VoiceProfile

    models = Path(client.app.state.settings.models_dir)
    docs = documents_from_records(northwind_records())
    VoiceProfile(name="Acme Bakery!", lang="en").fit(docs, embedder=api_embedder).save(models / "acme")
    one = client.post("/v1/profiles/acme/score", json={"text": DRAFT_ON, "id": "a", "date": "2026-03-02"})
    assert one.status_code == 200, one.text
    assert one.json()["profile"]["name"] == "Acme Bakery!"  # the result itself is the CLI's, unchanged
    batch = {"items": [{"text": DRAFT_OFF, "id": "b", "date": "2026-03-03"}]}
    assert client.post("/v1/profiles/acme/score", json=batch).status_code == 200
    assert [i["result"]["id"] for i in client.get("/v1/profiles/acme/history").json()["items"]] == ["b", "a"]
    assert client.get("/v1/profiles/acme/drift").json()["n_posts"] == 2
    store = client.app.state.service.store
    assert store.count("Acme Bakery!") == 0
    assert client.delete("/v1/profiles/acme").status_code == 204
    assert store.count("acme") == 0


def test_an_unavailable_database_is_logged_with_its_cause(client, monkeypatch, caplog):
    """The 503 says only "not available" to the client; the operator's log must say why. The log used to
    say "library error on GET ...: StorageError" and nothing more (the 503 branch was unreachable)."""
    from voicecheck.errors import StorageError

    svc = client.app.state.service

    def down(*args, **kwargs):
        raise StorageError("history database postgresql://vc:***@db:5432/vc: connection refused")

    monkeypatch.setattr(svc.store, "history", down)
    with caplog.at_level("WARNING", logger="voicecheck.api"):
        err = assert_error(client.get("/v1/profiles/northwind/history"), 503, "storage_unavailable")
    assert "connection refused" not in err["message"]
    assert any("connection refused" in r.getMessage() and r.levelname == "WARNING" for r in caplog.records)


def test_misnamed_profile_folders_are_reported(tmp_path, fake_northwind, api_embedder, caplog):
    models = tmp_path / "models"
    copy_profile(fake_northwind, models, "northwind")
    copy_profile(fake_northwind, models, "Acme.v2")
    copy_profile(fake_northwind, models, ".northwind.tmp-1")  # the service's own temporary folders are not
    with caplog.at_level("WARNING", logger="voicecheck.api"), make_client(tmp_path, api_embedder) as c:
        health = wait_ready(c)
        assert health["status"] == "ok"
        assert health["checks"]["profiles_not_loaded"] == {
            "Acme.v2": "folder name must match ^[a-z0-9][a-z0-9_-]{0,63}$ to be served"}
        assert [p["name"] for p in c.get("/v1/profiles").json()["profiles"]] == ["northwind"]
    assert any("Acme.v2" in r.getMessage() for r in caplog.records if r.levelname == "WARNING")


# ---------------------------------------------------------------------- bad input
def test_a_bad_name_to_learn_says_what_a_name_is(client):
    """pydantic's "String should match pattern '^[a-z0-9][a-z0-9_-]{0,63}$'" where a bad name in the path gets words
    (an operations review)."""
    body = assert_error(client.post("/v1/profiles", json={"name": "Acme Bank", "documents": [{"text": DRAFT_ON}]}),
                        422, field="name")
    assert body["message"].startswith("name: a profile name is 1-64 characters: lower-case letters, digits")
    assert "pattern" not in body["message"] and "^[a-z0-9]" not in str(body)


@pytest.mark.parametrize("path", ["/v1/profiles/..%2F..", "/v1/profiles/a%2Fb", "/v1/profiles/..%2Fetc%2Fpasswd",
                                  "/v1/profiles/%C3%A9t%C3%A9", "/v1/profiles/.hidden", "/v1/profiles/UPPER",
                                  "/v1/profiles/a.b", "/v1/profiles/" + "a" * 65, "/v1/profiles/a%00b",
                                  "/v1/profiles/..%2F..%2Fscore"])
def test_path_traversal_names_are_422(client, path):
    assert_error(client.get(path), 422, "invalid_name", "name")
    assert_error(client.post(path + "/score", json={"text": DRAFT_ON}), 422, "invalid_name", "name")
    assert_error(client.delete(path), 422, "invalid_name", "name")
    assert_error(client.get(path + "/histry"), 422, "invalid_name", "name")


def test_dot_segments_never_reach_outside(client, tmp_path):
    outside = tmp_path / "etc"
    outside.mkdir()
    r = client.get("/v1/profiles/../etc")
    assert r.status_code in (404, 422)
    assert client.delete("/v1/profiles/../etc").status_code in (404, 405, 422)
    assert outside.exists()


def test_unknown_profile_is_404(client):
    assert_error(client.get("/v1/profiles/nobody"), 404, "profile_not_found")
    assert_error(client.post("/v1/profiles/nobody/score", json={"text": DRAFT_ON}), 404)
    assert_error(client.get("/v1/profiles/nobody/drift"), 404)
    assert_error(client.get("/v1/profiles/nobody/history"), 404)
    assert_error(client.get("/v1/nothing-here"), 404, "not_found")



@pytest.mark.parametrize("method, path, status, code", [
    ("GET", "/v1/profiles/northwind/histry", 404, "not_found"),
    ("GET", "/v1/profiles/northwind/score/extra", 404, "not_found"),
    ("GET", "/v1/profiles/northwind/score", 405, "method_not_allowed"),
    ("DELETE", "/v1/profiles/northwind/score", 405, "method_not_allowed"),
    ("POST", "/v1/profiles/northwind/history", 405, "method_not_allowed"),
    ("PUT", "/v1/profiles/northwind", 405, "method_not_allowed"),
    ("GET", "/v1/profiles/", 404, "not_found"),
    ("GET", "/v1/profiles//history", 404, "not_found"),
    ("GET", "/v1/profiles/Bad!Name", 422, "invalid_name"),
    ("GET", "/v1/profiles/Bad!Name/histry", 422, "invalid_name"),
    ("GET", "/v1/profiles/Bad!Name/score", 422, "invalid_name"),
])
def test_unknown_route_or_method_under_a_profile(client, method, path, status, code):
    """Not the 422 "name: String should match pattern" a {name:path} route gave for a typo in the route."""
    err = assert_error(client.request(method, path), status, code)
    if status == 422:
        assert err["field"] == "name" and "profile name" in err["message"]
    else:
        assert "field" not in err and path in err["message"] and method in err["message"]
    assert (Path(client.app.state.settings.models_dir) / "northwind").is_dir()


def test_invalid_json_and_wrong_types(client):
    url = "/v1/profiles/northwind/score"
    assert_error(client.post(url, content=b'{"text": ', headers={"content-type": "application/json"}), 422,
                 "invalid_json")
    assert_error(client.post(url, content=b"plain text"), 415, "unsupported_media_type")  # no Content-Type
    assert_error(client.post(url, json=["a", "b"]), 422)
    assert_error(client.post(url, json={"text": 5}), 422, field="text")
    assert_error(client.post(url, json={"text": None}), 422)
    assert_error(client.post(url, json={"items": "nope"}), 422, field="items")
    assert_error(client.post(url, json={"items": [{"text": "ok text here"}, {"text": 3}]}), 422, field="items[1].text")
    assert_error(client.post(url, json={"text": DRAFT_ON, "date": "31/02/2026"}), 422, field="date")
    lone = b'{"text": "Our new roast is in \\ud83d the shop today"}'  # a broken escape: a lone surrogate
    assert_error(client.post(url, content=lone, headers={"content-type": "application/json"}), 422, field="text")
    assert_error(client.post(url, json={}), 422)
    assert_error(client.get("/v1/profiles/northwind/history?limit=-1"), 422, field="limit")
    assert_error(client.get("/v1/profiles/northwind/history?cursor=abc"), 422, field="cursor")



def test_what_integrators_get_wrong_is_named(client):
    """Found by an integrator's review: misspelt fields were dropped (the post stored undated), a text/plain or
    gzip body was 'not a JSON object' or 'not UTF-8', a label of 100,000 characters or with a NUL was stored."""
    url = "/v1/profiles/northwind/score"
    stored = len(client.get("/v1/profiles/northwind/history").json()["items"])
    err = assert_error(client.post(url, json={"text": DRAFT_ON, "published_at": "2026-03-02"}), 422,
                       "validation_error", field="published_at")
    assert "unknown field: a draft has text, id, date, source, channel, author, lang and markup" in err["message"]
    assert_error(client.post(url, json={"items": [{"text": DRAFT_ON}, {"text": DRAFT_ON, "Source": "agency"}]}),
                 422, field="items[1].Source")
    err = assert_error(client.post(url, json={"items": [{"text": DRAFT_ON}], "window": "month"}), 422,
                       field="window")
    assert "a batch has items only" in err["message"]
    body = json.dumps({"text": DRAFT_ON}).encode()
    err = assert_error(client.post(url, content=body, headers={"content-type": "text/plain"}), 415,
                       "unsupported_media_type")
    assert "Content-Type: application/json (got text/plain)" in err["message"]
    err = assert_error(client.post(url, content=gzip.compress(body), headers={
        "content-type": "application/json", "content-encoding": "gzip"}), 415, "unsupported_media_type")
    assert "Content-Encoding gzip is not supported" in err["message"]
    assert_error(client.post(url, content=body, headers={"content-type": "application/json",
                                                          "content-encoding": "deflate"}), 415)  # even if it parses
    for junk in (b"xx", b'{"text": '):  # nor parses: the encoding is what is wrong, not the JSON
        err = assert_error(client.post(url, content=junk, headers={"content-type": "application/json",
                                                                  "content-encoding": "gzip"}), 415)
        assert "Content-Encoding gzip is not supported" in err["message"]
    err = assert_error(client.post(url, content=b"", headers={"content-type": "application/json"}), 422)
    assert "the request body is empty" in err["message"]
    assert_error(client.post(url, json={"text": DRAFT_ON, "source": "x" * 100_000}), 422, field="source")
    err = assert_error(client.post(url, json={"text": DRAFT_ON, "id": "a\u0000b"}), 422, field="id")
    assert "control character (0x0000)" in err["message"]
    err = assert_error(client.post(url + "/", json={"text": DRAFT_ON}), 404, "not_found")
    assert "/score/" in err["message"]
    assert len(client.get("/v1/profiles/northwind/history").json()["items"]) == stored  # nothing half-stored
    err = assert_error(client.get("/v1/profiles/northwind/drift?windw=month"), 422, "unknown_parameter", field="windw")
    assert "this route takes by, explain_in, since, until, window" in err["message"]
    assert_error(client.get("/v1/profiles/northwind/history?limt=5"), 422, "unknown_parameter", field="limt")
    assert_error(client.post(url + "?explain=en", json={"text": DRAFT_ON}), 422, field="explain")
    assert client.get("/v1/profiles/northwind/drift?window=month&explain_in=en").status_code == 200
    err = assert_error(client.get("/v1/profiles/northwind/history?source=agency&source=inhouse"), 422,
                       "repeated_parameter", field="source")  # the last value alone had been taken
    assert "'agency', 'inhouse'" in err["message"]
    assert_error(client.post(url + "?store=false&store=true", json={"text": DRAFT_ON}), 422, field="store")
    assert len(client.get("/v1/profiles/northwind/history").json()["items"]) == stored  # refused before scoring
    marked = client.post(url, json={"text": DRAFT_ON, "lang": "it"}).json()  # as the CLI reads a "lang" field
    assert marked["reasons"][0]["message"].startswith("marked as Italian")


@pytest.mark.parametrize("body, code, field, says", [
    ('{"text": "Caf\xe9 ouvert ce matin"}'.encode("latin-1"), "invalid_json", None, "not valid UTF-8 JSON"),
    (b'{"text":', "invalid_json", None, "invalid JSON at line 1, column 9 (character 8): Expecting value"),
    (b'{"text": "hi",\n  oops}', "invalid_json", None, "invalid JSON at line 2, column 3 (character 17)"),
    (b'{"text": "hi there friends", "author": {"n": 1}}', "validation_error", "author",
     "author: must be a string or an integer"),
    (b'{"items": [{"text": "hi there friends", "source": [1]}]}', "validation_error", "items[0].source",
     "items[0].source: must be a string or an integer"),
    (b'{"items": [{"text": "hi there friends"}], "text": "x"}', "invalid_body", "items",
     "send either text (one draft) or items (a batch), not both"),
    (b"null", "invalid_body", None, "the request body must be a JSON object, not null"),
    (b'["hi there friends"]', "invalid_body", None, "the request body must be a JSON object, not an array"),
    (b'{"text": "hi there friends", "x": ' + b"[" * 5000 + b"]" * 5000 + b"}", "invalid_json", None,
     "nested too deeply"),
    (b'{"text": "hi there friends", "id": true}', "validation_error", "id", "id: must be a string or an integer"),
    (b'{"text": "hi there friends", "id": ' + b"9" * 5000 + b"}", "invalid_json", None,
     "a number in it has more than 4,300 digits"),  # had said "it cannot be read (ValueError)"
])
def test_bad_bodies_say_what_and_where(client, body, code, field, says):
    r = client.post("/v1/profiles/northwind/score", content=body, headers={"content-type": "application/json"})
    err = assert_error(r, 422, code)
    assert err.get("field") == field and says in err["message"], err
    assert not any(d.get("field") and (".str" in d["field"] or "[8]" in d["field"]) for d in err.get("details", ()))
    assert client.get("/v1/profiles/northwind/history").json()["items"] == []  # nothing scored or stored


def test_learn_names_the_bad_document(client):
    docs = northwind_records(25)
    docs[2] = {**docs[2], "author": {"n": 1}}
    err = assert_error(client.post("/v1/profiles", json={"name": "tiny", "documents": docs}), 422,
                       field="documents[2].author")
    assert err["message"] == "documents[2].author: must be a string or an integer"


def test_every_bad_item_of_a_batch_is_named_at_once_and_nothing_is_stored(client):
    """A publishing tool's batch with three bad drafts learns of all three in one 422 (details), not one per
    round trip; the first names the error, and not one draft of the batch is scored or stored."""
    url = "/v1/profiles/northwind/score"
    items = [{"text": DRAFT_ON, "id": "fine"}, {"text": "", "id": "empty"}, {"text": DRAFT_ON, "date": "2026-02-30"},
             {"text": "word " * 1_200}, {"text": DRAFT_ON, "source": "agency\x00"}, {"text": DRAFT_ON}]
    err = assert_error(client.post(url, json={"items": items}), 422, "invalid_input", "items[1].text")
    assert [d["field"] for d in err["details"]] == ["items[1].text", "items[2].date", "items[3].text",
                                                     "items[4].source"]
    assert "February 2026 has 28 days" in err["details"][1]["message"]
    assert err["details"][2]["message"] == ("text is 6,000 characters; the limit is 5,000 (this service's "
                                            "VOICECHECK_MAX_TEXT_CHARS)")
    assert client.get("/v1/profiles/northwind/history").json()["items"] == []
    err = assert_error(client.post(url, json={"items": [{"text": ""}] * 10}), 422, field="items[0].text")
    assert [d["field"] for d in err["details"]] == [f"items[{i}].text" for i in range(10)]  # 10: the limit here
    assert "omitted" not in err  # all listed
    # past 1,000 problems the others are counted, not silently dropped (20 with no count took two rounds to fix)
    err = assert_error(client.post("/v1/profiles", json={"name": "x", "documents": [{"text": ""}] * 1200}), 422)
    assert len(err["details"]) == 1000 and err["omitted"] == 200
    assert err["details"][-1]["field"] == "documents[999].text"
    err = assert_error(client.post("/v1/profiles", json={"name": "x", "documents": [{"text": 1}] * 1200}), 422)
    assert len(err["details"]) == 1000 and err["omitted"] >= 200  # a schema error's problems too
    # a score request's unknown "documents" is named as unknown, its contents not read as a learn request's
    err = assert_error(client.post(url, json={"items": [{"text": DRAFT_ON}], "documents": [{"text": ""}]}), 422)
    assert [d["field"] for d in err["details"]] == ["documents"]
    # Wrong types and bad contents together, still in one round (an integrator's review: two or more before)
    mixed = [{"text": DRAFT_ON}, {"text": ""}, {"text": 5}, {"txt": "a"}, {"text": "x", "date": "bad"}]
    err = assert_error(client.post(url, json={"items": mixed}), 422, "validation_error", "items[1].text")
    assert [d["field"] for d in err["details"]] == ["items[1].text", "items[2].text", "items[3].text",
                                                     "items[3].txt", "items[4].date"]
    assert err["message"].startswith("items[1].text: ") and "empty" in err["details"][0]["message"]
    learn = {"name": "x", "documents": [{"text": 1}, {"text": " "}], "contrast": [{"text": "ok", "date": "2026-13-01"}]}
    err = assert_error(client.post("/v1/profiles", json=learn), 422, field="documents[0].text")
    assert [d["field"] for d in err["details"]] == ["documents[0].text", "documents[1].text", "contrast[0].date"]
    lone = assert_error(client.post(url, json={"text": DRAFT_ON, "date": "2026-02-30"}), 422, field="date")
    assert lone["details"] == [{"field": "date", "message": lone["message"]}]


def test_empty_and_huge_text_and_big_batch(client):
    url = "/v1/profiles/northwind/score"
    assert_error(client.post(url, json={"text": ""}), 422, field="text")
    assert_error(client.post(url, json={"text": "   \n "}), 422, field="text")
    assert_error(client.post(url, json={"items": [{"text": DRAFT_ON}, {"text": ""}]}), 422, field="items[1].text")
    assert_error(client.post(url, json={"text": "word " * 1_200}), 422, "text_too_long", "text")
    assert_error(client.post(url, json={"items": [{"text": DRAFT_ON}] * 11}), 422, "batch_too_large", "items")
    assert_error(client.post(url, json={"items": []}), 422, field="items")
    assert client.get("/v1/profiles/northwind/history").json()["items"] == []  # nothing stored


def test_huge_body_is_413(client):
    url = "/v1/profiles/northwind/score"
    big = client.post(url, json={"text": "x" * 300_000})
    assert_error(big, 413, "body_too_large")
    assert b'": "' not in big.content  # written as every other error is (an operations review)

    def chunks():  # no Content-Length: the streamed size is counted
        for _ in range(30):
            yield b"x" * 10_000

    assert_error(client.post(url, content=chunks(), headers={"content-type": "application/json"}), 413)


def test_api_keys(tmp_path, fake_northwind, api_embedder):
    copy_profile(fake_northwind, tmp_path / "models", "northwind")
    with make_client(tmp_path, api_embedder, api_keys=(KEY, "other-key")) as c:
        assert wait_ready(c)["status"] == "ok"  # stays open
        url = "/v1/profiles/northwind/score"
        refused = c.post(url, json={"text": DRAFT_ON})
        assert_error(refused, 401, "unauthorized")
        assert b'": "' not in refused.content
        assert_error(c.post(url, json={"text": DRAFT_ON}, headers={"Authorization": "Bearer nope"}), 401)
        assert_error(c.post(url, json={"text": DRAFT_ON}, headers={"Authorization": KEY}), 401)
        assert_error(c.post(url, content=b"{broken", headers={"Authorization": "Bearer x"}), 401)
        huge = {"Authorization": "Bearer x", "Content-Length": str(10 ** 9)}  # refused by its key, not its size
        assert_error(c.post(url, content=b"{}", headers=huge), 401)
        assert_error(c.delete("/v1/profiles/northwind"), 401)
        assert (tmp_path / "models" / "northwind").is_dir()
        assert_error(c.get("/v1/profiles"), 401)
        ok = {"Authorization": f"Bearer {KEY}"}
        assert c.get("/v1/profiles/northwind/history", headers=ok).json()["items"] == []
        assert c.post(url, json={"text": DRAFT_ON}, headers={"Authorization": "Bearer other-key"}).status_code == 200
        assert len(c.get("/v1/profiles/northwind/history", headers=ok).json()["items"]) == 1


def test_keys_from_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("VOICECHECK_API_KEYS", " one, two ,,")
    monkeypatch.setenv("VOICECHECK_MODELS_DIR", str(tmp_path / "m"))
    monkeypatch.setenv("VOICECHECK_MAX_BATCH_ITEMS", "7")
    s = Settings.from_env()
    assert s.api_keys == ("one", "two") and s.models_dir == tmp_path / "m" and s.max_batch_items == 7
    assert s.database_url == f"sqlite:///{(tmp_path / 'm' / 'voicecheck.db').resolve()}"


def test_the_access_log_names_each_request_with_its_id_status_and_duration(client, caplog):
    """uvicorn's access line had no time, id or duration: a publishing tool's failed request could not be found
    (operations review). ``--access-log`` now writes voicecheck's own line (no query string: it may hold labels)."""
    from voicecheck_api.server import log_config

    assert log_config("info", access_log=True)["loggers"]["voicecheck.access"]["level"] == "INFO"
    assert log_config("info")["loggers"]["voicecheck.access"]["level"] == "WARNING"  # off unless asked for
    with caplog.at_level("INFO", logger="voicecheck.access"):
        client.post("/v1/profiles/nobody/score?source=x", json={"text": DRAFT_ON}, headers={"X-Request-ID": "pub-7"})
    line = next(r.getMessage() for r in caplog.records if r.name == "voicecheck.access")
    assert re.fullmatch(r"POST /v1/profiles/nobody/score 422 \d+ ms \(request pub-7\)", line), line  # ?source: 422


def test_a_path_cannot_write_a_line_of_its_own_into_the_log(client, caplog):
    """The path is decoded before it is logged: %0A started a forged line, without any key, and %00 wrote a NUL
    (an integrator's review). Control characters, lone surrogates and the backslash are escaped."""
    from voicecheck_api.request_id import loggable_path

    with caplog.at_level("INFO", logger="voicecheck.access"):
        client.get("/v1/x%0A2026-11-29%2003:00:00%20ERROR%20voicecheck.api:%20FORGED%00%5Cn")
    line = next(r.getMessage() for r in caplog.records if r.name == "voicecheck.access")
    assert "\n" not in line and "\x00" not in line, line
    assert line.startswith(r"GET /v1/x\n2026-11-29 03:00:00 ERROR voicecheck.api: FORGED\x00\\n 4"), line
    assert loggable_path("/v1/caffè/ü") == "/v1/caffè/ü"  # printable text stays as it is
    assert loggable_path("/a\u2028b\udc80\x85") == r"/a\u2028b\udc80\x85"


def test_serve_refuses_a_models_path_that_is_a_file(tmp_path, cli):
    afile = tmp_path / "afile"
    afile.write_text("x")
    run = cli("serve", "--models", afile, "--port", "0")
    assert run.code == 2 and f"the models folder {afile} is a file, not a folder" in run.err  # not "File exists"


def test_serve_refuses_settings_it_cannot_use_in_one_line(tmp_path, cli, monkeypatch):
    """An operations review: --port 99999 was taken (uvicorn listened on another port than it logged); a models
    folder that is a dangling link said "created empty" then "File exists"; 200,000 batch workers failed after
    20 s with a traceback. And a history database that does not exist is said to be created, by its full path."""
    run = cli("serve", "--models", tmp_path / "m", "--port", "99999")
    assert run.code == 2 and "a port is a number from 0 to 65535" in run.err
    (tmp_path / "link").symlink_to(tmp_path / "nowhere")
    run = cli("serve", "--models", tmp_path / "link", "--port", "0")
    assert run.code == 2 and "is a symbolic link to" in run.err and "which does not exist" in run.err
    assert "created empty" not in run.err
    monkeypatch.setenv("VOICECHECK_BATCH_WORKERS", "200000")
    run = cli("serve", "--models", tmp_path / "m", "--port", "0")
    assert run.code == 2 and "VOICECHECK_BATCH_WORKERS must be at most 64, got '200000'" in run.err
    from voicecheck.store import describe_url

    monkeypatch.chdir(tmp_path)
    assert describe_url("sqlite:///h.db") == f"sqlite:///{tmp_path.resolve() / 'h.db'}"
    assert describe_url("postgresql://u:secret@db/x") == "postgresql://u:***@db/x"


@pytest.mark.parametrize("raw", ["", ",", " , ", " ,, "])
def test_keys_set_but_empty_stop_the_service(monkeypatch, tmp_path, cli, raw):
    """A key variable left empty by a template used to serve /v1 with no key at all: now a setting error (exit 2)."""
    from voicecheck.errors import InputError

    import uvicorn

    started = []
    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: started.append(k))
    monkeypatch.setenv("VOICECHECK_API_KEYS", raw)
    with pytest.raises(InputError, match="VOICECHECK_API_KEYS is set but holds no key") as e:
        Settings.from_env()
    assert e.value.field == "VOICECHECK_API_KEYS"
    with pytest.raises(InputError):
        create_app()  # uvicorn --factory app_from_env: no open service either
    run = cli("serve", "--models", tmp_path, "--port", "0")
    lines = [line for line in run.err.splitlines() if line.strip()]
    assert run.code == 2 and not started and "Traceback" not in run.err
    assert "VOICECHECK_API_KEYS is set but holds no key" in lines[-1] and "error:" in lines[-1]
    monkeypatch.delenv("VOICECHECK_API_KEYS")
    assert Settings.from_env().api_keys == ()  # not set at all: open, as documented


def test_unusable_profile_folder_is_not_a_500(client, fake_northwind):
    models = Path(client.app.state.settings.models_dir)
    broken = copy_profile(fake_northwind, models, "broken")
    (broken / "style_center.npy").write_bytes(b"garbage")
    err = assert_error(client.post("/v1/profiles/broken/score", json={"text": DRAFT_ON}), 409, "profile_unusable")
    assert str(models) not in err["message"] and "style_center.npy" in err["message"]  # which file, not where
    listed = {p["name"]: p for p in client.get("/v1/profiles").json()["profiles"]}
    assert listed["broken"]["usable"] is False


def test_a_profile_the_server_cannot_read_is_503_and_the_others_stay_listed(client, fake_northwind, monkeypatch):
    """A profile file of mode 000 (a copy from another user) made /v1/profiles a 500 for every profile, and its
    routes 500s (operations review): the operator's folder, so 503 with the file and the reason."""
    from pathlib import Path as P

    models = Path(client.app.state.settings.models_dir)
    locked = copy_profile(fake_northwind, models, "locked")
    real = P.read_bytes

    def read_bytes(self):
        if self.parent.name == "locked" and self.name == "words.json":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(P, "read_bytes", read_bytes)
    err = assert_error(client.post("/v1/profiles/locked/score", json={"text": DRAFT_ON}), 503, "profile_unreadable")
    assert err["message"] == ("the profile folder cannot be read on the server: words.json: cannot be read "
                              "(Permission denied); the operator must fix it") and str(models) not in err["message"]
    listed = {p["name"]: p for p in client.get("/v1/profiles").json()["profiles"]}
    assert listed["northwind"]["usable"] and listed["locked"]["usable"] is False
    assert listed["locked"]["problem"] == "words.json: cannot be read (Permission denied)"
    from voicecheck.errors import ProfileUnreadableError
    from voicecheck.profile import VoiceProfile
    with pytest.raises(ProfileUnreadableError, match=r"words\.json: cannot be read \(Permission denied\)"):
        VoiceProfile.load(locked, check_model=False)

    monkeypatch.setattr(P, "iterdir", lambda self: (_ for _ in ()).throw(PermissionError(13, "Permission denied")))
    answer = client.get("/v1/profiles")
    err = assert_error(answer, 503, "profile_unreadable")  # the models folder itself
    assert "the models folder cannot be read (Permission denied)" in err["message"]
    assert answer.headers["Retry-After"] == "30"
    import voicecheck_api.registry as registry_module
    real_stat = registry_module.os.stat

    def stat(path, *a, **k):  # the folder unreadable under a profile already loaded: was a 500 (a re-check)
        if str(path).endswith("northwind/manifest.json"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_stat(path, *a, **k)

    monkeypatch.setattr(registry_module.os, "stat", stat)
    err = assert_error(client.post("/v1/profiles/northwind/score", json={"text": DRAFT_ON}), 503, "profile_unreadable")
    assert "manifest.json: cannot be read (Permission denied)" in err["message"]


def test_a_store_that_fails_every_write_makes_the_health_check_fail(client, monkeypatch):
    """A full disk: every score answered 503 while /healthz said ok (a read still answered), so a load balancer kept
    sending drafts (operations review). It says 'writes failing' until a write succeeds or 30 s pass."""
    from voicecheck.errors import StorageError

    store = client.app.state.service.store
    real = store._write_many

    def full(sql, rows):
        raise StorageError("history database h.db: database or disk is full")

    monkeypatch.setattr(store, "_write_many", full)
    assert client.get("/healthz").status_code == 200
    assert_error(client.post("/v1/profiles/northwind/score", json={"text": DRAFT_ON}), 503, "storage_unavailable")
    health = client.get("/healthz")
    assert health.status_code == 503 and health.json()["checks"]["database"] == "writes failing"
    store.write_failure = (store.write_failure[0] - 31, store.write_failure[1])  # 31 s later: traffic may try again
    assert client.get("/healthz").status_code == 200
    monkeypatch.setattr(store, "_write_many", real)
    assert client.post("/v1/profiles/northwind/score", json={"text": DRAFT_ON}).status_code == 200
    assert store.write_failure is None


def test_a_profile_damaged_while_served_is_logged_once_and_listed_by_healthz(client, fake_northwind, caplog):
    """Truncated while the service ran: every request got 409, nothing was logged and /healthz still said nothing
    of it (operations review)."""
    import shutil

    models = Path(client.app.state.settings.models_dir)
    folder = copy_profile(fake_northwind, models, "brand2")
    assert client.post("/v1/profiles/brand2/score", json={"text": DRAFT_ON}).status_code == 200
    words = folder / "words.json"
    words.write_bytes(words.read_bytes()[:100])
    with caplog.at_level("WARNING", logger="voicecheck.api"):
        for _ in range(3):
            assert_error(client.post("/v1/profiles/brand2/score", json={"text": DRAFT_ON}), 409, "profile_unusable")
    logged = [r.getMessage() for r in caplog.records if r.getMessage().startswith("profile brand2: ")]
    assert len(logged) == 1 and "words.json" in logged[0]
    health = client.get("/healthz").json()
    assert "words.json" in health["checks"]["profiles_not_loaded"]["brand2"]
    assert health["profiles_loaded"] == 1  # northwind only: the damaged one is not counted as loaded too
    shutil.rmtree(folder)
    copy_profile(fake_northwind, models, "brand2")  # the operator puts it back
    assert client.post("/v1/profiles/brand2/score", json={"text": DRAFT_ON}).status_code == 200
    assert "brand2" not in client.get("/healthz").json()["checks"]["profiles_not_loaded"]
    # damaged again and deleted through the API: no longer listed (it was, until a restart: an integrator's review)
    words.write_bytes(words.read_bytes()[:100])
    assert_error(client.post("/v1/profiles/brand2/score", json={"text": DRAFT_ON}), 409, "profile_unusable")
    assert "brand2" in client.get("/healthz").json()["checks"]["profiles_not_loaded"]
    assert client.delete("/v1/profiles/brand2").status_code == 204
    assert "brand2" not in client.get("/healthz").json()["checks"]["profiles_not_loaded"]


def test_storage_down_is_503(client):
    client.app.state.service.store.close()
    answer = client.post("/v1/profiles/northwind/score", json={"text": DRAFT_ON})
    assert_error(answer, 503, "storage_unavailable")
    assert answer.headers["Retry-After"] == "5"  # as a stopping server's 503 (operations review)
    assert client.get("/healthz").status_code == 503


def test_concurrent_single_requests_are_batched(client):
    from concurrent.futures import ThreadPoolExecutor

    batcher = client.app.state.service.batcher
    before_batches, before_items = batcher.batches, batcher.items
    texts = [f"{DRAFT_ON} Post number {i}." for i in range(24)]
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda t: client.post("/v1/profiles/northwind/score", json={"text": t, "id": t[-3:]}),
                                texts))
    assert all(a.status_code == 200 for a in answers)
    assert [a.json()["id"] for a in answers] == [t[-3:] for t in texts]
    assert batcher.items - before_items == 24
    assert batcher.batches - before_batches <= 24


# ---------------------------------------------------------------------- found by a user review
def test_learn_refuses_an_unknown_field_and_keeps_the_profile(client):
    """A misspelt "sinse" used to learn from every document and replace the profile; documents' own fields stay."""
    before = client.get("/v1/profiles/northwind").json()["profile"]["version"]
    docs = [{**d, "campaign": "spring"} for d in northwind_records(60)]  # a document's other fields are metadata
    for extra in ({"sinse": "2026-02-01"}, {"contrasts": [{"text": "not us"}]}, {"foo": 1}):
        key = next(iter(extra))
        err = assert_error(client.post("/v1/profiles", json={"name": "northwind", "documents": docs, **extra}), 422,
                           "validation_error", field=key)
        assert "unknown field: a learn request has name, documents, contrast, lang, since and until" in err["message"]
    assert client.get("/v1/profiles/northwind").json()["profile"]["version"] == before
    r = client.post("/v1/profiles", json={"name": "spring", "documents": docs, "lang": "en"})
    assert r.status_code == 201, r.text


def _filters_say_what_is_wrong(c: TestClient) -> None:
    """A NUL or another control character in a text filter is 422 naming it, on every route that takes one."""
    url = "/v1/profiles/northwind"
    for query, field in (("source=%00", "source"), ("channel=%00", "channel"), ("author=a%00b", "author"),
                         ("source=a%0Ab", "source"), ("author=%C2%85", "author")):
        err = assert_error(c.get(f"{url}/history?{query}"), 422, "invalid_input", field)
        assert "control character" in err["message"]
    assert_error(c.get(f"{url}/history?source=" + "x" * 301), 422, "invalid_input", "source")
    for route in ("history", "drift", "drift.html"):
        for bound in ("since", "until"):
            err = assert_error(c.get(f"{url}/{route}?{bound}=2026-03-02T10:00:00%00"), 422, "invalid_date", bound)
            assert "control character (0x0000)" in err["message"]
    assert_error(c.get(f"{url}/history?cursor=%C2%B2"), 422, "invalid_cursor", "cursor")  # "²" is a digit to isdigit
    assert c.get(f"{url}/history?source=agency&until=2026-03-02%0A").status_code == 200  # a trailing newline is space


def test_control_characters_in_filters_are_422(client):
    _filters_say_what_is_wrong(client)


def test_healthz_says_why_a_profile_was_not_loaded(tmp_path, fake_northwind, api_embedder, caplog):
    """Not the exception's class ("ProfileFormatError"): the file and what is wrong with it, without server paths."""
    models = tmp_path / "models"
    copy_profile(fake_northwind, models, "northwind")
    (copy_profile(fake_northwind, models, "missing") / "style_center.npy").unlink()
    (copy_profile(fake_northwind, models, "edited") / "words.json").write_text("{}")
    with caplog.at_level("WARNING", logger="voicecheck.api"), make_client(tmp_path, api_embedder) as c:
        problems = wait_ready(c)["checks"]["profiles_not_loaded"]
    assert set(problems) == {"missing", "edited"}
    assert "style_center.npy: file missing from the profile folder" in problems["missing"]
    assert "words.json: file was edited or truncated (checksum differs" in problems["edited"]
    assert not any(str(tmp_path) in why or "Error" in why for why in problems.values())
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert "style_center.npy: file missing" in logged and "ProfileFormatError" not in logged


def test_a_profile_folder_linked_by_the_operator_is_served(client, fake_northwind, tmp_path):
    """A symbolic link in the models folder (a shared profile) is served; learning does not replace it and
    deleting removes the link only. It used to be 422 "profile name escapes the models directory"."""
    shared = copy_profile(fake_northwind, tmp_path / "shared", "brand")
    models = Path(client.app.state.settings.models_dir)
    (models / "alink").symlink_to(shared, target_is_directory=True)
    assert client.get("/v1/profiles/alink").status_code == 200
    assert "alink" in [p["name"] for p in client.get("/v1/profiles").json()["profiles"]]
    assert client.post("/v1/profiles/alink/score", json={"text": DRAFT_ON, "id": "l"}).status_code == 200
    assert [i["result"]["id"] for i in client.get("/v1/profiles/alink/history").json()["items"]] == ["l"]
    err = assert_error(client.post("/v1/profiles", json={"name": "alink", "documents": northwind_records(24)}), 409,
                       "profile_conflict")
    assert "symbolic link" in err["message"] and str(shared) not in err["message"]
    assert client.delete("/v1/profiles/alink").status_code == 204
    assert not (models / "alink").exists() and not (models / "alink").is_symlink()
    assert (shared / "manifest.json").is_file() and not [p for p in models.iterdir() if p.name.startswith(".alink")]


def test_a_profile_file_edited_while_served_is_noticed(client, fake_northwind):
    """Only a changed manifest.json used to be noticed: a truncated file kept being served until a restart,
    where the command line refuses it. Every file's size and time are compared; the checksums then say."""
    url = "/v1/profiles/northwind/score"
    assert client.post(url, json={"text": DRAFT_ON}).status_code == 200
    arrays = Path(client.app.state.settings.models_dir) / "northwind" / "style_center.npy"
    whole = arrays.read_bytes()
    arrays.write_bytes(whole[:-8])
    err = assert_error(client.post(url, json={"text": DRAFT_ON}), 409, "profile_unusable")
    assert "style_center.npy: file was edited or truncated" in err["message"]
    assert_error(client.get("/v1/profiles/northwind"), 409, "profile_unusable")
    arrays.write_bytes(whole)  # put back as it was: served again
    assert client.post(url, json={"text": DRAFT_ON}).status_code == 200


@pytest.mark.parametrize("method, path, allow", [
    ("PUT", "/v1/profiles", "GET, POST"),
    ("DELETE", "/v1/profiles", "GET, POST"),
    ("PATCH", "/v1/profiles/northwind", "GET, DELETE"),
    ("GET", "/v1/profiles/northwind/score", "POST"),
    ("POST", "/v1/profiles/northwind/drift", "GET"),
    ("POST", "/healthz", "GET, HEAD"),
])
def test_a_405_lists_every_method_the_path_takes(client, method, path, allow):
    r = client.request(method, path)
    assert_error(r, 405, "method_not_allowed")
    assert r.headers["allow"] == allow


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_a_body_not_in_utf8_is_422(client, encoding):
    """RFC 8259 and the docs say UTF-8; json.loads(bytes) would read UTF-16 and UTF-32 too (it was scored: 200)."""
    for url, body in (("/v1/profiles/northwind/score", {"text": DRAFT_ON}),
                      ("/v1/profiles", {"name": "utf16", "documents": northwind_records(24)})):
        r = client.post(url, content=json.dumps(body).encode(encoding), headers={"content-type": "application/json"})
        err = assert_error(r, 422, "invalid_json")
        assert "not valid UTF-8 JSON" in err["message"] and "UTF-16" in err["message"]
    assert client.get("/v1/profiles/northwind/history").json()["items"] == []
    assert not (Path(client.app.state.settings.models_dir) / "utf16").exists()


def test_a_utf8_byte_order_mark_is_ignored(client):
    """RFC 8259 lets a parser ignore it, and Windows tools send one."""
    body = b"\xef\xbb\xbf" + json.dumps({"text": DRAFT_ON}).encode()
    r = client.post("/v1/profiles/northwind/score", content=body, headers={"content-type": "application/json"})
    assert r.status_code == 200, r.text


@pytest.fixture()
def pg_client(tmp_path, fake_northwind, api_embedder):
    """The service on a fresh PostgreSQL schema (127.0.0.1:5432), serving the northwind profile; skips without it."""
    reason = pg_unavailable()
    if reason:
        pytest.skip(reason)
    copy_profile(fake_northwind, tmp_path / "models", "northwind")
    with pg_schema() as url, make_client(tmp_path, api_embedder, db_url=url) as c:
        assert wait_ready(c)["checks"]["database"] == "ok"
        yield c


@pytest.mark.postgres
def test_control_characters_in_filters_are_422_on_postgresql(pg_client):
    """PostgreSQL cannot take a NUL as a query parameter: it was a retryable 503 storage_unavailable."""
    _filters_say_what_is_wrong(pg_client)


@pytest.mark.postgres
def test_history_on_postgresql(pg_client, tmp_path):
    """The same service on PostgreSQL: scored posts are stored and paged the same way."""
    c = pg_client
    items = [{"text": DRAFT_ON, "id": "a", "date": "2026-03-02"}, {"text": DRAFT_OFF, "id": "b"}]
    assert c.post("/v1/profiles/northwind/score", json={"items": items}).status_code == 200
    page = c.get("/v1/profiles/northwind/history?limit=1").json()
    assert [i["result"]["id"] for i in page["items"]] == ["b"] and page["next_cursor"]
    assert c.get("/v1/profiles/northwind/drift").json()["n_posts"] == 2
    assert c.delete("/v1/profiles/northwind/history?until=2026-03-02").json() == {"deleted": 1, "until": "2026-03-02"}
    assert [i["result"]["id"] for i in c.get("/v1/profiles/northwind/history").json()["items"]] == ["b"]
    assert c.delete("/v1/profiles/northwind").status_code == 204
    assert c.app.state.service.store.count("northwind") == 0
    assert not (tmp_path / "models" / "voicecheck.db").exists()


@pytest.mark.slow
def test_same_json_as_cli(tmp_path, tmp_path_factory):
    """With the real model, the API answers exactly what `voicecheck score --format jsonl` prints."""
    import subprocess
    import sys

    from conftest_api import ROOT

    learned = real_northwind(tmp_path_factory)
    copy_profile(learned, tmp_path / "models", "northwind")
    drafts = tmp_path / "drafts.jsonl"
    items = [{"text": DRAFT_ON, "id": "on"}, {"text": DRAFT_OFF, "id": "off", "date": "2026-03-01"},
             {"text": northwind_records(1)[0]["text"], "id": "learned"}]
    drafts.write_text("".join(json.dumps(i) + "\n" for i in items))
    cli = subprocess.run([sys.executable, "-m", "voicecheck", "score", str(drafts), "--profile",
                          str(tmp_path / "models" / "northwind"), "--format", "jsonl"],
                         capture_output=True, text=True, cwd=ROOT, env={**os.environ, "HF_HUB_OFFLINE": "1"})
    assert cli.returncode in (0, 1), cli.stderr
    printed = [json.loads(line) for line in cli.stdout.splitlines()]
    with make_client(tmp_path, None) as c:
        got = c.post("/v1/profiles/northwind/score", json={"items": items}).json()["results"]
        single = c.post("/v1/profiles/northwind/score", json=items[0]).json()
    assert got == printed
    assert single == printed[0]
    assert [r["learned_from"] for r in printed] == [True, False, True]  # DRAFT_ON is a Northwind post too



def test_every_error_code_the_service_answers_with_is_in_the_schema(client):
    """A client generated from /openapi.json branches on the error code: it was a plain string (an integrator's
    review). Every code written in the service's source is one of ErrorCode's, and every one of those is used."""
    import re
    import typing

    from voicecheck_api.schemas import ErrorCode

    source = "\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "api").glob("*.py")))
    patterns = [r'ApiError\(\d+, "(\w+)"', r'_json\([\w.]+, "(\w+)"', r'_refuse\(send, \d+, "(\w+)"',
                r'error_body\("(\w+)"', r'code(?:, field)? = "(\w+)"', r'return "(\w+)", f"', r'\d{3}: "(\w+)"',
                r'"(http_error)"', r'TooLittleDataError\) else "(\w+)"']
    used = {c for p in patterns for c in re.findall(p, source)}
    assert used == set(typing.get_args(ErrorCode)), used ^ set(typing.get_args(ErrorCode))
    spec = client.get("/openapi.json").json()
    assert set(spec["components"]["schemas"]["ErrorDetail"]["properties"]["code"]["enum"]) == used
    # each route lists the errors it answers with, not one set for all (an integrator's review)
    answers = {(m, p): set(op["responses"]) for p, ops in spec["paths"].items() for m, op in ops.items()}
    assert answers[("get", "/v1/profiles")] == {"200", "401", "405", "413", "415", "422", "500", "503"}
    assert {"404", "409", "413", "415"} <= answers[("post", "/v1/profiles/{name}/score")]
    assert "409" not in answers[("get", "/v1/profiles/{name}/history")]
    assert "404" in answers[("get", "/v1/profiles/{name}/drift")]
    assert answers[("get", "/healthz")] == {"200", "405", "413", "503"}
    # what a route answers before it runs is listed too: 405, 413 and 415 even on a GET (an integrator's review)
    listed = lambda r, m, p: str(r.status_code) in answers[(m, p)] and r.json()["error"]["code"]  # noqa: E731
    assert listed(client.put("/v1/profiles/northwind/score"), "post", "/v1/profiles/{name}/score")
    assert listed(client.get("/v1/profiles", headers={"Content-Encoding": "gzip"}), "get", "/v1/profiles")
    assert listed(client.request("GET", "/healthz", content=b"x" * (9 << 20)), "get", "/healthz")
    assert "Retry-After" in spec["paths"]["/v1/profiles/{name}/score"]["post"]["responses"]["503"]["headers"]
    # and every 422 carries its problems in details, one or many
    for r in (client.get("/v1/profiles/northwind/history?cursor=x"), client.get("/v1/profiles/northwind?bogus=1"),
              client.post("/v1/profiles/northwind/score", json={"items": [{"text": "x"}] * 300})):
        assert r.status_code == 422 and r.json()["error"]["details"], r.text


def test_a_result_a_library_caller_stored_by_hand_is_in_the_history(client):
    """Store.add_results takes dicts; the history's typed result must not answer 500 for a minimal one (a code
    review), nor drop the fields it does not know."""
    store = client.app.state.service.store
    store.add_results("northwind", "v0", [{"id": "hand-1", "date": "2026-03-02", "score": 12.5,
                                           "verdict": "borderline", "note": "imported"}])
    page = client.get("/v1/profiles/northwind/history")
    assert page.status_code == 200, page.text
    (item,) = page.json()["items"]
    assert item["result"]["id"] == "hand-1" and item["result"]["note"] == "imported"



def test_an_empty_query_parameter_is_one_not_given_and_cursor_and_offset_do_not_mix(client):
    """A web form sends blank fields: ?source= had been ignored and ?verdict=, ?limit=, ?window= answered 422 (an
    integrator's review). Now every one is the parameter not given, but store and keep_history, which must say
    yes or no. And ?cursor=&offset= had applied both, one after the other: 422."""
    client.post("/v1/profiles/northwind/score", json={"items": [{"text": DRAFT_ON, "id": f"d{i}"} for i in range(3)]})
    base = client.get("/v1/profiles/northwind/history").json()
    blank = client.get("/v1/profiles/northwind/history?verdict=&limit=&offset=&source=&since=&cursor=")
    assert blank.status_code == 200 and blank.json() == base, blank.text
    assert client.get("/v1/profiles/northwind/drift?window=&by=&explain_in=").json()["window"] == "week"
    drift = client.get("/v1/profiles/northwind/drift").json()
    assert client.get("/v1/profiles/northwind/drift?window=").json() == drift
    assert_error(client.post("/v1/profiles/northwind/score?store=", json={"text": DRAFT_ON}), 422, field="store")
    assert_error(client.get("/v1/profiles/northwind/history?cursor=999&offset=1"), 422, "invalid_cursor", "offset")
    assert client.get("/v1/profiles/northwind/history?cursor=999&offset=0").status_code == 200  # the default, written


def test_drift_reports_past_the_queue_are_busy_at_once(client):
    """Dashboards that gave up after 3 s and asked again queued drift reports without bound, each built for no one,
    and the next real request waited 129 s (an operations review). Past 8 waiting: 503 busy with Retry-After."""
    from voicecheck_api.app import DRIFT_QUEUE

    svc = client.app.state.service
    svc.drift_waiting = DRIFT_QUEUE
    try:
        r = client.get("/v1/profiles/northwind/drift")
        assert_error(r, 503, "busy")
        assert r.headers["Retry-After"] == "10"
        assert client.get("/v1/profiles/northwind/drift.html").status_code == 503
        # a period no report can hold is said at once, busy or not: a retry would not mend it (an integrator's review)
        body = assert_error(client.get("/v1/profiles/northwind/drift?window=day&since=2020-01-01&until=2026-01-01"),
                            422, field="window")
        assert body["message"] == ("from 2020-01-01 to 2026-01-01 is 2,193 days; a report holds at most 1,000: "
                                   "choose a shorter period or a longer window")
        assert_error(client.get("/v1/profiles/northwind/drift?since=2026-03-01&until=2026-01-01"), 422, field="until")
    finally:
        svc.drift_waiting = 0
    assert client.get("/v1/profiles/northwind/drift").status_code == 200 and svc.drift_waiting == 0


def test_a_drift_report_cut_off_by_a_stop_answers_in_json(client, monkeypatch):
    """A stop's grace period running out on drift reports gave each a plain-text 500 and a traceback (an operations
    review): 503 shutting_down in JSON, with Retry-After, as a score or a learn."""
    import asyncio

    class Stopping:
        async def acquire(self):
            raise asyncio.CancelledError

        def release(self):
            raise AssertionError("never acquired")

    monkeypatch.setattr(client.app.state.service, "drift_slots", Stopping())
    r = client.get("/v1/profiles/northwind/drift")
    assert_error(r, 503, "shutting_down")
    assert r.headers["Retry-After"] == "5" and client.app.state.service.drift_waiting == 0


def test_a_draft_s_channel_is_explained_against_the_brand_s_posts_there(client):
    """Learned with channel labels over HTTP, a labelled draft is explained against that channel's posts, and the
    card returned says which channels the profile keeps apart."""
    from test_channels import _caption, _newsletter

    docs = ([{"id": f"c{i}", "text": _caption(i), "channel": "instagram"} for i in range(40)]
            + [{"id": f"n{i}", "text": _newsletter(i), "channel": "newsletter"} for i in range(30)])
    r = client.post("/v1/profiles", json={"name": "books", "documents": docs, "lang": "en"})
    assert r.status_code == 201, r.text
    assert [c["channel"] for c in r.json()["card"]["channels"]] == ["instagram", "newsletter"]
    scored = client.post("/v1/profiles/books/score", json={"text": _caption(5), "channel": "Newsletter"})
    assert scored.status_code == 200, scored.text
    assert any("the brand's newsletter posts have 120" in x["message"] for x in scored.json()["reasons"])
