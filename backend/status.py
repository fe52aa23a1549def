"""``tongdui status``: what an operator checks first — node, deployment, merchants, index."""

from __future__ import annotations

from collections.abc import Iterator

from .chain.client import Platform, connect
from .chain.constants import MERCHANT_STATUS
from .chain.deployment import load_deployment
from .core.config import Settings
from .core.errors import ChainUnavailableError


class NodeUnreachable(Exception):
    """The node did not answer: ``tongdui status`` prints this line and exits 1."""


def collect_status(settings: Settings) -> Iterator[str]:
    url = settings.node_url()
    try:
        w3 = connect(url, timeout=5)
    except ChainUnavailableError:
        raise NodeUnreachable(
            f"Node      {url}: not reachable (start it, or run `tongdui up`)"
        ) from None
    chain_id = w3.eth.chain_id
    yield f"Node      {url}: chain id {chain_id}, head block {w3.eth.block_number}"
    deployment = load_deployment(settings.deployments_dir(), chain_id)
    yield f"Deployed  at block {deployment.deployment_block}"
    for name, address in deployment.addresses.items():
        yield f"  {name:<22}{address}"
    platform = Platform(w3, deployment)
    merchants = platform.merchants()
    yield f"Merchants {len(merchants)}"
    for m in merchants:
        status = MERCHANT_STATUS.get(m["status"], "?")
        yield (
            f"  #{m['id']} {m['name']:<26} value {m['pointValue']:>6} fen/pt  "
            f"settlement {m['settlementBalance'] / 100:>14,.2f} CNY  {status}"
        )
    yield from collect_index_status(settings)


def collect_index_status(settings: Settings) -> Iterator[str]:
    """The database's view: how far the index got, and the relayer's orders by state."""
    from sqlalchemy import func, select

    from .indexer.follower import Indexer
    from .relayer.models import RelayerOrder
    from .services import build_services

    services = build_services(settings)
    try:
        index = Indexer(services).status()
        yield (
            f"Index     {settings.database_url().split('://', 1)[0]}: block "
            f"{index.indexed_block if index.indexed_block is not None else '-'} of "
            f"{index.head} (head)"
        )
        with services.sessions() as session:
            counts = session.execute(
                select(RelayerOrder.state, func.count()).group_by(RelayerOrder.state)
            ).all()
        by_state = ", ".join(f"{state} {count}" for state, count in sorted(counts)) or "none yet"
        yield f"Orders    {by_state}"
    finally:
        services.engine.dispose()
