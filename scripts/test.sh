#!/usr/bin/env bash
# The test suite, as CI runs it: installs what the browser test needs (Debian's Chromium and
# playwright-core from npm; nothing when already there), then runs every module's tests.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-browser.sh
./mvnw -B verify "$@"
