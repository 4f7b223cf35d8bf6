#!/usr/bin/env bash
# Runs every test of the repository, after setting up what they need (see toolchain.sh).
# This is the README's test command and what .ci/run calls.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/toolchain.sh"
cd "$WC_ROOT"

stage() { printf '\n\033[1;34m== %s\033[0m\n' "$*" >&2; }
t0=$SECONDS

stage "toolchain and dependencies"
ensure_deps
ensure_helm

stage "type check (tsc)"
yarn tsc --noEmit

stage "lint and formatting"
yarn backstage-cli repo lint
yarn prettier --check . >/dev/null || { yarn prettier --check . ; exit 1; }

stage "unit and integration tests (jest)"
CI=true yarn backstage-cli repo test --ci

stage "catalog examples through the CLI"
# The valid examples pass and every invalid example fails with a positioned message.
yarn workload-catalog validate examples/catalog/valid
if yarn workload-catalog validate -q examples/catalog/invalid >/dev/null; then
  echo "the invalid examples passed validation" >&2
  exit 1
fi

if [ -f e2e/package.json ]; then
  stage "end-to-end tests (Playwright, Debian Chromium)"
  ensure_chromium
  yarn workspace @workload-catalog/e2e test
fi

printf '\n\033[1;32mall tests passed in %ss\033[0m\n' "$((SECONDS - t0))" >&2
