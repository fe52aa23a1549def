"""The EIP-712 types are defined once in Solidity (libraries/Typehashes.sol) and once in
Python (tongdui.chain.eip712): for each of the five signed types (SwapOrder, CancelNonces,
IncrementCounter, Redemption, TransferWithAuthorization) both sides, and eth_account's generic
typed-data encoder, give the same digest.

The exchange exposes `orderDigest` for SwapOrder; for the others no contract has a digest
getter, so the proof is behavioural: a signature over the Python digest is accepted, and for a
tampered request the contract recovers exactly the signer Python recovers from its own digest.
"""

from __future__ import annotations

import re
from dataclasses import fields, replace
from pathlib import Path
from typing import Any

import pytest
from brownie import chain
from eth_abi import encode
from eth_account import Account
from eth_account.messages import SignableMessage, encode_typed_data
from eth_utils import keccak, to_checksum_address
from hexbytes import HexBytes

from tests.helpers import reverts_with, sign_typed, token_domain
from tongdui.chain.eip712 import (
    CANCEL_AUTHORIZATION_TYPEHASH,
    CANCEL_NONCES_FIELDS,
    DOMAIN_FIELDS,
    INCREMENT_COUNTER_FIELDS,
    REDEMPTION_FIELDS,
    REDEMPTION_TYPEHASH,
    SIGNED_TYPES,
    TRANSFER_WITH_AUTHORIZATION_FIELDS,
    TRANSFER_WITH_AUTHORIZATION_TYPEHASH,
    CancelNonces,
    Domain,
    IncrementCounter,
    SwapOrder,
    digest,
    gift_struct_hash,
    order_digest,
    recover_signer,
    sign_digest,
    sign_order,
    swap_order_typed_data,
    type_string,
    typed_data,
)
from tongdui.chain.htlc_eip712 import LOCK_FIELDS

LIBRARIES = Path(__file__).resolve().parents[2] / "contracts" / "libraries"
TYPEHASHES = LIBRARIES / "Typehashes.sol"
# Typehashes.sol's constant of each type Python defines
SOLIDITY_CONSTANTS = {
    "SwapOrder": "SWAP_ORDER",
    "CancelNonces": "CANCEL_NONCES",
    "IncrementCounter": "INCREMENT_COUNTER",
    "Redemption": "REDEMPTION",
    "TransferWithAuthorization": "TRANSFER_WITH_AUTHORIZATION",
    "CancelAuthorization": "CANCEL_AUTHORIZATION",
}
# the HTLC's Lock, under the HTLC's own domain (tongdui.chain.htlc_eip712)
HTLC_TYPES = {"Lock": ("LOCK", LOCK_FIELDS)}
MAX = 2**256 - 1
ALL_ONES_ADDRESS = to_checksum_address("0x" + "ff" * 20)
ZERO_ADDRESS = "0x" + "00" * 20


def _generic_digest(message: SignableMessage) -> bytes:
    """keccak256(0x19 ‖ version ‖ domain separator ‖ struct hash), from eth_account's parts."""
    return keccak(b"\x19" + message.version + message.header + message.body)


def _cancel_typed_data(domain: Domain, request: CancelNonces) -> dict[str, Any]:
    return {
        "types": {"EIP712Domain": DOMAIN_FIELDS, "CancelNonces": CANCEL_NONCES_FIELDS},
        "primaryType": "CancelNonces",
        "domain": domain.as_json(),
        "message": {
            "owner": request.owner,
            "word": request.word,
            "mask": request.mask,
            "deadline": request.deadline,
        },
    }


def _solidity_type_string(constant: str) -> str:
    """The type string a typehash constant of Typehashes.sol hashes (its string literals)."""
    source = TYPEHASHES.read_text()
    body = re.search(rf"\b{constant}\s*=\s*keccak256\((.*?)\);", source, re.S)
    assert body is not None, f"{constant} not found in {TYPEHASHES}"
    return "".join(re.findall(r'"([^"]*)"', body.group(1)))


@pytest.mark.parametrize("name", sorted(SOLIDITY_CONSTANTS))
def test_the_python_type_is_the_type_string_solidity_hashes(name: str) -> None:
    assert _solidity_type_string(SOLIDITY_CONSTANTS[name]) == type_string(name, SIGNED_TYPES[name])


def test_the_htlc_lock_type_is_the_type_string_solidity_hashes() -> None:
    constant, fields = HTLC_TYPES["Lock"]
    assert _solidity_type_string(constant) == type_string("Lock", fields)


def test_every_typehash_the_contracts_define_is_in_the_one_solidity_library() -> None:
    """No contract or other library writes a type string of its own (issue 14)."""
    contracts = LIBRARIES.parent
    inline = [
        path.name
        for path in [*contracts.glob("*.sol"), *LIBRARIES.glob("*.sol")]
        if path != TYPEHASHES and re.search(r"keccak256\(\s*\"[A-Za-z]+\(", path.read_text())
    ]
    assert inline == []
    assert sorted(SOLIDITY_CONSTANTS) == sorted(SIGNED_TYPES)


def test_the_tokens_typehash_getters_are_the_python_typehashes(tokens: dict[str, Any]) -> None:
    skym = tokens["SKYM"]
    assert HexBytes(skym.REDEMPTION_TYPEHASH()) == HexBytes(REDEMPTION_TYPEHASH)
    assert HexBytes(skym.TRANSFER_WITH_AUTHORIZATION_TYPEHASH()) == HexBytes(
        TRANSFER_WITH_AUTHORIZATION_TYPEHASH
    )
    assert HexBytes(skym.CANCEL_AUTHORIZATION_TYPEHASH()) == HexBytes(CANCEL_AUTHORIZATION_TYPEHASH)


def test_the_exchange_domain_is_the_python_domain(platform: Any, domain: Domain) -> None:
    _, name, version, chain_id, verifying_contract, salt, extensions = (
        platform.exchange.eip712Domain()
    )

    assert (name, version, chain_id, verifying_contract) == (
        domain.name,
        domain.version,
        chain.id,
        domain.verifying_contract,
    )
    assert (HexBytes(salt), list(extensions)) == (HexBytes(b"\x00" * 32), [])


# ─── SwapOrder ──────────────────────────────────────────────────────────────────────────────


def _orders(tokens: dict[str, Any], users: list[Any]) -> dict[str, SwapOrder]:
    return {
        "typical": SwapOrder(
            users[0].address,
            tokens["SKYM"].address,
            tokens["BEAN"].address,
            5_000,
            498,
            7,
            1_900_000_000,
        ),
        "counter_and_high_nonce": SwapOrder(
            users[1].address,
            tokens["BEAN"].address,
            tokens["FRESH"].address,
            1,
            0,
            2**255 + 3,
            1,
            counter=41,
        ),
        "all_zero": SwapOrder(ZERO_ADDRESS, ZERO_ADDRESS, ZERO_ADDRESS, 0, 0, 0, 0, 0),
        "all_max": SwapOrder(
            ALL_ONES_ADDRESS, ALL_ONES_ADDRESS, ALL_ONES_ADDRESS, MAX, MAX, MAX, MAX, MAX
        ),
    }


@pytest.mark.parametrize("case", ["typical", "counter_and_high_nonce", "all_zero", "all_max"])
def test_swap_order_digest_is_the_same_in_solidity_python_and_eth_account(
    case: str, platform: Any, tokens: dict[str, Any], users: list[Any], domain: Domain
) -> None:
    order = _orders(tokens, users)[case]

    on_chain = HexBytes(platform.exchange.orderDigest(order.as_tuple()))
    by_hand = order_digest(domain, order)
    generic = _generic_digest(encode_typed_data(full_message=swap_order_typed_data(domain, order)))

    assert on_chain == HexBytes(by_hand) == HexBytes(generic)


@pytest.mark.parametrize("field", [f.name for f in fields(SwapOrder)])
def test_changing_any_swap_order_field_changes_both_digests_alike(
    field: str, platform: Any, tokens: dict[str, Any], users: list[Any], domain: Domain
) -> None:
    order = _orders(tokens, users)["typical"]
    value = getattr(order, field)
    changed = replace(order, **{field: users[2].address if isinstance(value, str) else value + 1})

    on_chain = HexBytes(platform.exchange.orderDigest(changed.as_tuple()))

    assert on_chain == HexBytes(order_digest(domain, changed))
    assert on_chain != HexBytes(order_digest(domain, order))


def test_a_wallet_signature_of_the_typed_data_settles(
    platform: Any, users: list[Any], make_order: Any, domain: Domain, relayer: Any
) -> None:
    owner = users[0]
    order = make_order(owner, "SKYM", "BEAN", 5_000)
    typed = encode_typed_data(full_message=swap_order_typed_data(domain, order))
    wallet_signature = bytes(Account.sign_message(typed, owner.private_key).signature)

    assert wallet_signature == sign_order(owner.private_key, domain, order)
    tx = platform.exchange.settle([order.as_tuple()], [wallet_signature], {"from": relayer})
    assert tx.return_value == 1
    assert HexBytes(tx.events["Swapped"]["orderHash"]) == HexBytes(order_digest(domain, order))


def test_a_signature_for_another_domain_is_rejected(
    platform: Any, users: list[Any], make_order: Any, domain: Domain, relayer: Any
) -> None:
    owner = users[0]
    order = make_order(owner, "SKYM", "BEAN", 5_000)
    elsewhere = Domain(chain_id=domain.chain_id + 1, verifying_contract=domain.verifying_contract)
    signature = sign_order(owner.private_key, elsewhere, order)

    tx = platform.exchange.settle([order.as_tuple()], [signature], {"from": relayer})

    assert tx.return_value == 0
    assert "OrderRejected" in tx.events


# ─── CancelNonces ───────────────────────────────────────────────────────────────────────────


def _cancel_request(owner: Any) -> CancelNonces:
    return CancelNonces(owner.address, 1, (1 << 3) | (1 << 200), chain.time() + 600)


def test_cancel_nonces_digest_is_the_same_in_python_and_eth_account(
    users: list[Any], domain: Domain
) -> None:
    for request in (
        _cancel_request(users[0]),
        CancelNonces(ZERO_ADDRESS, 0, 0, 0),
        CancelNonces(ALL_ONES_ADDRESS, MAX, MAX, MAX),
    ):
        typed = encode_typed_data(full_message=_cancel_typed_data(domain, request))
        assert digest(domain, request.struct_hash()) == _generic_digest(typed)


@pytest.mark.parametrize("signer", ["python_digest", "eth_account_typed_data"])
def test_cancel_nonces_with_sig_accepts_a_signature_over_the_python_digest(
    signer: str, platform: Any, users: list[Any], domain: Domain, relayer: Any
) -> None:
    owner = users[0]
    request = _cancel_request(owner)
    if signer == "python_digest":
        signature = sign_digest(owner.private_key, digest(domain, request.struct_hash()))
    else:
        typed = encode_typed_data(full_message=_cancel_typed_data(domain, request))
        signature = bytes(Account.sign_message(typed, owner.private_key).signature)

    platform.exchange.cancelNoncesWithSig(request.as_tuple(), signature, {"from": relayer})

    assert platform.exchange.nonceBitmap(owner, 1) == request.mask


@pytest.mark.parametrize("field", ["owner", "word", "mask", "deadline"])
def test_cancel_nonces_with_sig_recovers_what_python_recovers_for_a_tampered_request(
    field: str, platform: Any, users: list[Any], domain: Domain, relayer: Any
) -> None:
    owner = users[0]
    signed = _cancel_request(owner)
    signature = sign_digest(owner.private_key, digest(domain, signed.struct_hash()))
    value = getattr(signed, field)
    tampered = replace(signed, **{field: users[1].address if field == "owner" else value + 1})
    # Python's recovery from its own digest of the tampered request: the contract recovers
    # this same address only if it hashes the request exactly as Python does.
    recovered = recover_signer(digest(domain, tampered.struct_hash()), signature)
    assert recovered not in (owner.address, users[1].address)

    with reverts_with("ExchangeInvalidSigner", recovered, tampered.owner):
        platform.exchange.cancelNoncesWithSig(tampered.as_tuple(), signature, {"from": relayer})


# ─── IncrementCounter (signed cancel-all) ───────────────────────────────────────────────────


def _increment_typed_data(domain: Domain, request: IncrementCounter) -> dict[str, Any]:
    return {
        "types": {"EIP712Domain": DOMAIN_FIELDS, "IncrementCounter": INCREMENT_COUNTER_FIELDS},
        "primaryType": "IncrementCounter",
        "domain": domain.as_json(),
        "message": {
            "owner": request.owner,
            "counter": request.counter,
            "deadline": request.deadline,
        },
    }


def test_increment_counter_digest_is_the_same_in_python_and_eth_account(
    users: list[Any], domain: Domain
) -> None:
    for request in (
        IncrementCounter(users[0].address, 0, chain.time() + 600),
        IncrementCounter(ZERO_ADDRESS, 0, 0),
        IncrementCounter(ALL_ONES_ADDRESS, MAX, MAX),
    ):
        typed = encode_typed_data(full_message=_increment_typed_data(domain, request))
        assert digest(domain, request.struct_hash()) == _generic_digest(typed)


def test_increment_counter_with_sig_accepts_a_wallet_signature_of_the_typed_data(
    platform: Any, users: list[Any], domain: Domain, relayer: Any
) -> None:
    owner = users[0]
    request = IncrementCounter(owner.address, 0, chain.time() + 600)
    typed = encode_typed_data(full_message=_increment_typed_data(domain, request))
    signature = bytes(Account.sign_message(typed, owner.private_key).signature)

    platform.exchange.incrementCounterWithSig(request.as_tuple(), signature, {"from": relayer})

    assert platform.exchange.userState(owner)["counter"] == 1


@pytest.mark.parametrize("field", ["owner", "counter", "deadline"])
def test_increment_counter_with_sig_recovers_what_python_recovers_for_a_tampered_request(
    field: str, platform: Any, users: list[Any], domain: Domain, relayer: Any
) -> None:
    owner = users[0]
    signed = IncrementCounter(owner.address, 0, chain.time() + 600)
    signature = sign_digest(owner.private_key, digest(domain, signed.struct_hash()))
    if field == "counter":  # a request for counter 1 needs the counter at 1 to get that far
        platform.exchange.incrementCounter({"from": owner})
    value = getattr(signed, field)
    tampered = replace(signed, **{field: users[1].address if field == "owner" else value + 1})
    recovered = recover_signer(digest(domain, tampered.struct_hash()), signature)
    assert recovered not in (owner.address, users[1].address)

    with reverts_with("ExchangeInvalidSigner", recovered, tampered.owner):
        platform.exchange.incrementCounterWithSig(tampered.as_tuple(), signature, {"from": relayer})


# ─── Redemption (PointsToken) ───────────────────────────────────────────────────────────────


def test_a_consent_signed_over_the_python_redemption_type_redeems_after_a_permit(
    tokens: dict[str, Any], admins: dict[str, Any], users: list[Any]
) -> None:
    """The consent carries the holder's consent nonce: a permit signed and submitted between
    the consent and its use (which takes the permit nonce) leaves the consent valid."""
    skym, holder = tokens["SKYM"], users[0]
    deadline = chain.time() + 600
    message = {
        "holder": holder.address,
        "amount": 25,
        "nonce": skym.consentNonce(holder),
        "deadline": deadline,
    }
    consent = sign_typed(
        holder.private_key, token_domain(skym), "Redemption", REDEMPTION_FIELDS, message
    )
    permit_fields = [
        {"name": "owner", "type": "address"},
        {"name": "spender", "type": "address"},
        {"name": "value", "type": "uint256"},
        {"name": "nonce", "type": "uint256"},
        {"name": "deadline", "type": "uint256"},
    ]
    permit = {
        "owner": holder.address,
        "spender": users[1].address,
        "value": 1,
        "nonce": skym.nonces(holder),
        "deadline": deadline,
    }
    signature = sign_typed(holder.private_key, token_domain(skym), "Permit", permit_fields, permit)
    skym.permit(
        holder, users[1], 1, deadline, signature[64], signature[:32], signature[32:64],
        {"from": admins["BEAN"]},
    )  # fmt: skip

    skym.redeemWithConsent(holder, 25, deadline, consent, {"from": admins["SKYM"]})

    assert skym.balanceOf(holder) == 49_975
    assert skym.consentNonce(holder) == 1


def test_redemption_digest_is_the_same_in_python_and_eth_account(tokens: dict[str, Any]) -> None:
    skym = tokens["SKYM"]
    domain = Domain(chain.id, skym.address, name=skym.name(), version="1")
    for values in (
        (ALL_ONES_ADDRESS, MAX, MAX, MAX),
        (ZERO_ADDRESS, 0, 0, 0),
        (skym.address, 25, 3, 1_900_000_000),
    ):
        message = dict(zip(("holder", "amount", "nonce", "deadline"), values, strict=True))
        by_hand = digest(
            domain,
            keccak(
                encode(["bytes32", "address"] + ["uint256"] * 3, [REDEMPTION_TYPEHASH, *values])
            ),
        )
        typed = typed_data(domain, "Redemption", REDEMPTION_FIELDS, message)
        assert by_hand == _generic_digest(encode_typed_data(full_message=typed))


# ─── TransferWithAuthorization (EIP-3009 gift, PointsToken) ─────────────────────────────────


def _gift(tokens: dict[str, Any], users: list[Any]) -> tuple[Domain, dict[str, Any]]:
    skym = tokens["SKYM"]
    domain = Domain(chain.id, skym.address, name=skym.name(), version="1")
    message = {
        "from": users[0].address,
        "to": users[1].address,
        "value": 40,
        "validAfter": 0,
        "validBefore": chain.time() + 600,
        "nonce": b"\x07" * 32,
    }
    return domain, message


def _gift_digest(domain: Domain, message: dict[str, Any]) -> bytes:
    return digest(domain, gift_struct_hash(*message.values()))


def test_transfer_with_authorization_digest_is_the_same_in_python_and_eth_account(
    tokens: dict[str, Any], users: list[Any]
) -> None:
    domain, gift = _gift(tokens, users)
    for message in (
        gift,
        dict.fromkeys(gift, 0) | {"from": ZERO_ADDRESS, "to": ZERO_ADDRESS, "nonce": b"\0" * 32},
        dict.fromkeys(gift, MAX)
        | {"from": ALL_ONES_ADDRESS, "to": ALL_ONES_ADDRESS, "nonce": b"\xff" * 32},
    ):
        typed = typed_data(
            domain, "TransferWithAuthorization", TRANSFER_WITH_AUTHORIZATION_FIELDS, message
        )
        assert _gift_digest(domain, message) == _generic_digest(
            encode_typed_data(full_message=typed)
        )


def test_a_gift_signed_over_the_python_digest_moves_the_points(
    tokens: dict[str, Any], users: list[Any], relayer: Any
) -> None:
    skym = tokens["SKYM"]
    domain, gift = _gift(tokens, users)
    signature = sign_digest(users[0].private_key, _gift_digest(domain, gift))
    before = skym.balanceOf(users[1])

    skym.transferWithAuthorization(*gift.values(), signature, {"from": relayer})

    assert skym.balanceOf(users[1]) == before + 40


@pytest.mark.parametrize("field", ["to", "value", "validBefore", "nonce"])
def test_transfer_with_authorization_recovers_what_python_recovers_for_a_tampered_gift(
    field: str, tokens: dict[str, Any], users: list[Any], relayer: Any
) -> None:
    domain, signed = _gift(tokens, users)
    signature = sign_digest(users[0].private_key, _gift_digest(domain, signed))
    value = signed[field]
    changed = users[2].address if field == "to" else b"\x08" * 32 if field == "nonce" else value + 1
    tampered = signed | {field: changed}
    recovered = recover_signer(_gift_digest(domain, tampered), signature)
    assert recovered != users[0].address

    with reverts_with("PointsTokenInvalidSigner", recovered, users[0].address):
        tokens["SKYM"].transferWithAuthorization(*tampered.values(), signature, {"from": relayer})
