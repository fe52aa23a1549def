"""A merchant's writes, signed with its operator key: issue, redeem with consent, set the point
value, deposit and withdraw settlement funds.

Each call is estimated before it is sent (``Signer.transact``), so a call the contract would
refuse fails here with its decoded error and stable code, and nothing is sent. Then, if asked,
it waits for the receipt up to ``timeout`` seconds: on a chain with a block period the answer
may be ``pending`` with the hash, and ``receipt`` tells the outcome later.
"""

from __future__ import annotations

from dataclasses import dataclass

from hexbytes import HexBytes
from web3.exceptions import TimeExhausted, TransactionNotFound

from ..chain.client import Platform
from ..chain.signature_rules import canonical_signature
from ..chain.transactions import Signer
from ..core.error_codes import ErrorCode
from ..core.errors import ContractRevertError
from ..query.chain import market
from .operators import MerchantOperators, sent

SETTLEMENT_UNITS_PER_YUAN = 100  # sCNY: one unit is one fen


def yuan(units: int) -> str:
    """Settlement units as the page shows them (¥1,234.56), so a message never mixes units
    with yuan."""
    whole, fen = divmod(units, SETTLEMENT_UNITS_PER_YUAN)
    return f"¥{whole:,}.{fen:02d}"


@dataclass(frozen=True, slots=True)
class TxOutcome:
    tx_hash: str
    status: str  # "pending" | "mined"
    block_number: int | None = None
    gas_used: int | None = None


def receipt(platform: Platform, tx_hash: str, timeout: float = 0.0) -> TxOutcome:
    """The outcome of a sent transaction; ``ContractRevertError`` if it reverted on chain."""
    w3 = platform.w3
    try:
        if timeout > 0:
            found = w3.eth.wait_for_transaction_receipt(
                HexBytes(tx_hash), timeout=timeout, poll_latency=0.1
            )
        else:
            found = w3.eth.get_transaction_receipt(HexBytes(tx_hash))
    except (TimeExhausted, TransactionNotFound):
        return TxOutcome(tx_hash, "pending")
    if found["status"] != 1:
        raise ContractRevertError(
            f"transaction {tx_hash} was mined in block {found['blockNumber']} but reverted",
            code=ErrorCode.TRANSACTION_REVERTED,
            tx=tx_hash,
            block=found["blockNumber"],
        )
    return TxOutcome(tx_hash, "mined", found["blockNumber"], found["gasUsed"])


def known_transaction(platform: Platform, tx_hash: str) -> bool:
    """Whether the node has the transaction (mined or in its pool)."""
    try:
        platform.w3.eth.get_transaction(HexBytes(tx_hash))
    except TransactionNotFound:
        return False
    return True


class MerchantActions:
    """The writes of one merchant (``token``), sent with the key of that market's admin."""

    def __init__(self, platform: Platform, operators: MerchantOperators, token: str) -> None:
        self.platform = platform
        self.operators = operators
        self.token = token
        self.points = platform.points_token(token)

    def admin(self) -> str:
        return str(market(self.platform, self.token)["admin"])

    def issue(self, to: str, amount: int) -> str:
        call = self.points.functions.issue(to, amount)
        return self.operators.send(self.admin(), lambda s: sent(s.transact(call)))

    def redeem(self, holder: str, amount: int, deadline: int, signature: str) -> str:
        # v of 0/1 normalised, high-s and other v refused: as the token's ECDSA would
        raw = canonical_signature(signature)
        call = self.points.functions.redeemWithConsent(holder, amount, deadline, raw)
        return self.operators.send(self.admin(), lambda s: sent(s.transact(call)))

    def set_point_value(self, value: int) -> str:
        call = self.platform.exchange.functions.setPointValue(self.token, value)
        return self.operators.send(self.admin(), lambda s: sent(s.transact(call)))

    def deposit(self, amount: int, approve_timeout: float = 120.0) -> str:
        """Approves the exchange for ``amount`` sCNY if needed (and waits for that), then
        deposits: the deposit's estimate needs the allowance to be on chain already."""
        settlement = self.platform.settlement
        exchange = self.platform.exchange

        def build(signer: Signer) -> str:
            held = settlement.functions.balanceOf(signer.address).call()
            if held < amount:
                raise ContractRevertError(
                    f"The merchant's operator account holds {yuan(held)} of sCNY, less than "
                    f"the {yuan(amount)} to deposit: have a settlement member mint sCNY to "
                    f"{signer.address} first.",
                    code=ErrorCode.INSUFFICIENT_SETTLEMENT_TOKENS,
                    balance=held,
                    needed=amount,
                    operator=signer.address,
                )
            allowance = settlement.functions.allowance(signer.address, exchange.address).call()
            if allowance < amount:
                approval = sent(
                    signer.transact(settlement.functions.approve(exchange.address, amount))
                )
                receipt(self.platform, approval, timeout=approve_timeout)
            return sent(signer.transact(exchange.functions.deposit(self.token, amount)))

        return self.operators.send(self.admin(), build)

    def withdraw(self, amount: int, to: str | None = None) -> str:
        admin = self.admin()
        call = self.platform.exchange.functions.withdraw(self.token, to or admin, amount)
        return self.operators.send(admin, lambda s: sent(s.transact(call)))
