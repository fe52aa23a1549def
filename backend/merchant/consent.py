"""The holder's consent to a redemption: EIP-712 ``Redemption`` under the points token's domain.

``PointsToken.redeemWithConsent`` checks a ``Redemption`` (its fields:
``tongdui.chain.eip712.REDEMPTION_FIELDS``) signed by the holder, in the domain (name = the
token's name, version "1", chain id, the token). The nonce is the holder's consent nonce
(``consentNonce``), kept apart from the ERC-2612 permit nonce so that a permit submitted first
cannot void a pending consent; each consent is used once. The merchant API hands this
document to the holder's wallet and relays the signature.
"""

from __future__ import annotations

from typing import Any

from eth_account import Account
from eth_account.messages import encode_typed_data

from ..chain.client import Platform
from ..chain.eip712 import REDEMPTION_FIELDS, Domain, typed_data


def redemption_typed_data(
    platform: Platform, token: str, holder: str, amount: int, deadline: int
) -> dict[str, Any]:
    """The document the holder signs (``eth_signTypedData_v4``), with the current nonce; every
    uint a decimal string (``amount`` may pass 2^53, which JavaScript would round)."""
    contract = platform.points_token(token)
    domain = Domain(
        platform.deployment.chain_id,
        contract.address,
        name=contract.functions.name().call(),
        version="1",
    )
    values = {
        "holder": holder,
        "amount": amount,
        "nonce": contract.functions.consentNonce(holder).call(),
        "deadline": deadline,
    }
    return typed_data(domain, "Redemption", REDEMPTION_FIELDS, values)


def sign_typed_data(private_key: str, typed_data: dict[str, Any]) -> str:
    """A wallet's signature of ``typed_data`` (0x…, 65 bytes): for tests and the demo."""
    signed = Account.sign_message(encode_typed_data(full_message=typed_data), private_key)
    return "0x" + bytes(signed.signature).hex()
