#!/bin/bash
# Workload Catalog, chart ollama-inference-load: prepares and checks an Ollama server's models.
#
#   ollama-models.sh prepare   (init container) start `ollama serve` on 127.0.0.1, wait until
#                              /api/version answers, pull every model with its progress in the
#                              log, check pinned digests against /api/tags, create the custom
#                              models (after the pulls), check that every model is there, stop
#                              the server. Any failure stops the pod with a message saying why.
#   ollama-models.sh ready     (startup and readiness probe) the server answers /api/tags and
#                              every declared model is in it.
#
# Needs only bash (its /dev/tcp) and the ollama binary: the ollama image has no curl.
# Reads the model lists the chart renders into $WC_OLLAMA_CONFIG (a ConfigMap):
#   models          "<name> <digest-prefix|->" per line: what to pull, and the pins to check
#   custom-models   "<name> <request-file>" per line: /api/create requests, in order
# Environment: OLLAMA_HOST (its port is used; the script always talks to 127.0.0.1),
# WC_OLLAMA_REFRESH=true to pull models already present, WC_OLLAMA_START_SECONDS.
set -uo pipefail

CONFIG=${WC_OLLAMA_CONFIG:-/opt/workload-catalog}
PORT=${OLLAMA_HOST##*:}
[[ $PORT =~ ^[0-9]+$ ]] || PORT=11434
HOST=127.0.0.1
REFRESH=${WC_OLLAMA_REFRESH:-false}
START_SECONDS=${WC_OLLAMA_START_SECONDS:-120}
SERVER_LOG=${WC_OLLAMA_SERVER_LOG:-/tmp/ollama-serve.log}
SERVER_PID=

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

prepare() {
  read_lists
  log "models to pull: ${#PULL[@]}, custom models to create: ${#CUSTOM[@]}"
  trap stop_server EXIT
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
    log "$name: pulling"
    stream "$name" POST /api/pull "{\"model\":\"$name\",\"stream\":true}"
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
  for name in "${PULL[@]}" "${CUSTOM[@]}"; do
    [ -n "${DIGESTS[$name]+x}" ] || fail "$name: missing after preparation"
  done
  log "all ${#DIGESTS[@]} local models ready:"
  for name in "${!DIGESTS[@]}"; do log "  $name sha256:${DIGESTS[$name]:0:12}"; done
  stop_server
  log "done"
}

ready() {
  read_lists
  tags || { echo "ollama does not answer /api/tags (HTTP $HTTP_STATUS)"; exit 1; }
  local name missing=()
  for name in "${PULL[@]}" "${CUSTOM[@]}"; do
    [ -n "${DIGESTS[$name]+x}" ] || missing+=("$name")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    echo "models not present: ${missing[*]}"
    exit 1
  fi
  echo "ready: $((${#PULL[@]} + ${#CUSTOM[@]})) declared models present"
}

case "${1:-}" in
  prepare) prepare ;;
  ready) ready ;;
  *)
    echo "usage: $0 prepare|ready" >&2
    exit 2
    ;;
esac
