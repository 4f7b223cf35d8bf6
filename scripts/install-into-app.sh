#!/usr/bin/env bash
# Adds Workload Catalog to a Backstage app: applies the root README's "Add Workload Catalog
# to your Backstage" section (yarn add, backend.add lines, app-config.yaml) to APP_DIR.
# With TARBALL_DIR, our packages come from the *.tgz files `yarn pack` wrote there (what the
# fresh-app test does) instead of the registry. See e2e/fresh-app/installGuide.ts.
# usage: scripts/install-into-app.sh APP_DIR [TARBALL_DIR]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/toolchain.sh"
export YARN_NPM_REGISTRY_SERVER="${YARN_NPM_REGISTRY_SERVER:-$(cd / && npm config get registry)}"
# `yarn add` in a TypeScript project asks a search service for @types packages: not
# reachable from machines that only reach the registry (Yarn 4.13 then crashes).
export YARN_TS_ENABLE_AUTO_TYPES="${YARN_TS_ENABLE_AUTO_TYPES:-false}"
exec node "$WC_ROOT/e2e/fresh-app/installGuide.ts" "$@"
