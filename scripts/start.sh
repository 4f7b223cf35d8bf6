#!/usr/bin/env bash
# Starts Workload Catalog on this machine with embedded defaults (see README).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/toolchain.sh"
cd "$WC_ROOT"
ensure_deps
echo "Checking the example catalog with the workload-catalog CLI:" >&2
yarn workload-catalog validate examples/catalog/valid
yarn workload-catalog validate examples/catalog/invalid || true
