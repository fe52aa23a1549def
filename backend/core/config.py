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

# anvil's well-known development keys (mnemonic "test test … junk"), used only for the embedded
# chain: 0 deployer, 1–3 members, 4–6 demo merchants, 7 settler, 8–9 relayers.
ANVIL_KEYS = (
    "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
    "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
    "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
    "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6",
    "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a",
    "0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba",
    "0x92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e",
    "0x4bbbf85ce3377467afe5d46f804f221813b2bb87f24d81f60f1fcdbf7cbf4356",
    "0xdbda1821b80551c9d65939329250298aa3472ba22feea921c0cf5d620ea67b97",
    "0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6",
)


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
    # The auditor's key (AUDITOR_ROLE on AttestationRegistry): `tongdui audit --attest` uses it.
    auditor_key: SecretStr | None = None
    # Genesis roles for `tongdui deploy` on a consortium's own chain (the embedded chain uses
    # anvil's accounts): founding members, M of N, the platform's payee, the settlement members.
    members: Annotated[list[str], NoDecode] = Field(default_factory=list)
    threshold: int = Field(2, ge=1)
    platform_payee: str | None = None
    settlers: Annotated[list[str], NoDecode] = Field(default_factory=list)
    batch_max_size: int = Field(50, ge=1, le=200)
    batch_max_wait: float = Field(0.5, gt=0, description="seconds an order may wait for a batch")
    confirmations: int = Field(0, ge=0, description="blocks behind head the indexer stays")
    log_chunk_size: int = Field(2_000, ge=1, description="blocks per eth_getLogs request")
    reorg_window: int = Field(64, ge=1, description="recent block hashes re-checked for reorgs")
    poll_interval: float = Field(0.5, gt=0)

    @field_validator("relayer_keys", "merchant_keys", "members", "settlers", mode="before")
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

    def merchant_private_keys(self) -> list[str]:
        """Merchant operator keys; the embedded chain falls back to the demo merchants' admins
        (anvil accounts 4–6, see ``demo.py``)."""
        keys = [key.get_secret_value() for key in self.merchant_keys]
        if not keys and self.embedded:
            keys = list(ANVIL_KEYS[4:7])
        return keys
