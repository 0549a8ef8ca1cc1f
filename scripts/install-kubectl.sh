#!/usr/bin/env bash
# Makes `kubectl kustomize` available for the deployment/ tests (they render k8s/overlays/*).
# Idempotent: does nothing when a kubectl with the kustomize command is already on PATH; otherwise
# installs Debian's kubernetes-client package (kubectl 1.20, kustomize v2.0.3 built in; the
# manifests keep to syntax that version understands).
set -euo pipefail

if command -v kubectl >/dev/null 2>&1 && kubectl kustomize --help >/dev/null 2>&1; then
  echo "kubectl already installed: $(command -v kubectl)"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
# Refresh the package lists only when the package is unknown (a fresh container has none).
if ! apt-cache show kubernetes-client >/dev/null 2>&1; then
  $SUDO apt-get update -qq
fi
$SUDO apt-get install -y -qq --no-install-recommends kubernetes-client >/dev/null
kubectl version --client 2>/dev/null | head -n 1 || true
kubectl kustomize --help >/dev/null
echo "installed Debian's kubernetes-client: $(command -v kubectl)"
