"""What real wallets emit is taken: orders, gifts, cancellations and redemption consents signed
with MetaMask's own ``@metamask/eth-sig-util`` (signTypedData V4) and with ethers v6, from
exactly what the API hands out, are accepted, their digests equal the contract's, and they
execute on chain.

ethers' ``signTypedData(domain, types, value)`` refuses ``EIP712Domain`` in ``types`` and more
than one primary type ("ambiguous primary types"), and MetaMask's V4 hashes the domain from
``types.EIP712Domain`` (missing, it hashes ``EIP712Domain()``): so the API hands out each
primary type alone, and ``domainTypes`` for V4 documents. Numbers travel as strings (hex
strings too: ethers signs ``"0x3e8"`` as 1000).
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterator
from typing import Any

import pytest
from eth_abi import encode
from eth_utils import keccak

from tests.chains import TestChain
from tongdui.chain.eip712 import Domain
from tongdui.services import Services

from .api_support import LiveApi, live_api, make_keys
from .relayer_helpers import address, drain, make_relayer
from .wallet_libraries import WalletLibraries

LIBRARIES = ["metamask", "ethers"]
REDEMPTION_TYPEHASH = keccak(
    text="Redemption(address holder,uint256 amount,uint256 nonce,uint256 deadline)"
)
CANCEL_TYPEHASH = keccak(
    text="CancelNonces(address owner,uint256 word,uint256 mask,uint256 deadline)"
)
GIFT_TYPEHASH = keccak(
    text="TransferWithAuthorization(address from,address to,uint256 value,uint256 validAfter,"
    "uint256 validBefore,bytes32 nonce)"
)


@pytest.fixture(scope="module")
def wallets() -> Iterator[WalletLibraries]:
    libraries = WalletLibraries()
    yield libraries
    libraries.close()


@pytest.fixture
def api(services: Services, clean_chain: TestChain) -> Iterator[LiveApi]:
    with live_api(services) as live:
        live.keys = make_keys(services, clean_chain.tokens)
        yield live


def signed(
    wallets: WalletLibraries,
    library: str,
    key: str,
    domain: dict[str, Any],
    types: dict[str, Any],
    message: dict[str, Any],
    domain_types: dict[str, Any],
) -> dict[str, str]:
    """Signs as the page would hand it to each library: a V4 document for MetaMask (the
    handed-out types plus ``domainTypes``), the handed-out ``types`` as they are for ethers."""
    assert len(types) == 1 and "EIP712Domain" not in types  # one primary type, no domain type
    if library == "metamask":
        (primary,) = types
        document = {
            "types": {**domain_types, **types},
            "primaryType": primary,
            "domain": domain,
            "message": message,
        }
        return wallets.sign(library, key, document)
    return wallets.sign(library, key, {"domain": domain, "types": types, "message": message})


def token_digest(chain: TestChain, token: str, struct: bytes) -> bytes:
    """The digest as the token contract computes it (its own DOMAIN_SEPARATOR)."""
    separator = chain.platform.points_token(token).functions.DOMAIN_SEPARATOR().call()
    return keccak(b"\x19\x01" + separator + struct)


def every_uint_is_a_string(document: dict[str, Any]) -> bool:
    numbers = [v for part in ("domain", "message") for v in document[part].values()]
    return not any(isinstance(v, int) for v in numbers)


@pytest.mark.parametrize("library", LIBRARIES)
def test_orders_signed_by_wallet_libraries_are_taken_and_settle(
    api: LiveApi, clean_chain: TestChain, services: Services, wallets: WalletLibraries, library: str
) -> None:
    info = api.client.get("/orders/domain").json()
    assert list(info["types"]) == ["SwapOrder"] and list(info["cancelTypes"]) == ["CancelNonces"]
    assert every_uint_is_a_string(info | {"message": {}})
    key = clean_chain.user_keys[0]
    message = {
        "owner": address(key),
        "fromToken": clean_chain.tokens["SKYM"],
        "toToken": clean_chain.tokens["BEAN"],
        "amountIn": "0x3e8" if library == "ethers" else "1000",  # hex, as libraries take it
        "minAmountOut": "1",
        "nonce": str(2**60 + secrets.randbelow(2**60)),  # far beyond 2^53
        "deadline": str(int(time.time()) + 600),
        "counter": "0",
    }
    wallet = signed(
        wallets, library, key, info["domain"], info["types"], message, info["domainTypes"]
    )
    posted = api.client.post("/orders", json={**message, "signature": wallet["signature"]})
    assert posted.status_code == 202, posted.text
    order_hash = posted.json()["orderHash"]
    order = (
        message["owner"],
        message["fromToken"],
        message["toToken"],
        1000,
        1,
        int(message["nonce"]),
        int(message["deadline"]),
        0,
    )
    contract = "0x" + clean_chain.platform.exchange.functions.orderDigest(order).call().hex()
    assert order_hash == wallet["digest"] == contract
    drain(make_relayer(services))
    assert api.client.get(f"/orders/{order_hash}").json()["state"] == "settled"


@pytest.mark.parametrize("library", LIBRARIES)
def test_gifts_signed_by_wallet_libraries_are_taken_and_done(
    api: LiveApi, clean_chain: TestChain, services: Services, wallets: WalletLibraries, library: str
) -> None:
    info = api.client.get("/orders/domain").json()
    token, key = clean_chain.tokens["SKYM"], clean_chain.user_keys[0]
    domain = api.client.get("/gifts/domain", params={"token": token}).json()
    assert every_uint_is_a_string({"domain": domain, "message": {}})
    friend = address(clean_chain.user_keys[1])
    message = {
        "from": address(key),
        "to": friend,
        "value": "25",
        "validAfter": "0",
        "validBefore": str(int(time.time()) + 600),
        "nonce": "0x" + secrets.token_bytes(32).hex(),
    }
    wallet = signed(wallets, library, key, domain, info["giftTypes"], message, info["domainTypes"])
    posted = api.client.post(
        "/gifts", json={"token": token, **message, "signature": wallet["signature"]}
    )
    assert posted.status_code == 202, posted.text
    struct = keccak(
        encode(
            ["bytes32", "address", "address", "uint256", "uint256", "uint256", "bytes32"],
            [
                GIFT_TYPEHASH,
                message["from"],
                friend,
                25,
                0,
                int(message["validBefore"]),
                bytes.fromhex(message["nonce"][2:]),
            ],
        )
    )
    contract = "0x" + token_digest(clean_chain, token, struct).hex()
    assert posted.json()["requestHash"] == wallet["digest"] == contract
    drain(make_relayer(services))
    assert api.client.get(f"/gifts/{wallet['digest']}").json()["state"] == "done"


@pytest.mark.parametrize("library", LIBRARIES)
def test_cancellations_signed_by_wallet_libraries_are_taken_and_done(
    api: LiveApi, clean_chain: TestChain, services: Services, wallets: WalletLibraries, library: str
) -> None:
    info = api.client.get("/orders/domain").json()
    key = clean_chain.user_keys[0]
    word = 2**50 + secrets.randbelow(2**40)
    message = {
        "owner": address(key),
        "word": str(word),
        "mask": str(1 << 200),  # a uint far beyond 2^53
        "deadline": str(int(time.time()) + 600),
    }
    wallet = signed(
        wallets, library, key, info["domain"], info["cancelTypes"], message, info["domainTypes"]
    )
    posted = api.client.post("/cancellations", json={**message, "signature": wallet["signature"]})
    assert posted.status_code == 202, posted.text
    _, name, version, chain_id, contract_address, _, _ = (
        clean_chain.platform.exchange.functions.eip712Domain().call()
    )
    separator = Domain(chain_id, contract_address, name=name, version=version).separator()
    struct = keccak(
        encode(
            ["bytes32", "address", "uint256", "uint256", "uint256"],
            [
                keccak(
                    text="CancelNonces(address owner,uint256 word,uint256 mask,uint256 deadline)"
                ),
                message["owner"],
                word,
                1 << 200,
                int(message["deadline"]),
            ],
        )
    )
    contract = "0x" + keccak(b"\x19\x01" + separator + struct).hex()
    assert posted.json()["requestHash"] == wallet["digest"] == contract
    drain(make_relayer(services))
    assert api.client.get(f"/cancellations/{wallet['digest']}").json()["state"] == "done"
    used = clean_chain.platform.exchange.functions.isNonceUsed(address(key), word * 256 + 200)
    assert used.call()


@pytest.mark.parametrize("library", LIBRARIES)
def test_redemption_consents_signed_by_wallet_libraries_are_taken(
    api: LiveApi, clean_chain: TestChain, wallets: WalletLibraries, library: str
) -> None:
    token, key = clean_chain.tokens["SKYM"], clean_chain.user_keys[0]
    holder = address(key)
    deadline = clean_chain.w3.eth.get_block("latest")["timestamp"] + 3600
    answer = api.client.get(
        f"/merchants/{token}/redemption-request",
        params={"holder": holder, "amount": 700, "deadline": deadline},
        headers=api.auth("SKYM:redeem"),
    )
    assert answer.status_code == 200, answer.text
    handed = answer.json()
    assert every_uint_is_a_string(handed["typedData"]) and every_uint_is_a_string(handed)
    if library == "metamask":
        wallet = wallets.sign(library, key, handed["typedData"])  # the V4 document as it is
    else:
        wallet = signed(
            wallets, library, key, handed["domain"], handed["types"], handed["message"], {}
        )
    struct = keccak(
        encode(
            ["bytes32", "address", "uint256", "uint256", "uint256"],
            [REDEMPTION_TYPEHASH, holder, 700, int(handed["nonce"]), deadline],
        )
    )
    assert wallet["digest"] == "0x" + token_digest(clean_chain, token, struct).hex()
    points = clean_chain.platform.points_token(token).functions
    before = points.balanceOf(holder).call()
    redeemed = api.client.post(
        f"/merchants/{token}/redeem",
        json={
            "holder": holder,
            "amount": 700,
            "deadline": deadline,
            "signature": wallet["signature"],
        },
        headers=api.auth("SKYM:redeem"),
    )
    assert redeemed.status_code == 200 and redeemed.json()["status"] == "mined", redeemed.text
    assert points.balanceOf(holder).call() == before - 700
