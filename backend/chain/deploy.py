"""Deploying the platform with web3.py: the one deploy sequence.

``tongdui deploy`` and the first ``tongdui up`` run it, and so do the contract tests and the
brownie scripts (``scripts/platform.py`` runs it against brownie's anvil and wraps the
addresses as brownie contracts), so the suite tests the deployment production runs, from the
same committed artifacts. The sequence: deploy (the points token factory right before the
merchant registry it is bound to), wire the registry to the exchange, grant the
genesis roles (and the VoucherBook's, issue 16), hand every admin right to the governance.
Creation addresses follow from (deployer, nonce), so all transactions go out at once and the
whole deployment takes a block or two even with a block period of seconds.

Each step is a small function over a ``Deployer``; a new contract is one more ``deploy_*`` call
in ``deploy_platform`` (after the contracts its constructor names).

The exchange's risk settings start at their defaults from its constructor (``Constants.sol``):
the per-user limit is on from genesis (¥100 000 a day, decaying), the minimum order is 100 fen,
point values move at most 20 % a step, 1 h apart, ±50 % a day; governance votes to change them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from eth_account import Account
from hexbytes import HexBytes
from web3 import Web3
from web3.types import Nonce
from web3.utils.address import get_create_address

from .artifacts import abi, artifact
from .deployment import Deployment
from .transactions import Signer, wait_for

DEFAULT_ADMIN_ROLE = b"\x00" * 32
ROLE_GAS = 200_000  # a grantRole / renounceRole, sent without an estimate (see Deployer.call)


@dataclass(frozen=True)
class GenesisRoles:
    """Who holds what when the platform starts."""

    members: list[str]
    threshold: int
    platform_payee: str
    settlers: list[str]
    relayers: list[str]
    # AUDITOR_ROLE at deployment, so `tongdui audit --attest` works before any vote.
    auditors: list[str] = field(default_factory=list)
    # PROVIDER_ROLE on the VoucherBook (issue 16): payment providers whose signed cash notices
    # mint settlement units; the demo grants its test provider's key.
    providers: list[str] = field(default_factory=list)


class Deployer:
    """The deployer's key sending every creation and call back to back, without waiting.

    Why no waiting: an address is known from the nonce before its creation is mined, so a
    later constructor or call can name it; ``wait`` then checks every receipt at once."""

    def __init__(self, w3: Web3, private_key: str) -> None:
        self.w3 = w3
        self.signer = Signer(w3, private_key)
        self.address = self.signer.address
        self.addresses: dict[str, str] = {}  # contract name -> address, in creation order
        self.pending: list[HexBytes] = []

    def next_address(self, later: int = 0) -> str:
        """The address the deployer's next creation gets, or the one ``later`` creations on
        (creations and calls both take a nonce: count only what is sent in between)."""
        return str(get_create_address(self.address, Nonce(self.signer.nonce + later)))

    def create(self, name: str, *args: Any) -> str:
        """Sends the creation of contract ``name`` from its artifact; returns its address."""
        address = self.next_address()
        self.pending.append(self.signer.deploy(abi(name), artifact(name)["bytecode"], *args))
        self.addresses[name] = address
        return address

    def call(self, name: str, function: str, *args: Any) -> None:
        """Sends ``function(*args)`` to the deployed ``name`` (fixed gas: the contract may not
        be mined yet, so there is nothing to estimate against)."""
        address = Web3.to_checksum_address(self.addresses[name])
        contract = self.w3.eth.contract(address=address, abi=abi(name))
        call = contract.functions[function](*args)
        self.pending.append(self.signer.transact(call, gas=ROLE_GAS))

    def wait(self) -> None:
        wait_for(self.w3, self.pending)
        self.pending = []


def deploy_governance(d: Deployer, roles: GenesisRoles) -> str:
    return d.create("ConsortiumGovernance", roles.members, roles.threshold)


def deploy_settlement(d: Deployer, name_and_symbol: tuple[str, str]) -> str:
    return d.create("SettlementToken", *name_and_symbol, d.address)


def deploy_exchange(d: Deployer, roles: GenesisRoles) -> str:
    settlement = d.addresses["SettlementToken"]
    return d.create("PointsExchange", d.address, settlement, roles.platform_payee)


def deploy_points_token_factory(d: Deployer) -> str:
    """The factory of the merchants' points tokens, bound to the registry created right after
    it (its address is known from the nonce). The registry's constructor checks the binding,
    so a factory of another registry cannot be wired in."""
    return d.create("PointsTokenFactory", d.next_address(later=1))


def deploy_merchant_registry(d: Deployer) -> str:
    governance, exchange = d.addresses["ConsortiumGovernance"], d.addresses["PointsExchange"]
    factory = d.addresses["PointsTokenFactory"]
    return d.create("MerchantRegistry", governance, exchange, factory)


def deploy_attestation_registry(d: Deployer, roles: GenesisRoles) -> str:
    """Auditors hold AUDITOR_ROLE from the start (the registry grants it in its constructor)."""
    return d.create("AttestationRegistry", d.addresses["ConsortiumGovernance"], roles.auditors)


@dataclass(frozen=True)
class HtlcDurations:
    """The HashedTimelock's immutable bounds, in seconds (see docs/design.md, "Across chains").

    Defaults for chains with 1 s blocks: a lock lives 15 min to 24 h (the shortest leaves the
    user time to see the other chain's lock final and reveal; the longest bounds how long
    points are held). The margin, 30 min, is what a counterpart lock must outlive this one by:
    it covers chain A's finality plus chain B's (seconds at 1 s blocks and a few
    confirmations), the coordinator's worst delay (a restart and its catch-up: minutes) and
    the skew between the chains' block clocks (geth accepts blocks up to 15 s ahead), with
    room for a claim to wait behind a full block.
    """

    min_lock: int = 900
    max_lock: int = 86_400
    margin: int = 1_800


def deploy_htlc(d: Deployer, durations: HtlcDurations) -> str:
    """The HashedTimelock (issue 17): no owner, no roles, nothing to wire; it only needs the
    registry, to refuse tokens that are not points programs."""
    registry = d.addresses["MerchantRegistry"]
    return d.create(
        "HashedTimelock", registry, durations.min_lock, durations.max_lock, durations.margin
    )


def deploy_voucher_book(d: Deployer) -> str:
    """The VoucherBook (issue 16): vouchers sold for points and cash. Its own contract, since
    the exchange has little EIP-170 headroom; it acts through the exchange's voucher hooks."""
    exchange, settlement = d.addresses["PointsExchange"], d.addresses["SettlementToken"]
    return d.create("VoucherBook", d.address, exchange, settlement)


def grant_voucher_roles(d: Deployer, roles: GenesisRoles) -> None:
    """The VoucherBook pays through the exchange (VOUCHER_ROLE) and mints the cash part of a
    purchase (SETTLER_ROLE); the relayers submit its batches and redemptions, as the
    exchange's; the payment providers sign cash notices (PROVIDER_ROLE)."""
    book = d.addresses["VoucherBook"]
    d.call("PointsExchange", "grantRole", Web3.keccak(text="VOUCHER_ROLE"), book)
    d.call("SettlementToken", "grantRole", Web3.keccak(text="SETTLER_ROLE"), book)
    for account in roles.relayers:
        d.call("VoucherBook", "grantRole", Web3.keccak(text="RELAYER_ROLE"), account)
    for account in roles.providers:
        d.call("VoucherBook", "grantRole", Web3.keccak(text="PROVIDER_ROLE"), account)


def grant_genesis_roles(d: Deployer, roles: GenesisRoles) -> None:
    """The registry lists markets on the exchange; relayers settle, settlers mint sCNY."""
    lister = Web3.keccak(text="LISTER_ROLE")
    relayer = Web3.keccak(text="RELAYER_ROLE")
    settler = Web3.keccak(text="SETTLER_ROLE")
    d.call("PointsExchange", "grantRole", lister, d.addresses["MerchantRegistry"])
    for account in roles.relayers:
        d.call("PointsExchange", "grantRole", relayer, account)
    for account in roles.settlers:
        d.call("SettlementToken", "grantRole", settler, account)


def hand_admin_to_governance(d: Deployer) -> None:
    """The contracts the deployer administers get the governance as admin and lose the
    deployer: afterwards the deployer holds no role anywhere."""
    for name in ("PointsExchange", "SettlementToken", "VoucherBook"):
        d.call(name, "grantRole", DEFAULT_ADMIN_ROLE, d.addresses["ConsortiumGovernance"])
        d.call(name, "renounceRole", DEFAULT_ADMIN_ROLE, d.address)


def deploy_platform(
    w3: Web3,
    deployer_key: str,
    roles: GenesisRoles,
    htlc: HtlcDurations | None = None,
    settlement_token: tuple[str, str] = ("Tongdui Settlement CNY", "sCNY"),
) -> Deployment:
    """Deploys and wires every contract; afterwards the deployer holds no role anywhere.

    ``settlement_token`` is the settlement token's (name, symbol): sCNY for the Chinese
    consortium, sJPY for the Japanese one of the cross-chain demo."""
    first_block = w3.eth.block_number + 1
    d = Deployer(w3, deployer_key)
    deploy_governance(d, roles)
    deploy_settlement(d, settlement_token)
    deploy_exchange(d, roles)
    deploy_points_token_factory(d)
    deploy_merchant_registry(d)
    deploy_attestation_registry(d, roles)
    deploy_htlc(d, htlc or HtlcDurations())
    deploy_voucher_book(d)
    grant_genesis_roles(d, roles)
    grant_voucher_roles(d, roles)
    hand_admin_to_governance(d)
    d.wait()
    return Deployment(
        chain_id=w3.eth.chain_id, deployment_block=first_block, addresses=dict(d.addresses)
    )


def address_of(private_key: str) -> str:
    return str(Account.from_key(private_key).address)
