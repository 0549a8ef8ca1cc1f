#!/usr/bin/env bash
# The test suite, as CI runs it: installs what the browser test needs (Debian's Chromium and
# playwright-core from npm) and what the manifest checks need (kubectl for kustomize); nothing
# when already there. Then runs every module's tests.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-browser.sh
scripts/install-kubectl.sh
./mvnw -B verify "$@"
