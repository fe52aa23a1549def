"""The pages sign exactly the types the API serves: ``eip712.js`` builds every typed-data
document from ``GET /orders/domain`` and writes no field list of its own, so a type changed in
``tongdui.chain.eip712`` reaches the wallet with no page edit (issue 14: one home per type)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tongdui.chain.eip712 import DOMAIN_FIELDS, SIGNED_TYPES
from tongdui.services import Services

from .relayer_helpers import api

EIP712_JS = Path(__file__).resolve().parents[2] / "backend" / "web" / "static" / "eip712.js"

SCRIPT = """
const page = await import(%(module)s);
const info = JSON.parse(%(info)s);
const owner = "0x" + "ab".repeat(20);
const token = { name: "Sky Miles", token: "0x" + "cd".repeat(20) };
const nonce = "0x" + "00".repeat(32);
const transfer = { from: owner, to: owner, value: 5, validAfter: 0, validBefore: 9, nonce };
const order = { owner, fromToken: owner, toToken: owner, amountIn: 1, nonce: 1, deadline: 9 };
const documents = [
  page.swapOrderTypedData(info, order),
  page.cancelTypedData(info, owner, 7, 9),
  page.cancelAllTypedData(info, owner, 0, 9),
  page.giftTypedData(info, token, transfer),
];
console.log(JSON.stringify(documents.map((d) => ({ primaryType: d.primaryType, types: d.types }))));
"""


def page_documents(info: dict[str, Any]) -> list[dict[str, Any]]:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is missing: scripts/setup.sh installs it with the contracts' tools")
    script = SCRIPT % {
        "module": json.dumps(EIP712_JS.as_uri()),
        "info": json.dumps(json.dumps(info)),
    }
    done = subprocess.run(
        [node, "--input-type=module", "-e", script],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return list(json.loads(done.stdout))


def test_every_document_the_page_signs_carries_the_backends_types(services: Services) -> None:
    info = api(services).get("/orders/domain").json()

    documents = page_documents(info)

    assert [d["primaryType"] for d in documents] == [
        "SwapOrder",
        "CancelNonces",
        "IncrementCounter",
        "TransferWithAuthorization",
    ]
    for document in documents:
        primary = document["primaryType"]
        assert document["types"] == {"EIP712Domain": DOMAIN_FIELDS, primary: SIGNED_TYPES[primary]}


def test_the_page_takes_a_type_from_the_api_even_when_it_changes(services: Services) -> None:
    """No fallback list in the page: what the API says is what the wallet is asked to sign."""
    info = api(services).get("/orders/domain").json()
    extra = {"name": "memo", "type": "string"}
    info["cancelTypes"]["CancelNonces"].append(extra)
    info["giftTypes"]["TransferWithAuthorization"].append(extra)

    documents = {d["primaryType"]: d["types"] for d in page_documents(info)}

    assert documents["CancelNonces"]["CancelNonces"][-1] == extra
    assert documents["TransferWithAuthorization"]["TransferWithAuthorization"][-1] == extra


def test_the_page_writes_no_field_list_of_its_own() -> None:
    source = EIP712_JS.read_text()
    assert 'type: "' not in source and "EIP712Domain:" not in source
