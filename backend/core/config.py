"""Settings from ``TONGDUI_*`` environment variables (pydantic-settings) and CLI flags.

Secrets (relayer keys, the deployer key) are ``SecretStr``: they print as ``**********`` in
logs, reprs and ``tongdui status``, and are revealed only where a key is loaded.

Every field carries a description: the README's settings table is generated from them
(``scripts/settings_table.py``; a test fails when the README's copy is stale).
"""

from __future__ import annotations

import os
from functools import cached_property
from pathlib import Path
from typing import Annotated

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from .dev_keys import ANVIL_KEYS, DEMO_AUDITOR_KEY
from .errors import ConfigurationError

__all__ = ["ANVIL_KEYS", "DEMO_AUDITOR_KEY", "Settings", "default_data_dir"]

SOURCE_ROOT = Path(__file__).resolve().parents[2]


def default_data_dir() -> Path:
    """``.tongdui`` in the repository when running from a checkout (as ``scripts/run.sh`` does),
    else ``$XDG_DATA_HOME/tongdui`` (``~/.local/share/tongdui``): never relative to the current
    directory, so every command finds the same folder wherever it is started."""
    if (SOURCE_ROOT / "pyproject.toml").is_file() and (SOURCE_ROOT / "backend").is_dir():
        return SOURCE_ROOT / ".tongdui"
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "tongdui"


class Settings(BaseSettings):
    """Everything a Tongdui process needs to know; each field is ``TONGDUI_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="TONGDUI_", extra="ignore")

    data_dir: Path = Field(
        default_factory=default_data_dir,
        description="anvil state, SQLite file, deployments, locks, audit reports; default: "
        "`.tongdui` in the repository (a checkout), else `~/.local/share/tongdui`",
    )
    rpc_url: str | None = Field(
        None,
        description="JSON-RPC node(s), comma-separated, own node first; unset: the embedded anvil",
    )
    anvil_port: int = Field(8545, description="port of the embedded anvil")
    anvil_block_time: float = Field(1.0, description="seconds per block; 0 mines on demand")
    db_url: str | None = Field(
        None,
        description="SQLAlchemy URL (`postgresql+psycopg://…` for PostgreSQL); unset: SQLite "
        "in the data folder",
    )
    api_host: str = Field("127.0.0.1", description="address the API listens on")
    api_port: int = Field(8000, description="port of the API and the pages")
    api_processes: int | None = Field(
        None,
        ge=1,
        le=64,
        description="API processes of `tongdui up` on its one port (several need PostgreSQL); "
        "unset: chosen for the cores (the README's **Processes**)",
    )

    # Lists come from the environment comma-separated (NoDecode: not as JSON).
    relayer_keys: Annotated[list[SecretStr], NoDecode] = Field(
        default_factory=list,
        description="relayer private keys, comma-separated (secret); embedded chain: anvil's",
    )
    merchant_keys: Annotated[list[SecretStr], NoDecode] = Field(
        default_factory=list,
        description="merchants' operator keys, comma-separated, matched to merchants by their "
        "admin address (secret); embedded chain: the demo merchants'",
    )
    member_keys: Annotated[list[SecretStr], NoDecode] = Field(
        default_factory=list,
        description="consortium members' governance keys, comma-separated, matched to a "
        "reviewer's member by address: approving an onboarding application proposes with it "
        "(secret); embedded chain: anvil's members 1–3",
    )
    deployer_key: SecretStr | None = Field(
        None, description="key that deploys the platform with `tongdui deploy` (secret)"
    )
    auditor_key: SecretStr | None = Field(
        None,
        description="an AUDITOR_ROLE account's key for `tongdui audit --attest` (secret); "
        "embedded chain: the demo auditor's",
    )
    # Genesis roles for `tongdui deploy` on a consortium's own chain (the embedded chain uses
    # anvil's accounts): founding members, M of N (at least 2 when there are several members),
    # the platform's payee, the settlement members, the auditors holding AUDITOR_ROLE at once.
    members: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="founding consortium members, comma-separated"
    )
    threshold: int = Field(
        2, ge=1, description="votes a proposal needs (M of N; at least 2 with several members)"
    )
    platform_payee: str | None = Field(None, description="receives the platform's fee share")
    settlers: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="settlement members (mint sCNY), comma-separated"
    )
    auditors: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="auditors granted AUDITOR_ROLE at deployment, comma-separated",
    )
    batch_max_size: int = Field(50, ge=1, le=200, description="orders per `settle` transaction")
    batch_max_wait: float = Field(0.5, gt=0, description="seconds an order may wait for a batch")
    confirmations: int = Field(0, ge=0, description="blocks behind head the indexer stays")
    log_chunk_size: int = Field(2_000, ge=1, description="blocks per eth_getLogs request")
    reorg_window: int = Field(64, ge=1, description="recent block hashes re-checked for reorgs")
    poll_interval: float = Field(0.5, gt=0, description="seconds between the indexer's polls")
    webhook_retention_days: float = Field(
        30,
        gt=0,
        description="days a succeeded webhook delivery and its attempts are kept (pending and "
        "abandoned ones, and event ids, are kept for good)",
    )
    webhook_workers: int = Field(8, ge=1, le=64, description="webhook endpoints sent to at once")
    read_cache_seconds: float = Field(
        0.25,
        ge=0,
        description="how stale public reads may be: index reads are kept until the checkpoint "
        "moves, chain reads until the head does; both are re-checked every half of it, and no "
        "answer is made from a checkpoint or head last seen current longer ago; 0: no caches",
    )
    htlc_min_lock_seconds: int = Field(
        900, gt=0, description="HTLC deployed: the shortest a lock may run (seconds)"
    )
    htlc_max_lock_seconds: int = Field(
        86_400, gt=0, description="HTLC deployed: the longest a lock may run (seconds)"
    )
    htlc_safety_margin_seconds: int = Field(
        1_800,
        ge=0,
        description="HTLC deployed: how long a counterpart lock must outlive the lock it "
        "answers (both chains' finality + the coordinator's worst delay + clock skew)",
    )
    statement_utc_offset: int = Field(
        8,
        ge=-12,
        le=14,
        description="the clock that statements count days in, hours from UTC (8: China)",
    )

    @field_validator(
        "relayer_keys",
        "merchant_keys",
        "member_keys",
        "members",
        "settlers",
        "auditors",
        mode="before",
    )
    @classmethod
    def _split_keys(cls, value: object) -> object:
        if isinstance(value, str):
            return [item.strip() for item in value.split(",") if item.strip()]
        return value

    @cached_property
    def embedded(self) -> bool:
        """True when Tongdui runs its own anvil (no ``rpc_url`` given)."""
        return self.rpc_url is None

    def node_url(self) -> str:
        """The preferred node: the first of ``node_urls``."""
        return self.node_urls()[0]

    def node_urls(self) -> list[str]:
        """The nodes, preferred first (``TONGDUI_RPC_URL=http://own:8545,http://other:8545``);
        the others are fallbacks of one chain (see ``chain.nodes``). Unset: the embedded anvil."""
        if self.rpc_url is None:
            return [f"http://127.0.0.1:{self.anvil_port}"]
        urls = [url.strip() for url in self.rpc_url.split(",") if url.strip()]
        if not urls:
            raise ConfigurationError(
                "TONGDUI_RPC_URL / --rpc is empty: give one node URL or several, comma-separated"
            )
        return urls

    def database_url(self) -> str:
        return self.db_url or f"sqlite:///{(self.data_dir / 'tongdui.db').resolve()}"

    def deployments_dir(self) -> Path:
        return self.data_dir / "deployments"

    def relayer_private_keys(self) -> list[str]:
        """Relayer keys; the embedded chain falls back to anvil's relayer accounts 8 and 9."""
        keys = [key.get_secret_value() for key in self.relayer_keys]
        if not keys and self.embedded:
            keys = [ANVIL_KEYS[8], ANVIL_KEYS[9]]
        return keys

    def auditor_private_key(self) -> str | None:
        """The key `tongdui audit --attest` signs with; the embedded chain falls back to the demo
        auditor (anvil account 10), which holds AUDITOR_ROLE from deployment."""
        if self.auditor_key is not None:
            return self.auditor_key.get_secret_value()
        return DEMO_AUDITOR_KEY if self.embedded else None

    def merchant_private_keys(self) -> list[str]:
        """Merchant operator keys; the embedded chain falls back to the demo merchants' admins
        (anvil accounts 4–6, see ``demo.py``)."""
        keys = [key.get_secret_value() for key in self.merchant_keys]
        if not keys and self.embedded:
            keys = list(ANVIL_KEYS[4:7])
        return keys

    def member_private_keys(self) -> list[str]:
        """Consortium members' governance keys; the embedded chain falls back to the demo
        members (anvil accounts 1–3, the founding members of the embedded deployment)."""
        keys = [key.get_secret_value() for key in self.member_keys]
        if not keys and self.embedded:
            keys = list(ANVIL_KEYS[1:4])
        return keys
