"""The deployment record ``<chain id>.json``: where the platform's contracts live.

Written by ``tongdui deploy`` (and by the brownie script ``scripts/deploy.py``, which runs the
same deployment through ``scripts/platform.py``);
read by every backend process to find the contracts and the block to index from.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from ..core.errors import ConfigurationError, DeploymentNotFoundError


@dataclass(frozen=True)
class Deployment:
    chain_id: int
    deployment_block: int
    addresses: dict[str, str]  # contract name -> address
    merchants: dict[str, str] = field(default_factory=dict)  # symbol -> token (at deploy time)

    def address(self, name: str) -> str:
        try:
            return self.addresses[name]
        except KeyError:
            raise ConfigurationError(f"the deployment has no {name} address") from None

    def to_json(self) -> dict[str, object]:
        record: dict[str, object] = {
            "chainId": self.chain_id,
            "deploymentBlock": self.deployment_block,
            "contracts": {
                name: {"address": address, "abi": f"build/contracts/{name}.json"}
                for name, address in self.addresses.items()
            },
            "pointsTokenAbi": "build/contracts/PointsToken.json",
            "merchants": self.merchants,
        }
        # Issue 16: the VoucherBook at the top level too, where wallets look for it (the
        # `contracts` entry stays the one `from_json` reads).
        if "VoucherBook" in self.addresses:
            record["voucherBook"] = self.addresses["VoucherBook"]
        return record

    @classmethod
    def from_json(cls, data: dict[str, object]) -> Deployment:
        contracts = data["contracts"]
        if not isinstance(contracts, dict):
            raise ConfigurationError("deployment file: `contracts` must be an object")
        merchants = data.get("merchants") or {}
        return cls(
            chain_id=int(str(data["chainId"])),
            deployment_block=int(str(data["deploymentBlock"])),
            addresses={name: entry["address"] for name, entry in contracts.items()},
            merchants=dict(merchants) if isinstance(merchants, dict) else {},
        )


def deployment_path(folder: Path, chain_id: int) -> Path:
    return folder / f"{chain_id}.json"


def load_deployment(folder: Path, chain_id: int) -> Deployment:
    """Reads ``<folder>/<chain id>.json``; a clear error says how to create it."""
    path = deployment_path(folder, chain_id)
    if not path.exists():
        raise DeploymentNotFoundError(
            f"no deployment for chain {chain_id} in {folder}. If the platform already runs on "
            "this chain, use the data folder that holds its deployment file (--data-dir or "
            "TONGDUI_DATA_DIR). Only on a chain without the platform: `tongdui up` deploys on "
            "its first start (`tongdui deploy` would deploy a second, separate platform).",
            chain_id=chain_id,
        )
    try:
        return Deployment.from_json(json.loads(path.read_text()))
    except (KeyError, ValueError, TypeError) as error:
        raise ConfigurationError(f"{path} is not a valid deployment file: {error}") from error


def save_deployment(folder: Path, deployment: Deployment) -> Path:
    """Writes the file atomically (write then rename): a crash never leaves half a file."""
    folder.mkdir(parents=True, exist_ok=True)
    path = deployment_path(folder, deployment.chain_id)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(deployment.to_json(), indent=2) + "\n")
    temporary.replace(path)
    return path
