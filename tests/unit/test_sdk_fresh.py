"""The merchant SDK is not stale: sdk/openapi.json is the merchant document the routes give now,
its SHA-256 is the one committed beside it, and the generated client says it was generated from
that hash (scripts/generate_sdk.sh writes all three; tests/backend/test_sdk_generated.py runs
the generator itself and compares every file). And the document is one a generator can use:
only the merchant API, every schema it names present, one class name per schema."""

from __future__ import annotations

import json
from collections import Counter
from functools import cache
from typing import Any

import pytest

from tongdui.api.merchant_openapi import (
    MERCHANT_TAGS,
    SDK,
    TARGET,
    merchant_document,
    render,
    route_name,
    schema_refs,
    sha256_line,
)
from tongdui.web.api_types import served_document

CLIENT = SDK / "tongdui-merchant-client"
STALE = "the merchant SDK is stale: run scripts/generate_sdk.sh and commit what it writes"


@cache
def served() -> dict[str, Any]:
    """The served document, built once for the module (building it is most of its time)."""
    return served_document()


def test_the_committed_sdk_document_is_the_merchant_document_the_routes_give_now() -> None:
    assert TARGET.read_text(encoding="utf-8") == render(merchant_document(served())), STALE


def test_the_committed_sha256_is_the_documents_and_the_client_was_generated_from_it() -> None:
    committed = (SDK / "openapi.json.sha256").read_text(encoding="utf-8")
    assert committed == sha256_line(TARGET.read_text(encoding="utf-8")), STALE
    assert (CLIENT / "openapi.json.sha256").read_text(encoding="utf-8") == committed, STALE


def test_the_sdk_document_holds_the_merchant_routes_only_and_every_schema_they_name() -> None:
    document = merchant_document(served())
    operations = [op for item in document["paths"].values() for op in item.values()]
    assert all(MERCHANT_TAGS & set(op["tags"]) for op in operations)
    paths = set(document["paths"])
    assert {"/merchants/{token}/members", "/merchants/{token}/bulk-issues"} <= paths
    assert {"/merchants/{token}/webhooks", "/merchants/{token}/operators"} <= paths
    assert not {"/orders", "/quote", "/web/consortium", "/statements"} & paths
    schemas = document["components"]["schemas"]
    assert schema_refs(document) <= set(schemas)
    assert "OrderRequest" not in schemas and "ConsortiumOverview" not in schemas


def test_sdk_operation_ids_are_the_route_functions_names() -> None:
    document = merchant_document(served())
    ids = [op["operationId"] for item in document["paths"].values() for op in item.values()]
    assert {"link_member", "issue_to_member", "upload_bulk", "bulk_progress"} <= set(ids)
    assert len(ids) == len(set(ids))
    path = "/merchants/{token}/members"
    assert route_name("link_member_merchants__token__members_post", path, "post") == "link_member"
    with pytest.raises(ValueError, match="not FastAPI's default id"):
        route_name("link_member", path, "post")


def test_the_sdk_upload_sends_the_file_as_bytes_with_its_format_parameter() -> None:
    upload = merchant_document(served())["paths"]["/merchants/{token}/bulk-issues"]["post"]
    assert list(upload["requestBody"]["content"]) == ["application/octet-stream"]
    assert {p["name"] for p in upload["parameters"]} >= {"format", "Idempotency-Key"}
    served_upload = served()["paths"]["/merchants/{token}/bulk-issues"]["post"]
    assert list(served_upload["requestBody"]["content"]) == ["text/csv", "application/json"]


def test_every_schema_the_api_serves_has_a_title_of_its_own() -> None:
    """The generator names each model class by its schema's title; two alike (the two
    ``Consortium`` models once) made it refuse the second."""
    titles = Counter(s.get("title") for s in served()["components"]["schemas"].values())
    assert [t for t, n in titles.items() if n > 1] == []
    assert not [name for name in served()["components"]["schemas"] if "__" in name]


def test_the_committed_document_is_json_the_generator_reads() -> None:
    document = json.loads(TARGET.read_text(encoding="utf-8"))
    assert document["info"]["title"] == "Tongdui merchant API"
    assert document["openapi"].startswith("3.1")
