#!/usr/bin/env bash
# One-time (and every-time) setup: npm toolchain, .venv with the locked Python deps, brownie.
# Idempotent and fast when nothing changed: each step records a hash of its inputs in a stamp
# file beside its output and is skipped while the hash matches. Needs only the package
# registries (npm, PyPI), so it works on a fresh clone.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

inputs_hash() { cat "$@" | sha256sum | cut -d' ' -f1; }
is_current() { [[ -f "$1" && "$(cat "$1")" == "$2" ]]; }

# 1. npm: solc-js, anvil, OpenZeppelin, exactly as package-lock.json says.
npm_hash="$(inputs_hash package.json package-lock.json)"
if ! is_current node_modules/.tongdui-stamp "$npm_hash"; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund
  echo "$npm_hash" > node_modules/.tongdui-stamp
fi

# 2. Python: .venv on 3.11, deps pinned by constraints.txt, tongdui itself editable.
if [[ ! -x .venv/bin/python ]]; then
  python="$(command -v python3.11 || command -v python3)"
  "$python" -c 'import sys; assert sys.version_info[:2] == (3, 11), "need Python 3.11"'
  echo "setup: creating .venv with $python"
  "$python" -m venv .venv
fi
pip_hash="$(inputs_hash pyproject.toml constraints.txt)"
if ! is_current .venv/.tongdui-stamp "$pip_hash"; then
  echo "setup: pip install -c constraints.txt -e '.[dev]'"
  .venv/bin/python -m pip install --quiet -c constraints.txt -e '.[dev]'
  echo "$pip_hash" > .venv/.tongdui-stamp
fi

# 3. brownie: its per-user data folder (~/.brownie) is made on first import. brownie-config.yaml
# tunes the network id "anvil"; an old ~/.brownie may lack it or point it at another client.
# shellcheck source=scripts/env.sh
. scripts/env.sh
anvil_cmd="$(python -c 'from brownie._config import CONFIG; print(CONFIG.networks.get("anvil", {}).get("cmd"))' | tail -n1)"
if [[ "$anvil_cmd" == "None" ]]; then
  echo "setup: adding brownie network 'anvil'"
  brownie networks add Development anvil cmd=anvil host=http://127.0.0.1 port=8546
elif [[ "$anvil_cmd" != "anvil" ]]; then
  echo "setup: brownie network 'anvil' ran '$anvil_cmd'; switching it to anvil"
  brownie networks modify anvil cmd=anvil host=http://127.0.0.1
fi
echo "setup: done (solc $(solc --version | sed -n 's/^Version: //p'), $(anvil --version | head -n1))"
