"""Settings from ``TONGDUI_*`` environment variables (pydantic-settings) and CLI flags.

Secrets (relayer keys, the deployer key) are ``SecretStr``: they print as ``**********`` in
logs, reprs and ``tongdui status``, and are revealed only where a key is loaded.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Annotated

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from ..chain.dev_keys import ANVIL_KEYS, DEMO_AUDITOR_KEY

__all__ = ["ANVIL_KEYS", "DEMO_AUDITOR_KEY", "Settings"]


class Settings(BaseSettings):
    """Everything a Tongdui process needs to know; each field is ``TONGDUI_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="TONGDUI_", extra="ignore")

    data_dir: Path = Field(Path(".tongdui"), description="anvil state, SQLite file, deployments")
    rpc_url: str | None = Field(None, description="JSON-RPC node; unset: the embedded anvil")
    anvil_port: int = 8545
    anvil_block_time: float = Field(1.0, description="seconds per block; 0 mines on demand")
    db_url: str | None = Field(None, description="SQLAlchemy URL; unset: SQLite in data_dir")
    api_host: str = "127.0.0.1"
    api_port: int = 8000

    # Lists come from the environment comma-separated (NoDecode: not as JSON).
    relayer_keys: Annotated[list[SecretStr], NoDecode] = Field(default_factory=list)
    # Merchants' operator keys, matched to merchants by address (= the merchant's admin).
    merchant_keys: Annotated[list[SecretStr], NoDecode] = Field(default_factory=list)
    deployer_key: SecretStr | None = None
    # The auditor's key (AUDITOR_ROLE on AttestationRegistry): `tongdui audit --attest` uses it;
    # unset on the embedded chain, the demo auditor's (see `auditor_private_key`).
    auditor_key: SecretStr | None = None
    # Genesis roles for `tongdui deploy` on a consortium's own chain (the embedded chain uses
    # anvil's accounts): founding members, M of N (at least 2 when there are several members),
    # the platform's payee, the settlement members, the auditors holding AUDITOR_ROLE at once.
    members: Annotated[list[str], NoDecode] = Field(default_factory=list)
    threshold: int = Field(2, ge=1)
    platform_payee: str | None = None
    settlers: Annotated[list[str], NoDecode] = Field(default_factory=list)
    auditors: Annotated[list[str], NoDecode] = Field(default_factory=list)
    batch_max_size: int = Field(50, ge=1, le=200)
    batch_max_wait: float = Field(0.5, gt=0, description="seconds an order may wait for a batch")
    confirmations: int = Field(0, ge=0, description="blocks behind head the indexer stays")
    log_chunk_size: int = Field(2_000, ge=1, description="blocks per eth_getLogs request")
    reorg_window: int = Field(64, ge=1, description="recent block hashes re-checked for reorgs")
    poll_interval: float = Field(0.5, gt=0)
    read_cache_seconds: float = Field(
        0.25, ge=0, description="how old the head block of public reads (/merchants, /quote) may be"
    )

    @field_validator(
        "relayer_keys", "merchant_keys", "members", "settlers", "auditors", mode="before"
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
        return self.rpc_url or f"http://127.0.0.1:{self.anvil_port}"

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
