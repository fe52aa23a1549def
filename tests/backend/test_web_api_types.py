"""The pages' contract with the API: backend/web/static/api-types.js, the JSDoc types that
``tsc --checkJs`` checks every page against, is exactly what the OpenAPI document the API
serves gives, so a renamed, dropped or retyped field of an answer fails the type check of each
page that reads it instead of showing "undefined" to a user."""

from __future__ import annotations

import re

from tongdui.api.app import create_app
from tongdui.services import Services
from tongdui.web.api_types import TARGET, render, served_document, type_name


def test_the_pages_api_types_are_generated_from_the_served_openapi_document(
    services: Services,
) -> None:
    served = create_app(services).openapi()
    assert TARGET.read_text(encoding="utf-8") == render(served), (
        "backend/web/static/api-types.js is stale: run python -m tongdui.web.api_types"
    )


def test_the_generator_reads_the_same_schemas_and_routes_the_api_serves(
    services: Services,
) -> None:
    served = create_app(services).openapi()
    generated = served_document()
    assert generated["components"]["schemas"] == served["components"]["schemas"]
    assert generated["paths"].keys() == served["paths"].keys()


def test_every_schema_property_is_a_typedef_property_with_its_optionality(
    services: Services,
) -> None:
    text = TARGET.read_text(encoding="utf-8")
    blocks = dict(re.findall(r"@typedef \{Object\} (\w+)\n((?: \* @property [^\n]*\n)*)", text))
    for name, schema in create_app(services).openapi()["components"]["schemas"].items():
        if not schema.get("properties"):
            continue
        written = re.findall(r"@property \{.*?\} (\[?\w+\]?)", blocks[type_name(name)])
        required = set(schema.get("required", []))
        expected = [p if p in required else f"[{p}]" for p in schema["properties"]]
        assert written == expected, name


def test_two_models_of_one_name_keep_apart_as_typedefs() -> None:
    assert type_name("tongdui__api__routes__web_chain__Consortium") == "WebChainConsortium"
    assert type_name("tongdui__api__routes__statements__Consortium") == "StatementsConsortium"
    assert type_name("Balances") == "Balances"
