#!/usr/bin/env bash
# Applies every connector file to a Kafka Connect worker and waits until each connector and all its
# tasks are RUNNING. Safe to re-run: PUT /connectors/{name}/config creates or updates in place.
#
#   apply-connectors.sh [CONNECTOR_DIR]
#
# CONNECTOR_DIR   folder of <connector-name>.json files, each the bare config map
#                 (default: src/main/resources/connectors next to this script)
# CONNECT_URL     Connect REST API (default http://127.0.0.1:8083)
# CONNECT_TIMEOUT seconds to wait for the API, and then for each connector (default 120)
#
# WATCH_INTERVAL  if set (seconds): after applying, keep running as a supervisor that restarts
#                 failed connectors/tasks at this interval (Connect itself never restarts them, e.g.
#                 after a database outage longer than the sink's own retries)
#
# Exits 0 when all run; otherwise 1 with the reason (HTTP error body or the failed task's trace).
# A task found FAILED is restarted once (e.g. after a database outage) before giving up.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
dir="${1:-${CONNECTOR_DIR:-$here/src/main/resources/connectors}}"
url="${CONNECT_URL:-http://127.0.0.1:8083}"
timeout="${CONNECT_TIMEOUT:-120}"

log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*"; }
die() { printf 'apply-connectors: %s\n' "$*" >&2; exit 1; }

command -v curl >/dev/null || die "curl is required"
shopt -s nullglob
files=("$dir"/*.json)
[ ${#files[@]} -gt 0 ] || die "no connector files (*.json) in $dir"

# status <name>: prints "<connector-state> <task-state>..." (empty if unknown yet)
states() {
  local body="$1"
  if command -v jq >/dev/null; then
    jq -r '[.connector.state] + [.tasks[].state] | join(" ")' <<<"$body"
  else
    # The connector's state comes first in the document, then the tasks' in order.
    grep -o '"state":"[A-Z_]*"' <<<"$body" | sed 's/.*:"\(.*\)"/\1/' | tr '\n' ' '
  fi
}

traces() {
  local body="$1"
  if command -v jq >/dev/null; then
    jq -r '(.connector | select(.state == "FAILED") | "connector: " + (.trace // "")),
           (.tasks[] | select(.state == "FAILED") | "task \(.id): " + (.trace // ""))' <<<"$body"
  else
    grep -o '"trace":"\([^"\\]\|\\.\)*"' <<<"$body" | sed 's/^"trace":"//; s/"$//; s/\\"/"/g' | while IFS= read -r t; do
      printf '%b\n' "$t"
    done
  fi
}

deadline=$(( $(date +%s) + timeout ))
log "waiting for Kafka Connect at $url"
until curl -sf -o /dev/null "$url/connectors"; do
  [ "$(date +%s)" -lt "$deadline" ] || die "Kafka Connect REST API at $url not reachable after ${timeout}s"
  sleep 1
done

for f in "${files[@]}"; do
  name="$(basename "$f" .json)"
  deadline=$(( $(date +%s) + timeout ))
  while :; do
    out="$(mktemp)"
    code="$(curl -s -o "$out" -w '%{http_code}' -X PUT -H 'Content-Type: application/json' \
      --data-binary "@$f" "$url/connectors/$name/config")" || code=000
    body="$(cat "$out")"; rm -f "$out"
    case "$code" in
      200) log "$name: config updated"; break ;;
      201) log "$name: created"; break ;;
      409|5??|000)
        # Rebalance in progress or worker still starting: try again.
        [ "$(date +%s)" -lt "$deadline" ] || die "$name: PUT failed after ${timeout}s: HTTP $code $body"
        sleep 1 ;;
      *) die "$name: PUT rejected: HTTP $code $body" ;;
    esac
  done
done

for f in "${files[@]}"; do
  name="$(basename "$f" .json)"
  deadline=$(( $(date +%s) + timeout ))
  restarted=no
  while :; do
    body="$(curl -s "$url/connectors/$name/status" || true)"
    read -r -a st <<<"$(states "$body" 2>/dev/null || true)"
    if [ ${#st[@]} -ge 2 ]; then
      all_running=yes; failed=no
      for s in "${st[@]}"; do
        [ "$s" = RUNNING ] || all_running=no
        [ "$s" = FAILED ] && failed=yes
      done
      if [ "$all_running" = yes ]; then
        log "$name: RUNNING ($(( ${#st[@]} - 1 )) task(s))"
        break
      fi
      if [ "$failed" = yes ]; then
        if [ "$restarted" = no ]; then
          log "$name: FAILED, restarting failed instances once"
          curl -s -o /dev/null -X POST "$url/connectors/$name/restart?includeTasks=true&onlyFailed=true" || true
          restarted=yes
          sleep 2
          continue
        fi
        printf 'apply-connectors: %s: FAILED (%s)\n' "$name" "${st[*]}" >&2
        traces "$body" >&2
        exit 1
      fi
    fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
      printf 'apply-connectors: %s: not RUNNING after %ss: %s\n' "$name" "$timeout" "$body" >&2
      exit 1
    fi
    sleep 1
  done
done
log "all ${#files[@]} connector(s) RUNNING"

if [ -n "${WATCH_INTERVAL:-}" ]; then
  log "watching for failed tasks every ${WATCH_INTERVAL}s"
  while sleep "$WATCH_INTERVAL"; do
    for f in "${files[@]}"; do
      name="$(basename "$f" .json)"
      body="$(curl -s "$url/connectors/$name/status" || true)"
      if grep -q '"state":"FAILED"' <<<"$body"; then
        log "$name: FAILED, restarting: $(traces "$body" | head -n 1)"
        curl -s -o /dev/null -X POST "$url/connectors/$name/restart?includeTasks=true&onlyFailed=true" || true
      fi
    done
  done
fi
