"""The network's Clique genesis: every founding member a sealer, London rules and nothing later.

Why these values:
- Clique proof of authority, ``period`` seconds per block; ``epoch`` is how often votes reset.
- London (EIP-1559) at block 0 and no Shanghai or Cancun: our bytecode is ``paris`` (no PUSH0),
  and geth 1.13 cannot seal Clique blocks past Shanghai anyway.
- ``baseFeePerGas`` 0: a consortium's gas has no market; the base fee rises only while blocks
  are more than half full and falls back at once.
- Block gas limit 30 M (as the embedded anvil): ``settle`` of 100 orders costs ~4.9 M warm and
  ~8.2 M cold (``snapshots/gas.json``: 48.5k / 81.5k per order), so a block holds three cold
  batches of 100 with room for the other transactions of the block.
- ``alloc``: the sealer accounts (they pay for their members' governance votes) and the
  operator accounts (deployer, relayers, settler, merchants' admins) get ether for gas.
"""

from __future__ import annotations

from typing import Any

from eth_utils import to_checksum_address

BLOCK_GAS_LIMIT = 30_000_000
CLIQUE_EPOCH = 30_000
FUNDING_WEI = 10**24  # a million ether each: gas is priced near zero, this never runs out

_FORKS_AT_ZERO = (
    "homesteadBlock",
    "eip150Block",
    "eip155Block",
    "eip158Block",
    "byzantiumBlock",
    "constantinopleBlock",
    "petersburgBlock",
    "istanbulBlock",
    "berlinBlock",
    "londonBlock",
)


def clique_extra_data(sealers: list[str]) -> str:
    """32 vanity bytes, the sealer addresses (sorted, as Clique keeps them), 65 seal bytes."""
    signers = sorted(to_checksum_address(s).lower()[2:] for s in sealers)
    return "0x" + "00" * 32 + "".join(signers) + "00" * 65


def clique_genesis(
    chain_id: int, period: int, sealers: list[str], funded: list[str]
) -> dict[str, Any]:
    """The genesis JSON that ``geth init`` reads."""
    config: dict[str, Any] = {"chainId": chain_id}
    config.update(dict.fromkeys(_FORKS_AT_ZERO, 0))
    config["clique"] = {"period": period, "epoch": CLIQUE_EPOCH}
    alloc = {
        to_checksum_address(a).lower()[2:]: {"balance": hex(FUNDING_WEI)}
        for a in [*sealers, *funded]
    }
    return {
        "config": config,
        "nonce": "0x0",
        "timestamp": "0x0",
        "extraData": clique_extra_data(sealers),
        "gasLimit": hex(BLOCK_GAS_LIMIT),
        "difficulty": "0x1",
        "baseFeePerGas": "0x0",
        "alloc": alloc,
    }
