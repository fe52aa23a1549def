"""The package's layers: settings sit below the chain layer, never on top of it.

``core.config`` is read by every process before it has a node, and by tools that never talk to
one; if it imported ``tongdui.chain`` it would drag web3 and the ABIs into each of them, and a
cycle would wait for the first chain module that reads a setting.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import tongdui.core.config

CONFIG = Path(tongdui.core.config.__file__)


def _imported_modules(source: Path) -> list[str]:
    """Every module ``source`` imports, relative imports resolved against ``tongdui.core``."""
    names = []
    for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = ["tongdui", "core"][: 2 - node.level + 1] if node.level else []
            names.append(".".join([*base, *([node.module] if node.module else [])]))
    return names


def test_core_config_names_no_module_of_the_chain_package() -> None:
    chain = [name for name in _imported_modules(CONFIG) if name.startswith("tongdui.chain")]
    assert chain == [], f"core/config.py imports {chain}"


def test_importing_core_config_loads_no_module_of_the_chain_package() -> None:
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, tongdui.core.config; "
            "print(*sorted(m for m in sys.modules if m.startswith('tongdui.chain')))",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert loaded.stdout.split() == []
