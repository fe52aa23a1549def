#!/usr/bin/env bash
# Regenerates the merchant SDK: sdk/openapi.json (+ .sha256) from the API's routes, then
# sdk/tongdui-merchant-client/ from it with openapi-python-client (.venv-sdk, pinned by
# constraints-sdk.txt; settings in sdk/generator.yaml). Run it after changing a merchant route
# or schema and commit what it writes: tests/unit/test_sdk_fresh.py and
# tests/backend/test_sdk_generated.py fail while the committed SDK is stale.
# The hand-written package beside the generated one (tongdui_merchant_client_extras: the webhook
# check) is kept; everything else in the client's folder is the generator's and is replaced.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

generator=.venv-sdk/bin/openapi-python-client
if [[ ! -x "$generator" || ! -x .venv/bin/python ]]; then
  echo "generate_sdk: run ./scripts/setup.sh first (it makes .venv and .venv-sdk)" >&2
  exit 1
fi
client=sdk/tongdui-merchant-client
keep=tongdui_merchant_client_extras

.venv/bin/python -m tongdui.api.merchant_openapi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# the generator's post hooks (ruff check --fix, ruff format) run .venv-sdk's ruff
PATH="$PWD/.venv-sdk/bin:$PATH" "$generator" generate --path sdk/openapi.json \
  --config sdk/generator.yaml --meta setup --output-path "$work/client" --fail-on-warning
rm -rf "$work/client/.ruff_cache"
cp sdk/openapi.json.sha256 "$work/client/openapi.json.sha256"

mkdir -p "$client"
find "$client" -mindepth 1 -maxdepth 1 ! -name "$keep" ! -name '*.egg-info' -exec rm -rf {} +
cp -R "$work/client/." "$client/"
echo "generate_sdk: wrote sdk/openapi.json and $client (from $(cut -c1-12 sdk/openapi.json.sha256))"
