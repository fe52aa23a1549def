#!/usr/bin/env bash
# The contracts' Solidity formatting: prettier with prettier-plugin-solidity (.prettierrc.json),
# both pinned npm devDependencies, so nothing is downloaded.
#   scripts/format_contracts.sh --check [files…]   report only (scripts/test.sh, pre-commit)
#   scripts/format_contracts.sh                    format contracts/ and bring what follows along
# Why a script and not a bare `prettier --write`: solc hashes each source file into the
# contract's metadata, which is appended to its bytecode, so reformatting a contract changes its
# artifact and may move its deployment gas. The write mode therefore recompiles, re-exports the
# backend's artifacts and rewrites the gas snapshot in the same go; commit all of it together.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
prettier=node_modules/.bin/prettier
if [[ ! -x "$prettier" ]]; then
  echo "format_contracts: $prettier is missing: run ./scripts/setup.sh" >&2
  exit 2
fi

if [[ "${1:-}" == "--check" ]]; then
  shift
  if (($#)); then exec "$prettier" --check "$@"; fi
  exec "$prettier" --check "contracts/**/*.sol"
fi
if (($#)); then
  echo "usage: scripts/format_contracts.sh [--check [files…]]" >&2
  exit 2
fi

before="$(cat contracts/*.sol contracts/*/*.sol | sha256sum)"
"$prettier" --write --log-level warn "contracts/**/*.sol"
if [[ "$(cat contracts/*.sol contracts/*/*.sol | sha256sum)" == "$before" ]]; then
  echo "format_contracts: contracts/ already formatted; artifacts unchanged"
  exit 0
fi
# shellcheck source=scripts/env.sh
. scripts/env.sh
echo "format_contracts: contracts reformatted; recompiling, re-exporting artifacts, re-measuring gas"
(cd "$TONGDUI_ROOT" && brownie compile >/dev/null)
"$TONGDUI_BROWNIE_VENV/bin/python" scripts/export_artifacts.py
flock /tmp/tongdui-anvil.lock "$TONGDUI_BROWNIE_VENV/bin/python" scripts/gas_snapshot.py
echo "format_contracts: done; review and commit contracts/, backend/chain/artifacts/ and snapshots/gas.json"
