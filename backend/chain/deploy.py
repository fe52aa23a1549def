"""Deploying the platform with web3.py (``tongdui deploy`` / first ``tongdui up``).

Same sequence as the brownie script ``scripts/platform.py`` (which the contract tests use):
deploy, wire the registry to the exchange, grant the genesis roles, hand every admin right to
the governance. Creation addresses follow from (deployer, nonce), so all transactions go out
at once and the whole deployment takes a block or two even with a block period of seconds.

The exchange's risk settings start at their defaults from its constructor (``Constants.sol``):
the per-user limit is on from genesis (¥100 000 a day, decaying), the minimum order is 100 fen,
point values move at most 20 % a step, 1 h apart, ±50 % a day; governance votes to change them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from eth_account import Account
from hexbytes import HexBytes
from web3 import Web3
from web3.types import Nonce
from web3.utils.address import get_create_address

from .artifacts import abi, artifact
from .deployment import Deployment
from .transactions import Signer, wait_for

DEFAULT_ADMIN_ROLE = b"\x00" * 32


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


def deploy_htlc(deployer: Signer, registry: str, durations: HtlcDurations) -> tuple[str, HexBytes]:
    """Sends the HashedTimelock's creation (issue 17): no owner, no roles, nothing to wire, so
    one transaction; returns its address (from the deployer's nonce) and the hash."""
    address = get_create_address(deployer.address, Nonce(deployer.nonce))
    tx_hash = deployer.deploy(
        abi("HashedTimelock"),
        artifact("HashedTimelock")["bytecode"],
        registry,
        durations.min_lock,
        durations.max_lock,
        durations.margin,
    )
    return address, tx_hash


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
    deployer = Signer(w3, deployer_key)
    first_block = w3.eth.block_number + 1
    nonce = deployer.nonce
    names = (
        "ConsortiumGovernance",
        "SettlementToken",
        "PointsExchange",
        "MerchantRegistry",
        "AttestationRegistry",
    )
    address = {
        name: get_create_address(deployer.address, Nonce(nonce + i)) for i, name in enumerate(names)
    }
    arguments = {
        "ConsortiumGovernance": (roles.members, roles.threshold),
        "SettlementToken": (*settlement_token, deployer.address),
        "PointsExchange": (deployer.address, address["SettlementToken"], roles.platform_payee),
        "MerchantRegistry": (address["ConsortiumGovernance"], address["PointsExchange"]),
        "AttestationRegistry": (address["ConsortiumGovernance"], roles.auditors),
    }
    hashes = [deployer.deploy(abi(n), artifact(n)["bytecode"], *arguments[n]) for n in names]

    exchange = w3.eth.contract(address=address["PointsExchange"], abi=abi("PointsExchange"))
    settlement = w3.eth.contract(address=address["SettlementToken"], abi=abi("SettlementToken"))
    lister = Web3.keccak(text="LISTER_ROLE")
    relayer_role = Web3.keccak(text="RELAYER_ROLE")
    settler_role = Web3.keccak(text="SETTLER_ROLE")
    governance = address["ConsortiumGovernance"]
    calls = [exchange.functions.grantRole(lister, address["MerchantRegistry"])]
    calls += [exchange.functions.grantRole(relayer_role, r) for r in roles.relayers]
    calls += [settlement.functions.grantRole(settler_role, s) for s in roles.settlers]
    for contract in (exchange, settlement):
        calls.append(contract.functions.grantRole(DEFAULT_ADMIN_ROLE, governance))
        calls.append(contract.functions.renounceRole(DEFAULT_ADMIN_ROLE, deployer.address))
    hashes += [deployer.transact(call, gas=200_000) for call in calls]
    htlc_address, htlc_hash = deploy_htlc(
        deployer, address["MerchantRegistry"], htlc or HtlcDurations()
    )
    hashes.append(htlc_hash)
    wait_for(w3, hashes)
    return Deployment(
        chain_id=w3.eth.chain_id,
        deployment_block=first_block,
        addresses={**address, "HashedTimelock": htlc_address},
    )


def address_of(private_key: str) -> str:
    return str(Account.from_key(private_key).address)
