"""The web3.py connection and the platform's contract handles.

Only standard JSON-RPC is used here, so any EVM node (anvil, Geth/Clique, Besu/QBFT) works.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from eth_utils import to_checksum_address
from web3 import HTTPProvider, Web3
from web3.contract import Contract
from web3.middleware import ExtraDataToPOAMiddleware
from web3.types import BlockIdentifier

from ..core.errors import ChainUnavailableError, ConfigurationError
from .artifacts import abi
from .deployment import Deployment
from .nodes import NodeSet
from .provider import FailoverProvider


def connect(url: str | Sequence[str], timeout: float = 30.0) -> Web3:
    """A Web3 over HTTP; raises ChainUnavailableError with the URL if the node is down.

    Several URLs (nodes of one chain, the preferred first) give a ``FailoverProvider``: calls
    move to the next node when one stops answering, and back (see ``chain.nodes``).
    """
    urls = [url] if isinstance(url, str) else list(url)
    if len(urls) == 1:
        w3 = Web3(HTTPProvider(urls[0], request_kwargs={"timeout": timeout}))
    else:
        w3 = Web3(FailoverProvider(NodeSet(urls), timeout))
    url = ", ".join(urls)
    # web3's validation middleware asks the node for eth_chainId before every call (a second
    # round trip each time), and ENS does not exist on a consortium chain: drop both. We sign
    # locally with the chain id, and Deployment ties every process to one chain id.
    for name in ("validation", "ens_name_to_address"):
        w3.middleware_onion.remove(name)
    # Proof-of-authority headers (Clique, QBFT) carry the sealers' signatures in extraData,
    # longer than the 32 bytes web3's block formatter accepts.
    w3.middleware_onion.inject(ExtraDataToPOAMiddleware, layer=0)
    try:
        w3.eth.chain_id  # noqa: B018 - a cheap call that proves the node answers
    except Exception as error:
        raise ChainUnavailableError(
            f"cannot reach the JSON-RPC node at {url}: {error}. Start it, or check "
            "TONGDUI_RPC_URL / --rpc.",
            url=url,
        ) from error
    if len(urls) > 1:
        _check_one_chain(urls, int(w3.eth.chain_id), timeout)
    return w3


def _check_one_chain(urls: list[str], chain_id: int, timeout: float) -> None:
    """Every node that answers now must serve the same chain: a fallback on another chain
    would be handed the relayer's transactions. A node down now is checked by no one; the
    chain id signed into every transaction still keeps it from executing them elsewhere."""
    for url in urls:
        try:
            plain = HTTPProvider(
                url, request_kwargs={"timeout": timeout}, exception_retry_configuration=None
            )
            other = int(Web3(plain).eth.chain_id)
        except Exception:
            continue
        if other != chain_id:
            raise ConfigurationError(
                f"the JSON-RPC nodes serve different chains: {url} has chain id {other}, "
                f"another has {chain_id}; TONGDUI_RPC_URL lists nodes of one chain only",
                url=url,
            )


@dataclass
class Platform:
    """Typed access to the deployed contracts."""

    w3: Web3
    deployment: Deployment
    _points_tokens: dict[str, Contract] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def _contract(self, name: str) -> Contract:
        address = to_checksum_address(self.deployment.address(name))
        return self.w3.eth.contract(address=address, abi=abi(name))

    @cached_property
    def governance(self) -> Contract:
        return self._contract("ConsortiumGovernance")

    @cached_property
    def settlement(self) -> Contract:
        return self._contract("SettlementToken")

    @cached_property
    def exchange(self) -> Contract:
        return self._contract("PointsExchange")

    @cached_property
    def registry(self) -> Contract:
        return self._contract("MerchantRegistry")

    @cached_property
    def factory(self) -> Contract:
        """The PointsTokenFactory (issue 16's groundwork); a deployment made before it has
        none and this raises ConfigurationError."""
        return self._contract("PointsTokenFactory")

    @cached_property
    def attestations(self) -> Contract:
        return self._contract("AttestationRegistry")

    @cached_property
    def htlc(self) -> Contract:
        """The HashedTimelock (issue 17); a deployment made before it has none and this
        raises ConfigurationError."""
        return self._contract("HashedTimelock")

    @cached_property
    def voucher_book(self) -> Contract:
        """The VoucherBook (issue 16); a deployment made before it has none and this raises
        ConfigurationError."""
        return self._contract("VoucherBook")

    def points_token(self, address: str) -> Contract:
        """One contract object per token, kept: building it parses the ABI and checksums the
        address (issue 19: ~5 % of the API's CPU under read load, made for every quote)."""
        token = self._points_tokens.get(address)
        if token is None:
            token = self.w3.eth.contract(
                address=to_checksum_address(address), abi=abi("PointsToken")
            )
            self._points_tokens[address] = token
        return token

    def merchants(self, block: BlockIdentifier = "latest") -> list[dict[str, Any]]:
        """Every admitted merchant's joined record (registry.merchantView), read live."""
        count = self.registry.functions.merchantCount().call(block_identifier=block)
        fields = [
            "id",
            "name",
            "token",
            "admin",
            "status",
            "admittedAt",
            "issuanceCap",
            "pointsOutstanding",
            "pointValue",
            "settlementBalance",
            "feeCredit",
        ]
        views = []
        for merchant_id in range(1, count + 1):
            values = self.registry.functions.merchantView(merchant_id).call(block_identifier=block)
            views.append(dict(zip(fields, values, strict=True)))
        return views
