#!/bin/bash
# Workload Catalog, chart ollama-inference-load: prepares, loads and checks an Ollama server's
# models.
#
#   ollama-models.sh prepare   (init container) start `ollama serve` on 127.0.0.1, wait until
#                              /api/version answers, take the model volume's lock (one pod
#                              pulls at a time on a shared volume; the others wait, then find
#                              the models there and verify them), pull every model with its
#                              progress in the log (through the platform's registry mirror
#                              when one is set, --insecure for the leaf's insecure registries),
#                              check pinned digests against /api/tags, create the custom models
#                              (after the pulls), remove the models this workload no longer
#                              declares (leaf modelPull.clean), check that every model is there,
#                              release the lock, stop the server. Any failure stops the pod
#                              with a message saying why.
#   ollama-models.sh keep-loaded  (sidecar "loader") once the server answers, load every model
#                              to load into memory (an empty /api/generate request, or an empty
#                              /api/embed request for embedding models) with the leaf's
#                              keep-alive; then check /api/ps every WC_OLLAMA_CHECK_SECONDS and
#                              load again a model that left memory (keep-alive expired, evicted).
#   ollama-models.sh load      one pass of keep-loaded (exit 1 when a load failed).
#   ollama-models.sh ready     (startup and readiness probe) the server answers, every declared
#                              model is in /api/tags and every model to load is in /api/ps.
#
# Needs only bash (its /dev/tcp), coreutils and the ollama binary: the ollama image has no curl.
# Reads the model lists the chart renders into $WC_OLLAMA_CONFIG (a ConfigMap):
#   models          "<name> <digest-prefix|->" per line: what to pull, and the pins to check
#   custom-models   "<name> <request-file>" per line: /api/create requests, in order
#   load            "<name>" per line: the models kept in memory (readiness waits for them)
# Environment: OLLAMA_HOST (its port is used; the script always talks to 127.0.0.1),
# OLLAMA_MODELS (the model volume; the lock and the owner records are in its .workload-catalog),
# WC_OLLAMA_REFRESH=true to pull models already present, WC_OLLAMA_START_SECONDS,
# WC_OLLAMA_POD (this pod's name, for the lock), WC_OLLAMA_WORKLOAD (the owner of the models,
# for clean), WC_OLLAMA_CLEAN=true, WC_OLLAMA_LOCK_STALE_SECONDS (a lock without a heartbeat for
# that long is taken over), WC_OLLAMA_INSECURE_REGISTRIES (hosts, space separated),
# WC_OLLAMA_MIRROR (host[:port] that serves registry.ollama.ai's models),
# WC_OLLAMA_MIRROR_INSECURE=true, WC_OLLAMA_KEEP_ALIVE (the load's keep_alive; unset: the
# server's OLLAMA_KEEP_ALIVE), WC_OLLAMA_LOAD_SECONDS (longest wait for one load),
# WC_OLLAMA_CHECK_SECONDS (keep-loaded's period), WC_OLLAMA_LOOPS (tests: passes, then exit).
set -uo pipefail

CONFIG=${WC_OLLAMA_CONFIG:-/opt/workload-catalog}
PORT=${OLLAMA_HOST##*:}
[[ $PORT =~ ^[0-9]+$ ]] || PORT=11434
HOST=127.0.0.1
REFRESH=${WC_OLLAMA_REFRESH:-false}
START_SECONDS=${WC_OLLAMA_START_SECONDS:-120}
SERVER_LOG=${WC_OLLAMA_SERVER_LOG:-/tmp/ollama-serve.log}
SERVER_PID=
MODELS_DIR=${OLLAMA_MODELS:-$HOME/.ollama/models}
STATE_DIR=$MODELS_DIR/.workload-catalog
LOCK=$STATE_DIR/lock
POD=${WC_OLLAMA_POD:-${HOSTNAME:-$(uname -n)}}
WORKLOAD=${WC_OLLAMA_WORKLOAD:-}
CLEAN=${WC_OLLAMA_CLEAN:-false}
LOCK_STALE=${WC_OLLAMA_LOCK_STALE_SECONDS:-120}
HEARTBEAT_SECONDS=$(((LOCK_STALE + 5) / 6))
LOCK_POLL=${WC_OLLAMA_LOCK_POLL_SECONDS:-1}
INSECURE_REGISTRIES=" ${WC_OLLAMA_INSECURE_REGISTRIES:-} "
MIRROR=${WC_OLLAMA_MIRROR:-}
MIRROR_INSECURE=${WC_OLLAMA_MIRROR_INSECURE:-false}
KEEP_ALIVE=${WC_OLLAMA_KEEP_ALIVE:-}
LOAD_SECONDS=${WC_OLLAMA_LOAD_SECONDS:-900}
CHECK_SECONDS=${WC_OLLAMA_CHECK_SECONDS:-10}
LOOPS=${WC_OLLAMA_LOOPS:-}
DEFAULT_REGISTRY=registry.ollama.ai
LOCK_HELD=
HEARTBEAT_PID=

log() { printf '%(%Y-%m-%dT%H:%M:%SZ)T [models] %s\n' -1 "$*"; }
fail() {
  log "FAILED: $*"
  if [ -n "$SERVER_PID" ] && [ -s "$SERVER_LOG" ]; then
    log "last lines of the ollama server log:"
    tail -n 30 "$SERVER_LOG" | sed 's/^/    /'
  fi
  exit 1
}

# --- HTTP over bash's /dev/tcp (HTTP/1.0: the server closes the connection after the body)

# api_open METHOD PATH [BODY] [TIMEOUT]: sends the request; sets API_FD and HTTP_STATUS and
# leaves API_FD at the start of the body. Returns 1 when the server cannot be reached.
api_open() {
  local method=$1 path=$2 body=${3-} timeout=${4:-30} line len
  HTTP_STATUS=0
  exec {API_FD}<>"/dev/tcp/$HOST/$PORT" || return 1
  len=$(LC_ALL=C; printf '%s' "${#body}")
  printf '%s %s HTTP/1.0\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: %s\r\n\r\n%s' \
    "$method" "$path" "$len" "$body" >&"$API_FD" || { api_close; return 1; }
  IFS= read -r -t "$timeout" line <&"$API_FD" || { api_close; return 1; }
  [[ $line =~ ^HTTP/[0-9.]+\ ([0-9]{3}) ]] || { api_close; return 1; }
  HTTP_STATUS=${BASH_REMATCH[1]}
  while IFS= read -r -t "$timeout" line <&"$API_FD"; do
    line=${line%$'\r'}
    [ -z "$line" ] && break
  done
  return 0
}
api_close() { exec {API_FD}>&-; }

# api_get PATH: the whole body in $BODY; returns 1 unless the answer is 200.
api_get() {
  BODY=
  api_open GET "$1" "" 10 || return 1
  local line
  while IFS= read -r -t 30 line <&"$API_FD" || [ -n "$line" ]; do BODY+=$line$'\n'; done
  api_close
  [ "$HTTP_STATUS" = 200 ]
}

# api_post PATH BODY [TIMEOUT]: the whole body in $BODY; returns 1 unless the answer is 200.
api_post() {
  BODY=
  api_open POST "$1" "$2" "${3:-30}" || return 1
  local line
  while IFS= read -r -t "${3:-30}" line <&"$API_FD" || [ -n "$line" ]; do BODY+=$line$'\n'; done
  api_close
  [ "$HTTP_STATUS" = 200 ]
}

# error_of BODY: Ollama's {"error": "..."} message, or the body's first 200 characters.
error_of() {
  if [[ $1 =~ \"error\":\"(([^\"\\]|\\.)*)\" ]]; then printf '%s' "${BASH_REMATCH[1]}"; else printf '%s' "${1:0:200}"; fi
}

# stream WHAT METHOD PATH BODY: a streaming call (/api/pull, /api/create); logs its progress
# (each new status, and downloads every 10% or 30 seconds); fails on an error or a missing
# final "success".
stream() {
  local what=$1 line status last_status= error= ok= total completed pct last_pct=-10 last_time=0 now
  api_open "$2" "$3" "$4" 60 || fail "$what: cannot reach the ollama server"
  while IFS= read -r line <&"$API_FD" || [ -n "$line" ]; do
    if [[ $line =~ \"error\":\"(([^\"\\]|\\.)*)\" ]]; then error=${BASH_REMATCH[1]}; break; fi
    [[ $line =~ \"status\":\"(([^\"\\]|\\.)*)\" ]] || continue
    status=${BASH_REMATCH[1]}
    [ "$status" = success ] && ok=1
    if [[ $line =~ \"total\":([0-9]+) ]]; then
      total=${BASH_REMATCH[1]}
      completed=0
      [[ $line =~ \"completed\":([0-9]+) ]] && completed=${BASH_REMATCH[1]}
      pct=$((total > 0 ? completed * 100 / total : 0))
      printf -v now '%(%s)T' -1
      [ "$status" != "$last_status" ] && last_pct=-10
      if [ $((pct - last_pct)) -ge 10 ] || [ $((now - last_time)) -ge 30 ]; then
        log "$what: $status $pct% ($((completed / 1048576)) of $((total / 1048576)) MiB)"
        last_pct=$pct
        last_time=$now
      fi
    elif [ "$status" != "$last_status" ]; then
      log "$what: $status"
      last_pct=-10
    fi
    last_status=$status
  done
  api_close
  [ -n "$error" ] && fail "$what: $error"
  [ "$HTTP_STATUS" = 200 ] || fail "$what: the server answered HTTP $HTTP_STATUS"
  [ -n "$ok" ] || fail "$what: the server stopped before reporting success"
}

# tags: reads /api/tags into the associative array DIGESTS (name -> digest).
declare -A DIGESTS
tags() {
  DIGESTS=()
  api_get /api/tags || return 1
  local rest=$BODY
  while [[ $rest =~ \"name\":\"([^\"]+)\"(.*)$ ]]; do
    local name=${BASH_REMATCH[1]}
    rest=${BASH_REMATCH[2]}
    DIGESTS[$name]=
    if [[ $rest =~ ^[^{}]*\"digest\":\"([0-9a-fA-F]+)\" ]]; then DIGESTS[$name]=${BASH_REMATCH[1],,}; fi
  done
}

# running: reads /api/ps into the associative array EXPIRES (loaded name -> expires_at).
declare -A EXPIRES
running() {
  EXPIRES=()
  api_get /api/ps || return 1
  local rest=$BODY name chunk
  while [[ $rest == *'"name":"'* ]]; do
    rest=${rest#*\"name\":\"}
    name=${rest%%\"*}
    chunk=${rest%%\"name\":\"*}
    EXPIRES[$name]=?
    [[ $chunk =~ \"expires_at\":\"([^\"]*)\" ]] && EXPIRES[$name]=${BASH_REMATCH[1]}
  done
}

# Declared names: pulled models and custom models.
read_lists() {
  PULL=() PINS=() CUSTOM=() CUSTOM_FILES=()
  local name pin file
  if [ -f "$CONFIG/models" ]; then
    while read -r name pin || [ -n "$name" ]; do
      [ -z "$name" ] && continue
      PULL+=("$name")
      PINS+=("${pin:--}")
    done <"$CONFIG/models"
  fi
  if [ -f "$CONFIG/custom-models" ]; then
    while read -r name file || [ -n "$name" ]; do
      [ -z "$name" ] && continue
      CUSTOM+=("$name")
      CUSTOM_FILES+=("$file")
    done <"$CONFIG/custom-models"
  fi
  LOAD=()
  if [ -f "$CONFIG/load" ]; then
    while read -r name || [ -n "$name" ]; do
      [ -n "$name" ] && LOAD+=("$name")
    done <"$CONFIG/load"
  fi
}

pin_ok() { # NAME PIN: the model's digest starts with the pin
  local digest=${DIGESTS[$1]-}
  [ "$2" = - ] || [[ -n $digest && $digest == "${2,,}"* ]]
}

stop_server() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null
    wait "$SERVER_PID" 2>/dev/null
  fi
  SERVER_PID=
}

# --- The model volume's lock: one pod pulls, creates or cleans at a time. An atomic mkdir
# (works on NFS and other shared file systems, unlike flock on some of them) holding the
# holder's pod name and a heartbeat file that a background loop rewrites; a lock whose
# heartbeat is older than WC_OLLAMA_LOCK_STALE_SECONDS (its pod died) is taken over, and so
# is a lock of this pod's own name (an earlier run of this pod that was killed).

now_s() { printf '%(%s)T' -1; }

lock_age() { # seconds since the lock's last heartbeat (or since it was made)
  local beat
  beat=$(cat "$LOCK/heartbeat" 2>/dev/null) || beat=
  [[ $beat =~ ^[0-9]+$ ]] || beat=$(stat -c %Y "$LOCK" 2>/dev/null) || beat=
  [[ $beat =~ ^[0-9]+$ ]] || beat=$(now_s)
  echo $(($(now_s) - beat))
}

break_lock() { # HOLDER: moves the lock aside, only if it is still the one of HOLDER
  local seen=$1 aside="$STATE_DIR/stale-lock.$POD.$$" holder
  mv "$LOCK" "$aside" 2>/dev/null || return 0
  holder=$(cat "$aside/holder" 2>/dev/null) || holder=
  if [ "$holder" != "$seen" ]; then
    # someone took it over in between: give it back
    mv "$aside" "$LOCK" 2>/dev/null
    return 0
  fi
  rm -rf "$aside"
}

acquire_lock() {
  mkdir -p "$STATE_DIR" 2>/dev/null || fail "cannot create $STATE_DIR on the model volume"
  local started=$SECONDS last_log=-30 holder age
  until mkdir "$LOCK" 2>/dev/null; do
    holder=$(cat "$LOCK/holder" 2>/dev/null) || holder=
    age=$(lock_age)
    if [ "$holder" = "$POD" ]; then
      log "the model lock is held by an earlier run of this pod ($POD): taking it over"
      break_lock "$holder"
    elif [ "$age" -gt "$LOCK_STALE" ]; then
      log "the model lock of ${holder:-an unknown pod} has had no heartbeat for ${age}s: taking it over"
      break_lock "$holder"
    elif [ $((SECONDS - last_log)) -ge 30 ]; then
      log "waiting for the model lock: ${holder:-another pod} is preparing the models on the shared volume (heartbeat ${age}s ago, waited $((SECONDS - started))s)"
      last_log=$SECONDS
    fi
    sleep "$LOCK_POLL"
  done
  printf '%s' "$POD" >"$LOCK/holder" && now_s >"$LOCK/heartbeat" || fail "cannot write the model lock in $LOCK"
  LOCK_HELD=1
  [ $((SECONDS - started)) -gt 0 ] && log "model lock taken after waiting $((SECONDS - started))s"
  (
    sleeper=
    trap '[ -n "$sleeper" ] && kill "$sleeper" 2>/dev/null; exit 0' TERM
    while [ -d "$LOCK" ]; do
      sleep "$HEARTBEAT_SECONDS" &
      sleeper=$!
      wait "$sleeper"
      now_s >"$LOCK/heartbeat" 2>/dev/null || exit 0
    done
  ) &
  HEARTBEAT_PID=$!
}

release_lock() {
  if [ -n "$HEARTBEAT_PID" ]; then
    kill -TERM "$HEARTBEAT_PID" 2>/dev/null
    wait "$HEARTBEAT_PID" 2>/dev/null
    HEARTBEAT_PID=
  fi
  if [ -n "$LOCK_HELD" ] && [ "$(cat "$LOCK/holder" 2>/dev/null)" = "$POD" ]; then
    rm -rf "$LOCK"
  fi
  LOCK_HELD=
}

cleanup() {
  stop_server
  release_lock
}

# --- Pulls

host_of() { # NAME (as rendered: [host/namespace/]name:tag or namespace/name:tag)
  local IFS=/ segs
  read -r -a segs <<<"$1"
  if [ "${#segs[@]}" -ge 3 ]; then echo "${segs[0]}"; else echo "$DEFAULT_REGISTRY"; fi
}

# pull_model NAME PIN: pulls NAME (from the mirror for registry.ollama.ai's models: pulled as
# <mirror>/<namespace>/<name>, its digest checked against the pin, then copied to NAME).
pull_model() {
  local name=$1 pin=$2 source=$1 insecure=
  if [ -n "$MIRROR" ] && [ "$(host_of "$name")" = "$DEFAULT_REGISTRY" ]; then
    if [[ $name == */* ]]; then source=$MIRROR/$name; else source=$MIRROR/library/$name; fi
    [ "$MIRROR_INSECURE" = true ] && insecure=1
  fi
  [[ $INSECURE_REGISTRIES == *" $(host_of "$source") "* ]] && insecure=1
  if [ "$source" = "$name" ]; then
    log "$name: pulling${insecure:+ (insecure: plain HTTP or an unverified certificate)}"
  else
    log "$name: pulling from the registry mirror as $source${insecure:+ (insecure)}"
  fi
  stream "$name" POST /api/pull "{\"model\":\"$source\",${insecure:+\"insecure\":true,}\"stream\":true}"
  [ "$source" = "$name" ] && return 0
  tags || fail "cannot list the local models after the pull of $source"
  [ -n "${DIGESTS[$source]+x}" ] || fail "$name: $source is not in /api/tags after its pull"
  if ! pin_ok "$source" "$pin"; then
    ollama rm "$source" >/dev/null 2>&1
    fail "$name: digest ${DIGESTS[$source]} from the registry mirror $MIRROR does not match the pinned sha256:$pin (the mirror serves another version: ${name} was left as it was)"
  fi
  ollama cp "$source" "$name" >/dev/null || fail "$name: ollama cp $source $name failed"
  ollama rm "$source" >/dev/null || fail "$name: ollama rm $source failed"
}

# --- Owner records and clean: $STATE_DIR/owners/<workload> lists the models a workload
# declared at its last start. clean removes (`ollama rm`) what this workload declared before
# and no longer does, unless another workload's record declares it. Models nobody recorded
# (pulled by hand, by another tool) are never removed. Runs under the lock.
clean_and_record() {
  [ -n "$WORKLOAD" ] || return 0
  local owners=$STATE_DIR/owners record=$STATE_DIR/owners/$WORKLOAD name other
  mkdir -p "$owners" || fail "cannot create $owners"
  local declared=" ${PULL[*]} ${CUSTOM[*]} "
  if [ "$CLEAN" = true ] && [ -f "$record" ]; then
    while read -r name || [ -n "$name" ]; do
      [ -z "$name" ] && continue
      [[ $declared == *" $name "* ]] && continue
      other=
      for f in "$owners"/*; do
        [ "$f" = "$record" ] || [ ! -f "$f" ] && continue
        grep -qxF -- "$name" "$f" && other=${f##*/} && break
      done
      if [ -n "$other" ]; then
        log "$name: no longer declared, kept: workload $other declares it"
      elif [ -z "${DIGESTS[$name]+x}" ]; then
        log "$name: no longer declared, already gone"
      else
        ollama rm "$name" >/dev/null || fail "$name: ollama rm failed"
        log "$name: removed (no longer declared by $WORKLOAD)"
        REMOVED=1
      fi
    done <"$record"
  fi
  printf '%s\n' "${PULL[@]}" "${CUSTOM[@]}" | sort -u >"$record.tmp" && mv "$record.tmp" "$record" ||
    fail "cannot write $record"
}

prepare() {
  read_lists
  log "models to pull: ${#PULL[@]}, custom models to create: ${#CUSTOM[@]}"
  trap cleanup EXIT
  ollama serve >"$SERVER_LOG" 2>&1 &
  SERVER_PID=$!
  local started=$SECONDS version
  until api_get /api/version; do
    kill -0 "$SERVER_PID" 2>/dev/null || { wait "$SERVER_PID"; fail "ollama serve exited with status $? before answering"; }
    [ $((SECONDS - started)) -ge "$START_SECONDS" ] && fail "ollama serve did not answer /api/version within ${START_SECONDS}s"
    sleep 0.5
  done
  [[ $BODY =~ \"version\":\"([^\"]*)\" ]] && version=${BASH_REMATCH[1]}
  log "ollama server ${version:-?} answers on $HOST:$PORT after $((SECONDS - started))s"

  acquire_lock
  tags || fail "cannot list the local models (/api/tags answered HTTP $HTTP_STATUS)"
  local i name done_names=" "
  for i in "${!PULL[@]}"; do
    name=${PULL[$i]}
    [[ $done_names == *" $name "* ]] && continue
    done_names+="$name "
    local present=1 j
    [ -n "${DIGESTS[$name]+x}" ] || present=
    for j in "${!PULL[@]}"; do
      [ "${PULL[$j]}" = "$name" ] && ! pin_ok "$name" "${PINS[$j]}" && present=
    done
    if [ -n "$present" ] && [ "$REFRESH" != true ]; then
      log "$name: already on the model volume (digest ${DIGESTS[$name]:0:12}), not pulled again"
      continue
    fi
    local pin=-
    for j in "${!PULL[@]}"; do [ "${PULL[$j]}" = "$name" ] && [ "${PINS[$j]}" != - ] && pin=${PINS[$j]}; done
    pull_model "$name" "$pin"
  done

  tags || fail "cannot list the local models after the pulls"
  for i in "${!PULL[@]}"; do
    name=${PULL[$i]}
    [ -n "${DIGESTS[$name]+x}" ] || fail "$name: not in /api/tags after its pull"
    pin_ok "$name" "${PINS[$i]}" ||
      fail "$name: digest ${DIGESTS[$name]} does not match the pinned sha256:${PINS[$i]} (the tag has moved: pin the new digest in the leaf, or use a tag that names this version)"
    [ "${PINS[$i]}" = - ] || log "$name: digest sha256:${DIGESTS[$name]:0:12}... matches the pin"
  done

  for i in "${!CUSTOM[@]}"; do
    name=${CUSTOM[$i]}
    local request
    request=$(<"$CONFIG/${CUSTOM_FILES[$i]}") || fail "$name: cannot read ${CUSTOM_FILES[$i]}"
    log "$name: creating from its Modelfile data"
    stream "$name" POST /api/create "$request"
  done

  tags || fail "cannot list the local models"
  REMOVED=
  clean_and_record
  if [ -n "$REMOVED" ]; then tags || fail "cannot list the local models"; fi
  for name in "${PULL[@]}" "${CUSTOM[@]}"; do
    [ -n "${DIGESTS[$name]+x}" ] || fail "$name: missing after preparation"
  done
  release_lock
  log "all ${#DIGESTS[@]} local models ready:"
  for name in "${!DIGESTS[@]}"; do log "  $name sha256:${DIGESTS[$name]:0:12}"; done
  stop_server
  log "done"
}

# keep_alive_json: the load request's keep_alive member, or nothing (the server's
# OLLAMA_KEEP_ALIVE applies). A number of seconds is sent as a JSON number: Ollama's API reads
# a string with Go's time.ParseDuration, which refuses "-1" (its env variable takes both).
keep_alive_json() {
  if [ -z "$KEEP_ALIVE" ]; then return; fi
  if [[ $KEEP_ALIVE =~ ^-?[0-9]+$ ]]; then printf ',"keep_alive":%s' "$KEEP_ALIVE"; else printf ',"keep_alive":"%s"' "$KEEP_ALIVE"; fi
}

# load_one NAME: loads NAME into memory. Embedding models (/api/show capabilities "embedding")
# load through an empty /api/embed request, the others through an empty /api/generate one.
load_one() {
  local name=$1 path=/api/generate started=$SECONDS
  if api_post /api/show "{\"model\":\"$name\"}" 30 && [[ $BODY =~ \"capabilities\":\[[^]]*\"embedding\" ]]; then
    path=/api/embed
  fi
  if ! api_post "$path" "{\"model\":\"$name\"$(keep_alive_json)}" "$LOAD_SECONDS"; then
    if [ "$HTTP_STATUS" = 0 ]; then
      log "$name: loading failed: no answer from the ollama server within ${LOAD_SECONDS}s"
    else
      log "$name: loading failed: HTTP $HTTP_STATUS: $(error_of "$BODY")"
    fi
    return 1
  fi
  log "$name: loaded into memory through $path in $((SECONDS - started))s${KEEP_ALIVE:+ (keep_alive $KEEP_ALIVE)}"
}

# load_missing [FIRST]: loads the models to load that /api/ps does not list.
load_missing() {
  if ! running; then
    if [ "$HTTP_STATUS" = 0 ]; then log "cannot read the loaded models: the ollama server does not answer"; else log "cannot read the loaded models: /api/ps answered HTTP $HTTP_STATUS"; fi
    return 1
  fi
  local name failed=
  for name in "${LOAD[@]}"; do
    [ -n "${EXPIRES[$name]+x}" ] && continue
    if [ -n "${1-}" ]; then
      log "$name: loading"
    else
      log "$name: no longer loaded (its keep-alive expired or it was evicted): loading again"
    fi
    load_one "$name" || failed=1
  done
  [ -z "$failed" ]
}

wait_for_server() {
  local logged=
  until api_get /api/version; do
    [ -n "$logged" ] || log "waiting for the ollama server on $HOST:$PORT"
    logged=1
    sleep 1
  done
}

keep_loaded() {
  read_lists
  log "models to keep loaded: ${LOAD[*]:-none}"
  wait_for_server
  local pass=0 first=1
  while :; do
    if load_missing $first; then first=; fi
    pass=$((pass + 1))
    [ -n "$LOOPS" ] && [ "$pass" -ge "$LOOPS" ] && break
    sleep "$CHECK_SECONDS"
  done
}

load_once() {
  read_lists
  load_missing first || exit 1
}

ready() {
  read_lists
  tags || { echo "ollama does not answer /api/tags (HTTP $HTTP_STATUS)"; exit 1; }
  local name missing=() unloaded=()
  for name in "${PULL[@]}" "${CUSTOM[@]}"; do
    [ -n "${DIGESTS[$name]+x}" ] || missing+=("$name")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    echo "models not present: ${missing[*]}"
    exit 1
  fi
  running || { echo "ollama does not answer /api/ps (HTTP $HTTP_STATUS)"; exit 1; }
  for name in "${LOAD[@]}"; do
    [ -n "${EXPIRES[$name]+x}" ] || unloaded+=("$name")
  done
  if [ "${#unloaded[@]}" -gt 0 ]; then
    echo "models not loaded yet: ${unloaded[*]} (the loader container loads them)"
    exit 1
  fi
  echo "ready: $((${#PULL[@]} + ${#CUSTOM[@]})) declared models present, ${#LOAD[@]} loaded"
}

case "${1:-}" in
  prepare) prepare ;;
  ready) ready ;;
  load) load_once ;;
  keep-loaded) keep_loaded ;;
  *)
    echo "usage: $0 prepare|ready|load|keep-loaded" >&2
    exit 2
    ;;
esac
