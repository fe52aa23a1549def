"""The onboarding review's routes in the OpenAPI document: each has a success schema and its
errors in the ``Error`` shape with the codes it refuses with, and every reviewer route declares
the consortium key's security (the applicant's two routes are public)."""

from __future__ import annotations

from typing import Any

import pytest

from tongdui.api.app import create_app
from tongdui.services import Services

PUBLIC = {
    ("POST", "/onboarding/applications"),
    ("GET", "/onboarding/applications/{reference}"),
}
REVIEWER = {
    ("GET", "/consortium/key"),
    ("GET", "/consortium/applications"),
    ("POST", "/consortium/applications/{application_id}/approve"),
    ("POST", "/consortium/applications/{application_id}/reject"),
    ("POST", "/consortium/proposals/{proposal_id}/approve"),
    ("POST", "/consortium/proposals/{proposal_id}/execute"),
    ("GET", "/consortium/oplog"),
    ("GET", "/consortium/risk/rules"),
    ("POST", "/consortium/risk/rules"),
    ("DELETE", "/consortium/risk/rules/{rule_id}"),
    ("GET", "/consortium/risk/interceptions"),
}


@pytest.fixture
def document(services: Services) -> dict[str, Any]:
    return create_app(services).openapi()


def operations(document: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {
        (method.upper(), path): operation
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if path.startswith(("/onboarding/", "/consortium/"))
    }


def test_the_onboarding_routes_are_exactly_these(document: dict[str, Any]) -> None:
    assert set(operations(document)) == PUBLIC | REVIEWER


def test_each_has_a_success_schema_and_documents_its_errors(document: dict[str, Any]) -> None:
    for where, operation in operations(document).items():
        success = next(s for s in operation["responses"] if s.startswith("2"))
        schema = next(iter(operation["responses"][success]["content"].values()))["schema"]
        assert schema.get("$ref") or schema.get("items", {}).get("$ref"), where
        errors = {s: r for s, r in operation["responses"].items() if s[0] in "45"}
        assert "500" in errors and "422" in errors, where
        for response in errors.values():
            assert response["content"]["application/json"]["schema"]["$ref"].endswith("/Error")
    approve = operations(document)[("POST", "/consortium/applications/{application_id}/approve")]
    assert "APPLICATION_ALREADY_REVIEWED" in approve["responses"]["409"]["description"]
    apply = operations(document)[("POST", "/onboarding/applications")]
    assert "APPLICATION_INVALID" in apply["responses"]["422"]["description"]


def test_reviewer_routes_declare_the_consortium_key_and_applicant_routes_none(
    document: dict[str, Any],
) -> None:
    schemes = document["components"]["securitySchemes"]
    assert {"ConsortiumKey", "ConsortiumKeyHeader"} <= set(schemes)
    for where, operation in operations(document).items():
        declared = {name for entry in operation.get("security", []) for name in entry}
        assert declared == (set() if where in PUBLIC else {"ConsortiumKey", "ConsortiumKeyHeader"})
        if where not in PUBLIC:
            assert "401" in operation["responses"], where
