"""Every setting is documented once, in the README's table generated from the descriptions in
``backend/core/config.py``; the table in the README is the current one."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tongdui.core.config import Settings

ROOT = Path(__file__).resolve().parents[2]


def test_every_setting_has_a_description() -> None:
    assert [name for name, f in Settings.model_fields.items() if not f.description] == []


def test_the_readmes_settings_table_is_current() -> None:
    ran = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "settings_table.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert ran.returncode == 0, ran.stdout + ran.stderr
    readme = (ROOT / "README.md").read_text()
    for name in Settings.model_fields:
        assert f"`TONGDUI_{name.upper()}`" in readme
