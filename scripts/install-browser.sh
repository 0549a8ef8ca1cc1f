#!/usr/bin/env bash
# Installs what the page's end-to-end test needs: Debian's Chromium at /usr/bin/chromium and
# playwright-core (exact version, from package-lock.json) in service/src/test/e2e/node_modules.
# Idempotent. Playwright never downloads a browser here: the test drives Debian's Chromium.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
e2e="$root/service/src/test/e2e"

sudo_if_needed() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

if [ ! -x /usr/bin/chromium ]; then
  echo "install-browser: installing Debian's chromium"
  sudo_if_needed apt-get update
  sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium fonts-dejavu-core
else
  echo "install-browser: /usr/bin/chromium present ($(/usr/bin/chromium --version 2>/dev/null || echo 'version unknown'))"
fi

if ! command -v npm >/dev/null 2>&1; then
  echo "install-browser: npm is missing; install Node.js 18+ (e.g. apt-get install -y nodejs npm)" >&2
  exit 1
fi

cd "$e2e"
# The browser download is disabled: playwright-core has no install hook, this is a second guard.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
if [ -f package-lock.json ]; then
  wanted="$(node -p "require('./package-lock.json').packages['node_modules/playwright-core'].version")"
  have="$(node -p "require('./node_modules/playwright-core/package.json').version" 2>/dev/null || true)"
  if [ "$have" = "$wanted" ]; then
    echo "install-browser: playwright-core $have already in node_modules"
  else
    npm ci --no-audit --no-fund
  fi
else
  npm install --no-audit --no-fund
fi
echo "install-browser: done"
