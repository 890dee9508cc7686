#!/usr/bin/env bash
# Starts the whole suite on this machine: a private PostgreSQL, the bus and the four
# services in the background, with logs and pid files under .local/. Stop with down.sh.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

SERVICES=(bus intake matching supplies outreach)
ensure_packages wrk jq   # wrk: the HTTP load of `shouwang bench`; jq: the README examples
start_postgres "$LOCAL/postgres"
create_database shouwang
export SHOUWANG_DATABASE_URL="postgres://shouwang@127.0.0.1:$SHOUWANG_PG_PORT/shouwang"

say "building (the first build takes several minutes)"
swift build
BIN="$(swift build --show-bin-path)"

# Secrets are readable by their owner only.
umask 077
# One token secret for every local process, kept across restarts so issued tokens stay valid.
[ -f "$LOCAL/token-secret" ] || head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$LOCAL/token-secret"
export SHOUWANG_TOKEN_SECRET="$(cat "$LOCAL/token-secret")"

"$BIN/shouwang" migrate
# The bus requires CURVE: its key pair and one key per process, registered in the database.
provision_bus_keys "$LOCAL/keys" "$BIN"
export SHOUWANG_BUS_SERVER_KEY="$(cat "$LOCAL/keys/bus.pub")"

cat >"$LOCAL/env" <<ENV
export SHOUWANG_DATABASE_URL=$SHOUWANG_DATABASE_URL
export SHOUWANG_TOKEN_SECRET=$SHOUWANG_TOKEN_SECRET
export SHOUWANG_BUS_SERVER_KEY='$SHOUWANG_BUS_SERVER_KEY'
export SHOUWANG_BUS_SECRET_KEY_FILE=$LOCAL/keys/operator.key
export PATH="$BIN:\$PATH"
ENV
export SHOUWANG_BUS_SECRET_KEY_FILE="$LOCAL/keys/operator.key"
mkdir -p "$LOCAL/run" "$LOCAL/logs"
for name in "${SERVICES[@]}"; do
    pidfile="$LOCAL/run/$name.pid"
    if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
        say "$name already running (pid $(cat "$pidfile"))"
        continue
    fi
    if [ "$name" = bus ]; then
        SHOUWANG_BUS_SERVER_SECRET_KEY_FILE="$LOCAL/keys/bus.key" nohup "$BIN/shouwang-bus" >>"$LOCAL/logs/bus.log" 2>&1 &
    else
        SHOUWANG_BUS_SECRET_KEY_FILE="$LOCAL/keys/$name.key" nohup "$BIN/shouwang-$name" >>"$LOCAL/logs/$name.log" 2>&1 &
    fi
    echo $! >"$pidfile"
    say "started $name (pid $!)"
done

say "waiting until everything is ready"
for _ in $(seq 1 60); do
    for name in "${SERVICES[@]}"; do
        kill -0 "$(cat "$LOCAL/run/$name.pid")" 2>/dev/null || {
            tail -n 20 "$LOCAL/logs/$name.log" >&2
            die "$name exited; its log is $LOCAL/logs/$name.log"
        }
    done
    if "$BIN/shouwang" status >/dev/null 2>&1; then
        "$BIN/shouwang" status
        cat <<DONE

Shouwang is running.
  database   $SHOUWANG_DATABASE_URL   (cluster in $LOCAL/postgres)
  bus        publish tcp://127.0.0.1:5550  subscribe tcp://127.0.0.1:5551  replay tcp://127.0.0.1:5552
             CURVE on: keys in $LOCAL/keys/ (shouwang keys list|create|revoke); health on :8080
  services   intake :8081  matching :8082  supplies :8083  outreach :8084  (/healthz /readyz /metrics)
  logs       $LOCAL/logs/      pids  $LOCAL/run/
  CLI        source .local/env && shouwang tail '' --from 0
  token      shouwang token --role operator --subject me   (then: curl -H "Authorization: Bearer …")
  stop       Deploy/local/down.sh
DONE
        exit 0
    fi
    sleep 1
done
"$BIN/shouwang" status || true
die "not ready after 60 s; logs are in $LOCAL/logs/"
