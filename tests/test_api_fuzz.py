"""Fuzz the OpenAPI schema with schemathesis: whatever arrives, never a 5xx.

Runs in-process against the app (fake embedder), bounded to a few seconds per route.
"""

from __future__ import annotations

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, settings  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import content_type_conformance  # noqa: E402

from api.app import create_app  # noqa: E402
from api.settings import Settings  # noqa: E402
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
    with TestClient(app):  # runs the lifespan; schemathesis then calls the started app
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
            case.validate_response(response, checks=[not_a_server_error, content_type_conformance])

        run()
    assert len(seen) == 9, seen
