"""Fuzz the OpenAPI schema with schemathesis: whatever arrives, never a 5xx.

Runs in-process against the app (fake embedder), bounded to a few seconds per route.
"""

from __future__ import annotations

import time

import pytest

schemathesis = pytest.importorskip("schemathesis")
# Imported here, at collection, not lazily deep inside the test: CPython 3.11.7 can fail to
# parse (for pytest's assertion rewriting) a module first imported from a deep call stack
# ("SystemError: AST constructor recursion depth mismatch").
import schemathesis.openapi.loaders  # noqa: E402,F401
import schemathesis.specs.openapi.adapter.v2  # noqa: E402,F401
import schemathesis.specs.openapi.schemas  # noqa: E402,F401
from hypothesis import HealthCheck, settings  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import content_type_conformance  # noqa: E402

from voicecheck_api.app import create_app  # noqa: E402
from voicecheck_api.settings import Settings  # noqa: E402
from conftest_api import copy_profile, learn_profile  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402
from voicecheck.testing import FakeEmbedder  # noqa: E402


@pytest.fixture(scope="module")
def fuzz_app(tmp_path_factory):
    embedder = FakeEmbedder()
    learned = learn_profile(tmp_path_factory.mktemp("fuzz-learned"), embedder=embedder)
    models = tmp_path_factory.mktemp("fuzz") / "models"
    # Names the generator tries first, so scoring, history and drift run on a real profile too.
    for name in ("northwind", "0", "a", "00"):
        copy_profile(learned, models, name)
    app = create_app(Settings(models_dir=models, embedder=embedder, max_batch_items=16, max_body_bytes=256_000))
    with TestClient(app) as client:  # runs the lifespan; schemathesis then calls the started app
        for _ in range(300):  # readiness first: /healthz is a documented 503 while warming up
            if client.get("/healthz").status_code == 200:
                break
            time.sleep(0.1)
        else:
            pytest.fail("the service did not become ready")
        yield app


def test_no_server_errors(fuzz_app):
    """Every operation, a bounded number of generated requests each; any 5xx fails."""
    from hypothesis import given

    schema = schemathesis.openapi.from_asgi("/openapi.json", fuzz_app)
    seen = []
    for result in schema.get_all_operations():
        operation = result.ok()
        seen.append(operation.label)

        @given(case=operation.as_strategy())
        @settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True,
                  database=None)
        def run(case):
            response = case.call()
            if operation.path == "/healthz":  # a documented 503 while the app warms up: not a crash
                assert response.status_code in (200, 503), response.text
                checks = [content_type_conformance]
            else:
                checks = [not_a_server_error, content_type_conformance]
            case.validate_response(response, checks=checks)

        run()
    assert len(seen) == 10, seen
