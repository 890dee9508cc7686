#!/usr/bin/env bash
# Stops exactly what up.sh started: the balancer and the processes in .local/run/*.pid, then
# the private PostgreSQL cluster. Data stays in .local/postgres for next time.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

shopt -s nullglob
pids=()
for pidfile in "$LOCAL"/run/*.pid; do
    pid=$(cat "$pidfile")
    name=$(basename "$pidfile" .pid)
    # The executable a pid file may name: shouwang-intake for intake-2, haproxy for haproxy.
    program="shouwang-${name%-[0-9]*}"
    [ "$name" = haproxy ] && program=haproxy
    if kill -0 "$pid" 2>/dev/null && grep -q "$program" "/proc/$pid/cmdline" 2>/dev/null; then
        # HAProxy's soft stop is SIGUSR1 (listeners close, requests in flight finish).
        if [ "$name" = haproxy ]; then kill -USR1 "$pid"; else kill -TERM "$pid"; fi
        pids+=("$pid")
        say "stopping $name (pid $pid)"
    fi
    rm -f "$pidfile"
done
# A service drains for 4 s and gives up on requests that never end after 20 s
# (SHOUWANG_DRAIN_SECONDS, SHOUWANG_SHUTDOWN_GRACE_SECONDS): wait a little longer than that.
for _ in $(seq 1 250); do
    alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ $alive -eq 0 ] && break
    sleep 0.1
done
for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && { say "pid $pid did not stop in 25 s; killing"; kill -KILL "$pid"; }; done
stop_postgres "$LOCAL/postgres"
say "stopped"
