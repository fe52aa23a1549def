#!/usr/bin/env bash
# Browser for the web tests: Chromium and chromedriver from Debian's packages, and Playwright for
# Python in the given venv (default: .venv). Playwright drives the system Chromium
# (executable_path=/usr/bin/chromium); its own browser download (`playwright install`) is never
# used. Idempotent: does nothing when everything is already there.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
python="${1:-.venv/bin/python}"

if [[ ! -x /usr/bin/chromium || ! -x /usr/bin/chromedriver ]]; then
  echo "browser: apt-get install chromium chromium-driver"
  as_root=()
  [[ "$(id -u)" -eq 0 ]] || as_root=(sudo)
  "${as_root[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq --no-install-recommends \
    chromium chromium-driver fonts-noto-cjk >/dev/null
fi

if ! "$python" -c 'import playwright' 2>/dev/null; then
  echo "browser: pip install playwright into $python"
  "$python" -m pip install --quiet 'playwright>=1.50,<2'
fi
echo "browser: $(/usr/bin/chromium --version 2>/dev/null | head -n1)"
