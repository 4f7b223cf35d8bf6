#!/usr/bin/env bash
# Runs every test of the repository, after setting up what they need (see toolchain.sh).
# This is the README's test command and what .ci/run calls. Every stage runs, even after
# one fails, so one run shows every problem; the exit status is non-zero if any failed.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/toolchain.sh"
cd "$WC_ROOT" || exit 1

t0=$SECONDS
failed=()
# usage: stage NAME COMMAND...   (COMMAND runs in a subshell with -e)
stage() {
  local name="$1" t=$SECONDS
  shift
  printf '\n\033[1;34m== %s\033[0m\n' "$name" >&2
  # not inside `if`: bash would ignore set -e in the subshell there
  (set -e; "$@")
  if [ $? -eq 0 ]; then
    printf '\033[32m-- %s: ok (%ss)\033[0m\n' "$name" "$((SECONDS - t))" >&2
  else
    printf '\033[31m-- %s: FAILED (%ss)\033[0m\n' "$name" "$((SECONDS - t))" >&2
    failed+=("$name")
  fi
}

# Set-up failures stop everything: nothing after them could run.
printf '\033[1;34m== toolchain and dependencies\033[0m\n' >&2
set -e
ensure_deps
ensure_helm
ensure_go # argocd-local renders deploy/argocd's ApplicationSet with Go + sprig
ensure_postgres # packages/backend's test of two replicas on PostgreSQL (jest stage)
set +e

stage "type check (tsc)" yarn tsc --noEmit
stage "lint (backstage-cli repo lint)" yarn backstage-cli repo lint
stage "formatting (prettier)" yarn prettier --check --log-level warn .
# Publishing metadata of every package as `backstage-cli repo fix --publish` wants it
# (`yarn fix` rewrites it).
stage "package metadata (repo fix --check)" yarn backstage-cli repo fix --publish --check
# The public surface of each published package against its committed report.api.md (and the
# CLI's cli-report.md). tsc writes the declarations API Extractor reads to dist-types/;
# `yarn build:api-reports` rewrites the reports after a change to what a package exports.
stage "API reports" yarn build:api-reports --ci
stage "unit and integration tests (jest)" env CI=true yarn backstage-cli repo test --ci

examples() {
  # The valid examples pass and every invalid example fails.
  yarn workload-catalog validate examples/catalog/valid
  ! yarn workload-catalog validate -q examples/catalog/invalid >/dev/null
}
stage "catalog examples through the CLI" examples

if [ -f e2e/package.json ]; then
  e2e() {
    ensure_chromium
    yarn workspace @workload-catalog/e2e test
  }
  stage "end-to-end tests (Playwright, Debian Chromium)" e2e

  # A brand-new Backstage app (create-app), our packages installed from their tarballs by the
  # README's install section, started and used in Chromium (e2e/fresh-app; about 7 minutes).
  fresh_app() {
    ensure_chromium
    export YARN_NPM_REGISTRY_SERVER="${YARN_NPM_REGISTRY_SERVER:-$(cd / && npm config get registry)}"
    yarn workspace @workload-catalog/e2e playwright test -c fresh-app/playwright.config.ts
  }
  stage "fresh Backstage app with the suite installed (e2e/fresh-app)" fresh_app
fi

if [ ${#failed[@]} -gt 0 ]; then
  printf '\n\033[1;31mFAILED after %ss: %s\033[0m\n' "$((SECONDS - t0))" "$(IFS=';'; echo "${failed[*]}")" >&2
  exit 1
fi
printf '\n\033[1;32mall tests passed in %ss\033[0m\n' "$((SECONDS - t0))" >&2
