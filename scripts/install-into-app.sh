#!/usr/bin/env bash
# Adds Workload Catalog to a Backstage app: applies the root README's "Add Workload Catalog
# to your Backstage" section (yarn add, backend.add lines, app-config.yaml) to APP_DIR.
# With TARBALL_DIR, our packages come from the *.tgz files `yarn pack` wrote there (what the
# fresh-app test does) instead of the registry. See e2e/fresh-app/installGuide.ts.
# usage: scripts/install-into-app.sh APP_DIR [TARBALL_DIR]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/toolchain.sh"
export YARN_NPM_REGISTRY_SERVER="${YARN_NPM_REGISTRY_SERVER:-$(npm config get registry)}"
exec node "$WC_ROOT/e2e/fresh-app/installGuide.ts" "$@"
