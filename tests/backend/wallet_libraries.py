"""MetaMask's own signing library and ethers v6, driven from the tests through one node
process (``wallets/sign_typed_data.cjs``; both are npm devDependencies installed by
``npm ci``)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

SCRIPT = Path(__file__).parent / "wallets" / "sign_typed_data.cjs"
ROOT = Path(__file__).resolve().parents[2]


class WalletLibraries:
    """One node process running the two libraries (``wallets/sign_typed_data.cjs``)."""

    def __init__(self) -> None:
        node = shutil.which("node")
        assert node, "node is needed (scripts/env.sh puts it on PATH)"
        self.process = subprocess.Popen(
            [node, str(SCRIPT)],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def sign(self, library: str, key: str, typed_data: dict[str, Any] | str) -> dict[str, str]:
        """Signs ``typed_data``; a JSON string is parsed by JavaScript, as a wallet parses
        the ``eth_signTypedData_v4`` parameter it receives (numbers above 2^53 rounded)."""
        assert self.process.stdin and self.process.stdout
        request: dict[str, Any] = {"library": library, "privateKey": key}
        if isinstance(typed_data, str):
            request["typedDataJson"] = typed_data
        else:
            request["typedData"] = typed_data
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        answer: dict[str, str] = json.loads(self.process.stdout.readline())
        assert "error" not in answer, answer
        return answer

    def close(self) -> None:
        assert self.process.stdin
        self.process.stdin.close()
        self.process.wait(10)
