"""A node's two keys: its p2p node key (who it is on the network) and its sealer account (who
signs its blocks, and who votes for its member in governance).

Both live only in the node's folder, made once and never printed: ``nodekey`` (hex, as geth
reads it) and ``keystore/<file>.json`` with ``password.txt`` beside it (geth unlocks the sealer
account with them). Files are created with mode 0600. The keystore uses scrypt with geth's
"light" work factor (n = 4096) so that starting six nodes on a 2-core machine takes seconds;
a consortium that keeps the keystore on a shared disk raises it.
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from eth_account import Account
from eth_keys.datatypes import PrivateKey
from eth_utils import to_checksum_address

SCRYPT_N = 4096  # geth's --lightkdf work factor


@dataclass(frozen=True)
class NodeKeys:
    """Where a node's key files are; the secrets themselves are read only on demand."""

    folder: Path

    @property
    def nodekey_file(self) -> Path:
        return self.folder / "nodekey"

    @property
    def keystore_dir(self) -> Path:
        return self.folder / "keystore"

    @property
    def password_file(self) -> Path:
        return self.folder / "password.txt"

    def exists(self) -> bool:
        return self.nodekey_file.exists() and self.password_file.exists()

    def node_id(self) -> str:
        """The enode id: the node key's public key, 64 bytes hex without 0x."""
        private = PrivateKey(bytes.fromhex(self.nodekey_file.read_text().strip()))
        return str(private.public_key.to_hex())[2:]

    def keystore_file(self) -> Path:
        files = sorted(self.keystore_dir.glob("*.json"))
        if len(files) != 1:
            raise FileNotFoundError(f"expected one keystore file in {self.keystore_dir}")
        return files[0]

    def sealer_address(self) -> str:
        data = json.loads(self.keystore_file().read_text())
        return str(to_checksum_address("0x" + data["address"]))

    def sealer_key(self) -> str:
        """The sealer account's private key (hex), decrypted from the keystore: it signs this
        member's governance votes. Never print or log it."""
        data = json.loads(self.keystore_file().read_text())
        password = self.password_file.read_text().strip()
        return "0x" + bytes(Account.decrypt(data, password)).hex()


def create_node_keys(folder: Path) -> NodeKeys:
    """Makes a fresh node key and sealer account in ``folder`` (which must not have them)."""
    node = NodeKeys(folder)
    if node.exists():
        raise FileExistsError(f"{folder} already holds node keys")
    node.keystore_dir.mkdir(parents=True, exist_ok=True)
    _write_secret(node.nodekey_file, secrets.token_bytes(32).hex())
    password = secrets.token_urlsafe(24)
    _write_secret(node.password_file, password)
    account = Account.create()
    keystore = Account.encrypt(account.key, password, kdf="scrypt", iterations=SCRYPT_N)
    name = f"UTC--tongdui--{account.address[2:].lower()}.json"
    _write_secret(node.keystore_dir / name, json.dumps(keystore))
    return node


def _write_secret(path: Path, text: str) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(text)
