"""The EIP-712 digests the relayer checks orders with are the standard's: the same hash
eth_account's typed-data encoder makes of the document a wallet is handed, and a signature of
it recovers its signer. (The contract's own orderDigest is tests/contracts/test_eip712.py.)"""

from __future__ import annotations

from eth_account import Account
from eth_account.messages import encode_typed_data
from eth_utils import keccak
from hypothesis import given
from hypothesis import strategies as st

from tongdui.chain.eip712 import (
    Domain,
    SwapOrder,
    order_digest,
    recover_signer,
    sign_order,
    swap_order_typed_data,
)
from tongdui.core.config import ANVIL_KEYS

EXCHANGE = "0x5FbDB2315678afecb367f032d93F642f64180aa3"
USER = Account.from_key(ANVIL_KEYS[4]).address
uint = st.integers(0, 2**256 - 1)
orders = st.builds(
    SwapOrder,
    owner=st.just(USER),
    from_token=st.just("0x" + "01" * 20),
    to_token=st.just("0x" + "02" * 20),
    amount_in=uint,
    min_amount_out=uint,
    nonce=uint,
    deadline=uint,
    counter=uint,
)


def _standard_digest(domain: Domain, order: SwapOrder) -> bytes:
    """keccak256(0x19 ‖ 0x01 ‖ domainSeparator ‖ structHash), as eth_account encodes it."""
    signable = encode_typed_data(full_message=swap_order_typed_data(domain, order))
    return keccak(b"\x19" + signable.version + signable.header + signable.body)


@given(order=orders, chain_id=st.integers(1, 2**64))
def test_the_order_digest_is_the_typed_data_standards(order: SwapOrder, chain_id: int) -> None:
    domain = Domain(chain_id, EXCHANGE)
    assert order_digest(domain, order) == _standard_digest(domain, order)


def test_another_chain_or_exchange_gives_another_digest() -> None:
    order = SwapOrder(USER, "0x" + "01" * 20, "0x" + "02" * 20, 1_000, 0, 1, 2_000_000_000)
    digests = {
        order_digest(Domain(31337, EXCHANGE), order),
        order_digest(Domain(1, EXCHANGE), order),
        order_digest(Domain(31337, "0x" + "cd" * 20), order),
    }
    assert len(digests) == 3


def test_a_signed_order_recovers_its_owner() -> None:
    domain = Domain(31337, EXCHANGE)
    order = SwapOrder(USER, "0x" + "01" * 20, "0x" + "02" * 20, 1_000, 0, 1, 2_000_000_000)
    signature = sign_order(ANVIL_KEYS[4], domain, order)
    assert recover_signer(order_digest(domain, order), signature) == USER
