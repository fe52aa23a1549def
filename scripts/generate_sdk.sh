#!/usr/bin/env bash
# Regenerates the merchant SDK: sdk/openapi.json (+ .sha256) from the API's routes, then
# sdk/tongdui-merchant-client/ from it with openapi-python-client (.venv-sdk, pinned by
# constraints-sdk.txt; settings in sdk/generator.yaml). Run it after changing a merchant route
# or schema and commit what it writes: tests/unit/test_sdk_fresh.py and
# tests/backend/test_sdk_generated.py fail while the committed SDK is stale.
# `--check` writes nothing: it generates into a temporary folder and exits 1 naming each file
# that differs from the committed one.
# The hand-written package beside the generated one (tongdui_merchant_client_extras: the webhook
# check) is kept; everything else in the client's folder is the generator's and is replaced.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

check=0
for argument in "$@"; do
  case "$argument" in
    --check) check=1 ;;
    *) echo "usage: scripts/generate_sdk.sh [--check]" >&2; exit 2 ;;
  esac
done
generator=.venv-sdk/bin/openapi-python-client
if [[ ! -x "$generator" || ! -x .venv/bin/python ]]; then
  echo "generate_sdk: run ./scripts/setup.sh first (it makes .venv and .venv-sdk)" >&2
  exit 1
fi
client=sdk/tongdui-merchant-client
keep=tongdui_merchant_client_extras

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
.venv/bin/python -m tongdui.api.merchant_openapi --out "$work/openapi.json"
# the generator's post hooks (ruff check --fix, ruff format) run .venv-sdk's ruff
PATH="$PWD/.venv-sdk/bin:$PATH" "$generator" generate --path "$work/openapi.json" \
  --config sdk/generator.yaml --meta setup --output-path "$work/client" --fail-on-warning \
  > "$work/generator.log" || { cat "$work/generator.log" >&2; exit 1; }
rm -rf "$work/client/.ruff_cache"
cp "$work/openapi.json.sha256" "$work/client/openapi.json.sha256"

if [[ "$check" == 1 ]]; then
  stale=0
  for name in openapi.json openapi.json.sha256; do
    cmp -s "$work/$name" "sdk/$name" || { echo "stale: sdk/$name"; stale=1; }
  done
  diff -r -q --exclude="$keep" --exclude="*.egg-info" --exclude=__pycache__ --exclude=build \
    --exclude=dist --exclude=.ruff_cache "$work/client" "$client" || stale=1
  if [[ "$stale" == 1 ]]; then
    echo "generate_sdk: the committed SDK is stale: run scripts/generate_sdk.sh" >&2
    exit 1
  fi
  echo "generate_sdk: the committed SDK is what the routes give ($(cut -c1-12 sdk/openapi.json.sha256))"
  exit 0
fi
cp "$work/openapi.json" "$work/openapi.json.sha256" sdk/
mkdir -p "$client"
find "$client" -mindepth 1 -maxdepth 1 ! -name "$keep" ! -name '*.egg-info' -exec rm -rf {} +
cp -R "$work/client/." "$client/"
echo "generate_sdk: wrote sdk/openapi.json and $client (from $(cut -c1-12 sdk/openapi.json.sha256))"
