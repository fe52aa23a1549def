#!/usr/bin/env bash
# One-time (and every-time) setup: npm toolchain, the Python venvs, brownie's network.
# Idempotent and fast when nothing changed: each step records a hash of its inputs in a stamp
# file beside its output and is skipped while the hash matches. Needs only the package
# registries (npm, PyPI, the Go module proxy), so it works on a fresh clone.
# `setup.sh --app` sets up only what the application runs on (npm tools and .venv, with the
# merchant SDK): no brownie/slither venv, which only the contract suite needs, and no SDK
# generator venv (scripts/run.sh uses it).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

app_only=0
for argument in "$@"; do
  case "$argument" in
    --app) app_only=1 ;;
    *) echo "usage: scripts/setup.sh [--app]" >&2; exit 2 ;;
  esac
done

inputs_hash() { cat "$@" | sha256sum | cut -d' ' -f1; }
is_current() { [[ -f "$1" && "$(cat "$1")" == "$2" ]]; }

python="$(command -v python3.11 || command -v python3)"
"$python" -c 'import sys; assert sys.version_info[:2] == (3, 11), "Tongdui needs Python 3.11"'

new_venv() {
  if [[ ! -x "$1/bin/python" ]]; then
    echo "setup: creating $1 with $python"
    "$python" -m venv "$1"
    "$1/bin/python" -m pip install --quiet --upgrade pip
  fi
}

# 1. npm: solc-js, anvil, OpenZeppelin, exactly as package-lock.json says.
npm_hash="$(inputs_hash package.json package-lock.json)"
if ! is_current node_modules/.tongdui-stamp "$npm_hash"; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund
  echo "$npm_hash" > node_modules/.tongdui-stamp
fi

# 1b. The pages' one browser file from npm, the QR code library (vouchers' redemption codes):
# copied from node_modules to backend/web/static/vendor/ (not committed, see .gitignore), so
# /assets/vendor/ serves exactly what package-lock.json pins and nothing comes from a CDN.
mkdir -p backend/web/static/vendor
vendored=backend/web/static/vendor/qrcode-generator.js
cmp -s node_modules/qrcode-generator/dist/qrcode.mjs "$vendored" \
  || cp node_modules/qrcode-generator/dist/qrcode.mjs "$vendored"

# 2. .venv: the tongdui package (editable) with its runtime and dev tools, locked.
new_venv .venv
app_hash="$(inputs_hash pyproject.toml constraints.txt)"
if ! is_current .venv/.tongdui-stamp "$app_hash"; then
  echo "setup: .venv: pip install -c constraints.txt -e '.[dev]'"
  .venv/bin/python -m pip install --quiet -c constraints.txt -e '.[dev]'
  echo "$app_hash" > .venv/.tongdui-stamp
fi
# The merchant SDK (sdk/tongdui-merchant-client: the generated client and the hand-written
# extras) into .venv, editable, so the tests and sdk/examples run against the tree; its
# dependencies (httpx, attrs) are constraints.txt's. Compat mode puts the folder on sys.path,
# so a package added beside the generated one needs no reinstall.
sdk_hash="$(inputs_hash constraints.txt sdk/tongdui-merchant-client/setup.py)"
if ! is_current .venv/.tongdui-sdk-stamp "$sdk_hash"; then
  echo "setup: .venv: pip install -c constraints.txt -e sdk/tongdui-merchant-client"
  .venv/bin/python -m pip install --quiet -c constraints.txt \
    --config-settings editable_mode=compat -e sdk/tongdui-merchant-client
  echo "$sdk_hash" > .venv/.tongdui-sdk-stamp
fi

if [[ "$app_only" == 1 ]]; then
  echo "setup: done for the app (no .venv-brownie: ./scripts/setup.sh adds it for the contract suite)"
  exit 0
fi

# 3. .venv-brownie: eth-brownie (exact pins of its own) and slither for the contract suite,
# plus tongdui without its dependencies (the contract suite runs its web3 deploy, vote and seed,
# which brownie's pins already cover) and coincurve, the backend's C secp256k1: without it
# eth-keys signs in pure Python, ~20x slower per transaction the deploy and votes sign.
new_venv .venv-brownie
brownie_hash="$(inputs_hash pyproject.toml constraints-brownie.txt)"
if ! is_current .venv-brownie/.tongdui-stamp "$brownie_hash"; then
  echo "setup: .venv-brownie: eth-brownie, slither (constraints-brownie.txt)"
  .venv-brownie/bin/python -m pip install --quiet -c constraints-brownie.txt \
    eth-brownie slither-analyzer coincurve
  .venv-brownie/bin/python -m pip install --quiet --no-deps -e .
  rm -f .venv-brownie/bin/tongdui  # the command belongs to .venv
  echo "$brownie_hash" > .venv-brownie/.tongdui-stamp
fi

# 4. .venv-sdk: openapi-python-client, which scripts/generate_sdk.sh runs to write the merchant
# SDK from sdk/openapi.json (its own venv: it needs a typer older than .venv's; lock
# constraints-sdk.txt, with .venv's ruff, which formats what it writes).
new_venv .venv-sdk
generator_hash="$(inputs_hash constraints-sdk.txt)"
if ! is_current .venv-sdk/.tongdui-stamp "$generator_hash"; then
  echo "setup: .venv-sdk: openapi-python-client (constraints-sdk.txt)"
  .venv-sdk/bin/python -m pip install --quiet -c constraints-sdk.txt openapi-python-client ruff
  echo "$generator_hash" > .venv-sdk/.tongdui-stamp
fi

# 5. brownie: its per-user data folder (~/.brownie) is made on first import. brownie-config.yaml
# tunes the network id "anvil"; an old ~/.brownie may lack it or point it at another client.
# shellcheck source=scripts/env.sh
. scripts/env.sh
bpython="$TONGDUI_BROWNIE_VENV/bin/python"
anvil_cmd="$("$bpython" -c 'from brownie._config import CONFIG; print(CONFIG.networks.get("anvil", {}).get("cmd"))' | tail -n1)"
if [[ "$anvil_cmd" == "None" ]]; then
  echo "setup: adding brownie network 'anvil'"
  brownie networks add Development anvil cmd=anvil host=http://127.0.0.1 port=8546
elif [[ "$anvil_cmd" != "anvil" ]]; then
  echo "setup: brownie network 'anvil' ran '$anvil_cmd'; switching it to anvil"
  brownie networks modify anvil cmd=anvil host=http://127.0.0.1
fi
# 6. geth v1.13.15 for `tongdui network` (the consortium's Clique chain), built from the Go
# module proxy; versions pinned by tools/geth/go.mod + go.sum. Go >= 1.23 refuses geth 1.13's
# //go:linkname uses unless linked with -checklinkname=0.
if command -v go > /dev/null; then
  geth_flags="-trimpath -ldflags=-checklinkname=0"
  geth_hash="$( (cat tools/geth/go.mod tools/geth/go.sum tools/geth/tools.go; go version; \
    echo "$geth_flags") | sha256sum | cut -d' ' -f1)"
  if [[ ! -x tools/bin/geth ]] || ! is_current tools/bin/.geth-stamp "$geth_hash"; then
    echo "setup: building geth (go build in tools/geth; a few minutes the first time)"
    mkdir -p tools/bin
    # shellcheck disable=SC2086 # the flags are words
    (cd tools/geth && go build $geth_flags -o ../bin/geth github.com/ethereum/go-ethereum/cmd/geth)
    echo "$geth_hash" > tools/bin/.geth-stamp
  fi
else
  echo "setup: Go not found: skipping geth (only \`tongdui network\` and tests/network need it)"
fi
echo "setup: done (solc $(solc --version | sed -n 's/^Version: //p'), $(anvil --version | head -n1))"
