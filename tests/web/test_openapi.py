"""schemathesis against the served OpenAPI document: no input makes the service fail (5xx).

Admin operations are called with a DPO's token too, so they are exercised past the
authentication. The example count is kept small so the file runs in seconds.
"""

from __future__ import annotations

from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from web_site import Site

from skydd.web.app import create_app


def test_the_openapi_document_is_served(site: Site) -> None:
    document = site.client.get("/openapi.json").json()
    paths = set(document["paths"])
    assert {"/api/requests", "/api/admin/requests", "/api/admin/requests/{request_id}/run"} <= paths
    assert not any(p.startswith("/staff") or p == "/" for p in paths)  # pages are not API
    assert "HTTPBearer" in document["components"]["securitySchemes"]
    assert create_app.__doc__


def _fuzz(operation: Any, mode: schemathesis.GenerationMode, headers: dict[str, str]) -> None:
    @given(case=operation.as_strategy(mode))
    @settings(
        max_examples=4,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
    )
    def no_server_error(case: schemathesis.Case) -> None:
        response = case.call(headers=headers)
        assert response.status_code < 500, (case.method, case.path, response.text[:300])

    try:
        no_server_error()
    except Unsatisfiable:
        # Nothing to make invalid (an operation without parameters or body).
        assert mode == schemathesis.GenerationMode.NEGATIVE, operation.label


def test_no_input_makes_a_server_error(site: Site) -> None:
    """Each operation with generated inputs, valid and invalid (schemathesis strategies driven
    by Hypothesis here: its pytest plugin does not run under pytest 9)."""
    schema = schemathesis.openapi.from_asgi("/openapi.json", site.app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 10
    dpo = site.staff("dpo")
    for operation in operations:
        headers = dpo if operation.path.startswith("/api/admin") else {}
        _fuzz(operation, schemathesis.GenerationMode.POSITIVE, headers)
        _fuzz(operation, schemathesis.GenerationMode.NEGATIVE, headers)
