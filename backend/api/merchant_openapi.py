"""The merchant API's OpenAPI document: what the merchant SDK (``sdk/``) is generated from.

Why a document of its own: a merchant's client needs the merchant routes (keys, issue and
redeem, members and bulk, webhooks, operators), not the relayer's, the pages' or the audit's.
It is the document the API serves (``web.api_types.served_document``), restricted to the
operations tagged ``MERCHANT_TAGS`` and the schemas they reach, with each ``operationId``
shortened to its route function's name (FastAPI's ``link_member_merchants__token__members_post``
becomes ``link_member``), so the generated client's functions read as the routes do, and the bulk
upload's body given as the file's bytes (``RAW_FILE_BODIES``).

``sdk/openapi.json`` is committed with its SHA-256 beside it; scripts/generate_sdk.sh writes
both and regenerates the client, and tests/unit/test_sdk_fresh.py fails while they differ from
what the routes give now. Write them: ``python -m tongdui.api.merchant_openapi``.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import json
import re
import sys
from pathlib import Path
from typing import Any

MERCHANT_TAGS = frozenset(
    {
        "merchants",
        "merchant API",
        "merchant API: members and bulk",
        "merchant webhooks",
        "operators and operation log",
        "merchant risk",
        "merchant vouchers",
    }
)
TITLE = "Tongdui merchant API"
SDK = Path(__file__).resolve().parents[2] / "sdk"
TARGET = SDK / "openapi.json"
METHODS = ("get", "put", "post", "delete", "patch")
REF_PREFIX = "#/components/schemas/"
# The served document gives the upload's body as CSV text or a JSON list of rows. The generator
# (openapi-python-client 0.29) writes ``isinstance(body, list[Row])`` for such a union, a
# TypeError on every call, so the SDK sends the file as bytes: CSV or JSON, as the operation's
# ``format`` query parameter says (the route reads the raw body whatever its content type).
RAW_FILE_BODIES = {("post", "/merchants/{token}/bulk-issues")}
RAW_FILE = {
    "required": True,
    "description": "the file's bytes: CSV or JSON, as the format parameter says",
    "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
}


def route_name(operation_id: str, path: str, method: str) -> str:
    """The route function's name inside FastAPI's default id (name + path + method)."""
    suffix = re.sub(r"\W", "_", path) + "_" + method
    if not operation_id.endswith(suffix):
        raise ValueError(f"{operation_id!r} is not FastAPI's default id for {method} {path}")
    return operation_id[: -len(suffix)]


def schema_refs(node: Any) -> set[str]:
    """Names of the component schemas ``node`` refers to directly."""
    found: set[str] = set()
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(REF_PREFIX):
            found.add(ref[len(REF_PREFIX) :])
        for value in node.values():
            found |= schema_refs(value)
    elif isinstance(node, list):
        for value in node:
            found |= schema_refs(value)
    return found


def merchant_document(served: dict[str, Any]) -> dict[str, Any]:
    """``served`` restricted to the merchant API (see the module's docstring)."""
    paths: dict[str, dict[str, Any]] = {}
    names: dict[str, str] = {}
    for path, item in served["paths"].items():
        for method, operation in item.items():
            if method not in METHODS or not MERCHANT_TAGS & set(operation.get("tags", [])):
                continue
            kept = copy.deepcopy(operation)
            name = route_name(kept["operationId"], path, method)
            if name in names:
                raise ValueError(f"two merchant routes are named {name}: {names[name]} and {path}")
            names[name] = path
            kept["operationId"] = name
            if (method, path) in RAW_FILE_BODIES:
                kept["requestBody"] = copy.deepcopy(RAW_FILE)
            paths.setdefault(path, {})[method] = kept
    schemas: dict[str, Any] = served["components"]["schemas"]
    reached: set[str] = set()
    todo = schema_refs(paths)
    while todo:
        name = todo.pop()
        if name not in reached:
            reached.add(name)
            todo |= schema_refs(schemas[name]) - reached
    components = {k: copy.deepcopy(v) for k, v in served["components"].items() if k != "schemas"}
    components["schemas"] = {name: copy.deepcopy(schemas[name]) for name in sorted(reached)}
    return {
        "openapi": served["openapi"],
        "info": {**served["info"], "title": TITLE},
        "paths": paths,
        "components": components,
    }


def render(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def sha256_line(text: str, name: str = TARGET.name) -> str:
    """As ``sha256sum openapi.json`` prints it, so ``sha256sum -c`` checks the file."""
    return f"{hashlib.sha256(text.encode()).hexdigest()}  {name}\n"


def current() -> str:
    """The merchant document the routes give now, as ``sdk/openapi.json`` holds it."""
    from ..web.api_types import served_document

    return render(merchant_document(served_document()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=TARGET)
    args = parser.parse_args(argv)
    text = current()
    args.out.write_text(text, encoding="utf-8")
    args.out.with_name(args.out.name + ".sha256").write_text(
        sha256_line(text, args.out.name), encoding="utf-8"
    )
    print(f"wrote {args.out} and its .sha256", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
