"""The shared handles every Tongdui process needs, built once from Settings.

``tongdui up`` builds one ``Services`` and hands it to the indexer, the relayer and the API;
the separate subcommands (``index``, ``relay``, ``serve``) each build their own.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker
from web3 import Web3

from .chain.client import Platform, connect
from .chain.deployment import Deployment, load_deployment
from .chain.nodes import nodes_of
from .chain.transactions import set_receipt_depth
from .core.config import Settings
from .core.db import make_engine, migrate, session_factory
from .query.block_reads import BlockReads


@dataclass
class Services:
    settings: Settings
    w3: Web3
    platform: Platform
    engine: Engine
    sessions: sessionmaker[Session]
    reads: BlockReads = field(init=False)

    def __post_init__(self) -> None:
        self.reads = BlockReads(self.w3, self.settings.read_cache_seconds)

    @property
    def deployment(self) -> Deployment:
        return self.platform.deployment

    @property
    def chain_id(self) -> int:
        return self.deployment.chain_id

    def node_url(self) -> str:
        """The node answering now: the preferred one, or the fallback in use (``chain.nodes``)."""
        nodes = nodes_of(self.w3)
        return nodes.current if nodes is not None else self.settings.node_url()


def build_services(settings: Settings, *, run_migrations: bool = True) -> Services:
    """Connects to the node, loads its deployment and opens (and migrates) the database."""
    w3 = connect(settings.node_urls())
    set_receipt_depth(w3, settings.confirmations)  # votes and onboarding wait for receipts
    deployment = load_deployment(settings.deployments_dir(), w3.eth.chain_id)
    url = settings.database_url()
    if run_migrations:
        migrate(url)
    engine = make_engine(url)
    return Services(settings, w3, Platform(w3, deployment), engine, session_factory(engine))
