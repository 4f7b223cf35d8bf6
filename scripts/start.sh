#!/usr/bin/env bash
# Starts Workload Catalog on this machine with embedded defaults (see README):
#   1. the local GitHub (test-infra/github-local) on 127.0.0.1:7008, as the catalog repo:
#      pull requests appear at http://127.0.0.1:7008/local/catalog (no GitHub account needed)
#   2. a local Ollama API (test-infra/ollama-local) on 127.0.0.1:11434, standing in for every
#      workload's Ollama server (skipped when something, e.g. a real Ollama, uses the port)
#   3. a local Argo CD API (test-infra/argocd-local) on 127.0.0.1:7009 that simulates the
#      ApplicationSet over the local catalog repo: a merged leaf becomes an Application that
#      goes OutOfSync, Synced/Progressing, Healthy (and its models appear in the local Ollama)
#   4. the Backstage backend (packages/backend) on :7007, with app-config.yaml
#   5. the frontend app on :3000, when packages/app exists
# Ctrl-C stops everything. Environment: WC_GITHUB_PORT (7008), WC_GITHUB_DATA (where the
# local catalog repo lives; kept between runs), WC_BACKEND_ONLY=1 (skip the frontend).
# The ports of the local GitHub, Argo CD and Ollama are also in app-config.yaml.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/toolchain.sh"
cd "$WC_ROOT"
ensure_deps
ensure_go # argocd-local renders deploy/argocd's ApplicationSet with Go + sprig

GITHUB_PORT="${WC_GITHUB_PORT:-7008}"
GITHUB_DATA="${WC_GITHUB_DATA:-$WC_CACHE/github-local}"
pids=()
cleanup() {
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

if (exec 3<>"/dev/tcp/127.0.0.1/$GITHUB_PORT") 2>/dev/null; then
  echo "Port $GITHUB_PORT is in use: stop what runs there, or set WC_GITHUB_PORT (and the URLs in app-config.local.yaml)." >&2
  exit 1
fi

# 1. The local GitHub, seeded (first run only) with the example leaves of the shop catalog.
node test-infra/github-local/bin/github-local --port "$GITHUB_PORT" --data-dir "$GITHUB_DATA" \
  --repo local/catalog --seed examples/catalog/valid/shop --seed-prefix catalog/shop --quiet &
pids+=($!)
for _ in $(seq 1 100); do
  (exec 3<>"/dev/tcp/127.0.0.1/$GITHUB_PORT") 2>/dev/null && break
  sleep 0.1
done

# 2. The local Ollama, unless the port is taken (a real Ollama works as well).
if (exec 3<>"/dev/tcp/127.0.0.1/11434") 2>/dev/null; then
  echo "Port 11434 is in use (a real Ollama?): the workload status asks it for the models." >&2
else
  node test-infra/ollama-local/bin/ollama-local --port 11434 --quiet &
  pids+=($!)
fi

# 3. The local Argo CD, simulating the ApplicationSet over the local catalog repo.
if (exec 3<>"/dev/tcp/127.0.0.1/7009") 2>/dev/null; then
  echo "Port 7009 is in use: stop what runs there (the local Argo CD uses it)." >&2
  exit 1
fi
node test-infra/argocd-local/bin/argocd-local --port 7009 --quiet \
  --simulate local/catalog --github-api "http://127.0.0.1:$GITHUB_PORT/api/v3" \
  --ollama http://127.0.0.1:11434 &
pids+=($!)

# 4. The backend (backstage-cli package start: restarts on changes).
(cd packages/backend && yarn start) &
pids+=($!)

# 5. The frontend app (packages/app).
if [ -z "${WC_BACKEND_ONLY:-}" ] && [ -f packages/app/package.json ]; then
  (cd packages/app && yarn start) &
  pids+=($!)
fi

cat >&2 <<INFO

  Workload Catalog is starting:
    backend          http://localhost:7007   (scaffolder API: /api/scaffolder/v2)
    catalog repo     http://127.0.0.1:$GITHUB_PORT/local/catalog   (pull requests appear here)
    Argo CD (local)  http://127.0.0.1:7009/api/v1/applications     (simulated ApplicationSet)
    Ollama (local)   http://127.0.0.1:11434/api/tags
    frontend         http://localhost:3000   (when packages/app exists)
  Ctrl-C stops everything.

INFO
wait -n "${pids[@]}"
