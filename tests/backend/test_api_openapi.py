"""The OpenAPI document is valid OpenAPI 3.1 and complete enough to generate a client: every
operation of the query and merchant APIs has a response schema and documents its errors with
the ``Error`` schema."""

from __future__ import annotations

from typing import Any

import jsonschema_rs
import pytest

# the official OpenAPI 3.1 meta-schema, as schemathesis ships it (no network at test time)
from schemathesis.specs.openapi.definitions import OPENAPI_31

from tongdui.api.app import create_app
from tongdui.services import Services

MINE = ("/balances", "/history", "/quote", "/merchants", "/stats", "/health", "/metrics")


@pytest.fixture
def document(services: Services) -> dict[str, Any]:
    return create_app(services).openapi()


def operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if path.startswith(MINE)
    ]


def test_the_document_validates_against_the_openapi_31_schema(document: dict[str, Any]) -> None:
    errors = [
        e.message for e in jsonschema_rs.Draft202012Validator(OPENAPI_31).iter_errors(document)
    ]
    assert errors == []
    assert document["openapi"].startswith("3.1")


def test_every_route_of_the_query_and_merchant_api_is_listed(document: dict[str, Any]) -> None:
    listed = {(m.upper(), p) for p, m, _ in operations(document)}
    token = "/merchants/{token}"
    assert listed == {
        ("GET", "/balances/{address}"),
        ("GET", "/history/{address}"),
        ("GET", "/quote"),
        ("GET", "/merchants"),
        ("GET", token),
        ("GET", f"{token}/stats"),
        ("GET", "/stats"),
        ("GET", "/health"),
        ("GET", "/metrics"),
        ("GET", f"{token}/key"),
        ("POST", f"{token}/issue"),
        ("GET", f"{token}/redemption-request"),
        ("POST", f"{token}/redeem"),
        ("GET", f"{token}/point-value"),
        ("PUT", f"{token}/point-value"),
        ("GET", f"{token}/pricing/suggestion"),
        ("POST", f"{token}/deposit"),
        ("POST", f"{token}/withdraw"),
        ("GET", f"{token}/transactions/{{tx_hash}}"),
        ("GET", f"{token}/swaps"),
        ("GET", f"{token}/controls"),
        ("GET", f"{token}/operators"),
        ("POST", f"{token}/operators"),
        ("POST", f"{token}/operators/{{operator_id}}/keys"),
        ("POST", f"{token}/operators/{{operator_id}}/keys/{{prefix}}/revoke"),
        ("GET", f"{token}/oplog"),
        ("GET", f"{token}/webhooks"),
        ("POST", f"{token}/webhooks"),
        ("POST", f"{token}/webhooks/{{endpoint_id}}/rotate"),
        ("DELETE", f"{token}/webhooks/{{endpoint_id}}"),
        ("GET", f"{token}/webhooks/{{endpoint_id}}/deliveries"),
        ("POST", f"{token}/webhooks/deliveries/{{delivery_id}}/replay"),
        ("GET", f"{token}/risk/rules"),
        ("POST", f"{token}/risk/rules"),
        ("DELETE", f"{token}/risk/rules/{{rule_id}}"),
        ("GET", f"{token}/risk/held"),
        ("POST", f"{token}/risk/reviews"),
        ("GET", f"{token}/risk/interceptions"),
        ("POST", f"{token}/members"),
        ("POST", f"{token}/members/erase"),
        ("POST", f"{token}/members/issue"),
        ("POST", f"{token}/members/redeem"),
        ("POST", f"{token}/bulk-issues"),
        ("GET", f"{token}/bulk-issues/{{job_id}}"),
        ("GET", f"{token}/bulk-issues/{{job_id}}/rows"),
        ("GET", f"{token}/bulk-issues/{{job_id}}/rows.csv"),
        # issue 16: vouchers
        ("POST", f"{token}/vouchers/products"),
        ("GET", f"{token}/vouchers/products"),
        ("POST", f"{token}/vouchers/products/{{product_id}}/pause"),
        ("POST", f"{token}/vouchers/products/{{product_id}}/resume"),
        ("POST", f"{token}/vouchers/products/{{product_id}}/stock"),
        ("GET", f"{token}/vouchers/sales"),
        ("POST", f"{token}/vouchers/redeem"),
    }


def test_every_operation_has_a_success_schema_and_documented_errors(
    document: dict[str, Any],
) -> None:
    for path, method, operation in operations(document):
        where = f"{method.upper()} {path}"
        success = operation["responses"]["200"]["content"]
        schema = next(iter(success.values()))["schema"]
        assert schema.get("$ref") or schema.get("type"), where
        assert operation.get("summary"), where
        errors = {s: r for s, r in operation["responses"].items() if s.startswith(("4", "5"))}
        assert "500" in errors, where
        for status, response in errors.items():
            body = response["content"]["application/json"]["schema"]["$ref"]
            expected = "Health" if (path, status) == ("/health", "503") else "Error"
            assert body.endswith(f"/{expected}"), f"{where} {status}"


def test_merchant_operations_declare_their_api_key_security(document: dict[str, Any]) -> None:
    schemes = document["components"]["securitySchemes"]
    assert {s["type"] for s in schemes.values()} == {"http", "apiKey"}
    for path, method, operation in operations(document):
        if path.startswith("/merchants/{token}/") and not path.endswith("/stats"):
            assert "401" in operation["responses"] and "403" in operation["responses"], path
            assert operation.get("security"), f"{method} {path}"


def test_the_error_schema_has_code_message_details(document: dict[str, Any]) -> None:
    error = document["components"]["schemas"]["Error"]
    assert set(error["required"]) == {"code", "message"}
    assert set(error["properties"]) == {"code", "message", "details"}


def test_every_query_parameter_is_camel_case(document: dict[str, Any]) -> None:
    # the pricing route once took ``window_days`` and ``series_days`` beside ``fromDate``
    for path, method, operation in operations(document):
        for param in operation.get("parameters", []):
            if param["in"] == "query":
                assert "_" not in param["name"], f"{method.upper()} {path} ?{param['name']}"


def test_the_pricing_suggestion_takes_window_days_and_series_days(
    document: dict[str, Any],
) -> None:
    operation = document["paths"]["/merchants/{token}/pricing/suggestion"]["get"]
    query = {p["name"] for p in operation["parameters"] if p["in"] == "query"}
    assert query == {"windowDays", "seriesDays", "minBlock"}
