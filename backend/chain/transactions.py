"""Sending transactions signed locally (no unlocked node accounts), with a local nonce.

Why local signing: a consortium node never holds our keys; ``eth_sendRawTransaction`` is the
one write call every EVM node accepts. Why a local nonce: several transactions of one key can
then be in flight in the same block.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any
from weakref import WeakKeyDictionary

from eth_account import Account
from eth_account.signers.local import LocalAccount
from hexbytes import HexBytes
from web3 import Web3
from web3.contract.contract import ContractFunction
from web3.exceptions import (
    ContractCustomError,
    ContractLogicError,
    TimeExhausted,
    TransactionNotFound,
)
from web3.types import TxParams, TxReceipt

from ..core.errors import ChainUnavailableError, ContractRevertError
from .errors import decode_error


class Signer:
    """One key that signs and sends transactions, counting its nonce locally."""

    def __init__(self, w3: Web3, private_key: str, gas_price: int | None = None) -> None:
        self.w3 = w3
        self.account: LocalAccount = Account.from_key(private_key)
        self.address = self.account.address
        self.chain_id = w3.eth.chain_id
        self.gas_price = w3.eth.gas_price if gas_price is None else gas_price
        self.nonce: int = int(w3.eth.get_transaction_count(self.address, "pending"))

    def __repr__(self) -> str:  # never show the key
        return f"Signer({self.address})"

    def sign(self, tx: dict[str, Any]) -> tuple[HexBytes, HexBytes, int]:
        """Signs ``tx`` with the next nonce; returns (raw tx, hash, nonce)."""
        nonce = self.nonce
        full = {"chainId": self.chain_id, "nonce": nonce, "gasPrice": self.gas_price, **tx}
        signed = self.account.sign_transaction(full)
        self.nonce += 1
        return HexBytes(signed.raw_transaction), HexBytes(signed.hash), nonce

    def sign_call(
        self, call: ContractFunction, gas: int | None = None
    ) -> tuple[HexBytes, HexBytes, int]:
        """Signs a contract call at the next nonce without sending it: (raw, hash, nonce).
        Estimates gas first (unless given), so a doomed call fails here as a decoded
        ``ContractRevertError`` and takes no nonce."""
        params: TxParams = {"from": self.address}
        try:
            estimate = call.estimate_gas(params) if gas is None else gas
        except (ContractCustomError, ContractLogicError) as error:
            raise revert_error(error) from error
        tx = call.build_transaction(
            {  # type: ignore[arg-type]  # web3's TxParams wants Nonce/Wei NewTypes
                "from": self.address,
                "gas": int(estimate * 1.2) + 10_000,
                "nonce": self.nonce,
                "gasPrice": self.gas_price,
                "chainId": self.chain_id,
            }
        )
        return self.sign(dict(tx))

    def transact(self, call: ContractFunction, gas: int | None = None) -> HexBytes:
        """Sends a contract call; estimates gas first so a doomed call fails here, decoded."""
        raw, tx_hash, _ = self.sign_call(call, gas)
        self.w3.eth.send_raw_transaction(raw)
        return tx_hash

    def deploy(self, abi: list[dict[str, Any]], bytecode: str, *args: Any) -> HexBytes:
        """Sends a contract creation; the address follows from (sender, nonce)."""
        constructor = self.w3.eth.contract(abi=abi, bytecode=bytecode).constructor(*args)
        tx = constructor.build_transaction(
            {
                "from": self.address,
                "nonce": self.nonce,
                "gasPrice": self.gas_price,
                "chainId": self.chain_id,
                "gas": 8_000_000,
            }
        )
        raw, tx_hash, _ = self.sign(dict(tx))
        self.w3.eth.send_raw_transaction(raw)
        return tx_hash


def revert_error(error: Exception) -> ContractRevertError:
    """A web3 revert as our ContractRevertError with the decoded code and message."""
    data = getattr(error, "data", None)
    if isinstance(data, str) and data.startswith("0x") and len(data) >= 10:
        decoded = decode_error(bytes.fromhex(data[2:]))
        return ContractRevertError(
            decoded.message, code=decoded.code, error=decoded.name, args=decoded.args
        )
    return ContractRevertError(f"the contract refused the call: {error}")


# How deep a receipt must be before ``wait_for`` believes it, per Web3 (see ``set_receipt_depth``).
_receipt_depths: WeakKeyDictionary[Web3, int] = WeakKeyDictionary()


def set_receipt_depth(w3: Web3, confirmations: int) -> None:
    """Makes ``wait_for`` on ``w3`` return a receipt only once its block is ``confirmations``
    deep and still on the chain (0, anvil's instant blocks: at once).

    Why: on Clique an out-of-turn block can lose to the in-turn one. A deployment step whose
    receipt came from the losing block went back to the pool and was mined again later, after
    the next step had been sent on the strength of it: a vote's approve reverted for a proposal
    that did not exist yet (CI, `deploy_platform_on` on 4 sealers). Set where the settings
    are known (``ensure_deployed``, ``build_services``), so every step of that Web3 waits alike.
    """
    _receipt_depths[w3] = confirmations


def wait_for(w3: Web3, tx_hashes: Iterable[HexBytes], timeout: float = 120.0) -> list[TxReceipt]:
    """Waits for every receipt, as deep as ``set_receipt_depth`` asked; raises
    ContractRevertError if any transaction failed."""
    depth = _receipt_depths.get(w3, 0)
    receipts = []
    deadline = time.monotonic() + timeout
    for tx_hash in tx_hashes:
        receipt = _wait_deep(w3, HexBytes(tx_hash), depth, deadline, timeout)
        if receipt["status"] != 1:
            raise ContractRevertError(f"transaction {tx_hash.hex()} reverted", tx=tx_hash.hex())
        receipts.append(receipt)
    return receipts


def _wait_deep(
    w3: Web3, tx_hash: HexBytes, depth: int, deadline: float, timeout: float
) -> TxReceipt:
    """The receipt of ``tx_hash`` once its block has ``depth`` blocks on top and the receipt
    still names that block; a receipt a reorg took away is waited for again."""
    while True:
        remaining = max(1.0, deadline - time.monotonic())
        try:
            receipt = w3.eth.wait_for_transaction_receipt(
                tx_hash, timeout=remaining, poll_latency=0.1
            )
        except TimeExhausted as error:
            raise ChainUnavailableError(
                f"transaction {tx_hash.hex()} was not mined within {timeout:.0f} s: is the node "
                "producing blocks?"
            ) from error
        if depth <= 0:
            return receipt
        while int(w3.eth.block_number) < int(receipt["blockNumber"]) + depth:
            if time.monotonic() > deadline:
                raise ChainUnavailableError(
                    f"transaction {tx_hash.hex()} was mined but not {depth} blocks deep within "
                    f"{timeout:.0f} s: is the node producing blocks?"
                )
            time.sleep(0.1)
        try:
            again = w3.eth.get_transaction_receipt(tx_hash)
        except TransactionNotFound:
            continue  # reorged out and back in the pool: wait for it to be mined again
        if again["blockHash"] == receipt["blockHash"]:
            return again
