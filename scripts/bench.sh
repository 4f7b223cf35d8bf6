#!/usr/bin/env bash
# Runs every benchmark under bench/ and prints each one's figures beside its anchor.
# `npm run bench` (or `npm run bench -- NAME...` for some: validate, pull-request,
# entity-provider, charts, form, gpu-memory, hostile).
# Timings are never asserted in tests; they live here.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/toolchain.sh"
cd "$WC_ROOT"
ensure_deps

declare -A BENCH=(
  [validate]="node bench/cli-validate.cjs"
  [pull-request]="node bench/pull-request.cjs"
  [entity-provider]="node bench/entity-provider.cjs"
  [gpu-memory]="node bench/gpu-memory.cjs"
  [hostile]="node bench/hostile.cjs"
)
[ -f bench/charts.cjs ] && BENCH[charts]="node bench/charts.cjs"
[ -f bench/form.cjs ] && BENCH[form]="node bench/form.cjs"

names=("$@")
[ ${#names[@]} -eq 0 ] && names=(validate pull-request entity-provider charts form gpu-memory hostile)
for name in "${names[@]}"; do
  cmd="${BENCH[$name]:-}"
  [ -n "$cmd" ] || { echo "no benchmark named $name (have: ${!BENCH[*]})" >&2; continue; }
  case "$name" in
    charts) ensure_helm ;;
    form) ensure_chromium ;;
  esac
  printf '\n\033[1;34m== bench: %s\033[0m (%s)\n' "$name" "$cmd" >&2
  $cmd
done
