#!/usr/bin/env bash
# Starts the whole suite on this machine: a private PostgreSQL, the bus, each service as N
# replicas behind HAProxy on the services' well-known ports, and the console (web pages) on
# 8085, in the background, with logs and pid files under .local/. Run again with other counts
# to scale; stop with down.sh.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/balancer.sh"
cd "$ROOT"

usage() {
    cat <<'USAGE'
Usage: Deploy/local/up.sh [--intake-replicas N] [--matching-replicas N] [--supplies-replicas N] [--outreach-replicas N] [--no-build]

Starts (or scales) the suite: a private PostgreSQL (.local/postgres, password authentication),
shouwang-bus, each service as N replicas (default 1; a count not given keeps the last run's,
kept in .local/replicas) behind HAProxy on 127.0.0.1:8081–8084 (intake, matching, supplies,
outreach), and the console on 127.0.0.1:8085. Replica k of a service listens on its port
+ 10000 + 100·(k−1) (intake: 18081, 18181, 18281…). Running it again with other counts starts the missing replicas,
rewrites the balancer's config (reloaded without dropping a connection), and stops extra replicas
gracefully once the balancer no longer sends them anything. Secrets (.local/token-secret,
.local/postgres-password, .local/keys/, .local/env) are readable by their owner only.

--no-build starts the binaries already built (to scale during a round without rebuilding the
working tree); a new replica runs whatever binary is there.

The console (shouwang-console, one process: its sessions are in the database) calls the four
services through the balancer. The first run makes its first account, `operator` (whole city),
with a random password in .local/console-operator-password (0600); that operator adds the
others with `shouwang users add`. SHOUWANG_CONSOLE_PUBLIC_URL (default http://127.0.0.1:8085)
is the address its personal links and QR codes carry; SHOUWANG_CONSOLE_HOST (default
127.0.0.1) the address it listens on (0.0.0.0 to let phones on the local network in).

  console         http://127.0.0.1:8085/        balancer stats  http://127.0.0.1:8404/
  status          source .local/env && shouwang status
  logs            .local/logs/NAME.log          stop    Deploy/local/down.sh
USAGE
}

BUILD=1
SERVICES=(intake matching supplies outreach)
declare -A PORT=([intake]=8081 [matching]=8082 [supplies]=8083 [outreach]=8084)
declare -A REPLICAS=([intake]=1 [matching]=1 [supplies]=1 [outreach]=1)
CONSOLE_PORT=8085
CONSOLE_PUBLIC_URL=${SHOUWANG_CONSOLE_PUBLIC_URL:-http://127.0.0.1:$CONSOLE_PORT}
# The counts of the last run (.local/replicas): a count not given on this run stays as it was.
if [ -f "$LOCAL/replicas" ]; then
    while read -r service count; do
        [[ -n ${REPLICAS[$service]:-} && $count =~ ^[1-9][0-9]?$ ]] && REPLICAS[$service]=$count
    done <"$LOCAL/replicas"
fi
while [ $# -gt 0 ]; do
    case $1 in
        --intake-replicas|--matching-replicas|--supplies-replicas|--outreach-replicas)
            [ $# -ge 2 ] && [[ $2 =~ ^[1-9][0-9]?$ ]] || die "$1 takes a count from 1 to 99"
            name=${1#--}; REPLICAS[${name%-replicas}]=$2; shift ;;
        --no-build) BUILD=0 ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; die "unknown option $1" ;;
    esac
    shift
done
replica_port() { echo $((PORT[$1] + 10000 + 100 * ($2 - 1))); }

# wrk: the HTTP load of `shouwang bench`; jq: the README examples; the console's (lib.sh).
ensure_packages wrk jq haproxy "${CONSOLE_PACKAGES[@]}"
# Secrets are readable by their owner only.
umask 077
[ -f "$LOCAL/postgres-password" ] || head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$LOCAL/postgres-password"
SHOUWANG_PG_PASSWORD_FILE="$LOCAL/postgres-password" start_postgres "$LOCAL/postgres"
create_database shouwang
export SHOUWANG_DATABASE_URL="postgres://shouwang:$(cat "$LOCAL/postgres-password")@127.0.0.1:$SHOUWANG_PG_PORT/shouwang"

if [ "$BUILD" -eq 1 ]; then
    say "building (the first build takes several minutes)"
    swift build
fi
BIN="$(swift build --show-bin-path)"
for binary in shouwang shouwang-bus shouwang-intake shouwang-matching shouwang-supplies shouwang-outreach shouwang-console; do
    [ -x "$BIN/$binary" ] || die "$BIN/$binary is not built: run up.sh without --no-build"
done

# One token secret for every local process, kept across restarts so issued tokens stay valid.
[ -f "$LOCAL/token-secret" ] || head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$LOCAL/token-secret"
export SHOUWANG_TOKEN_SECRET="$(cat "$LOCAL/token-secret")"
# Integrators' tokens (the bus's event stream) have a secret of their own: the bus never holds
# the services' secret, so it could not forge their tokens.
[ -f "$LOCAL/integrator-token-secret" ] || head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$LOCAL/integrator-token-secret"
INTEGRATOR_TOKEN_SECRET="$(cat "$LOCAL/integrator-token-secret")"

"$BIN/shouwang" migrate
mkdir -p "$LOCAL/run" "$LOCAL/logs"

# The console's first account, made once so a newcomer can sign in: an operator for the whole
# city, who adds everyone else (shouwang users add). Its password goes to a file (umask 077
# above: 0600), never to the terminal or a command line.
OPERATOR_PASSWORD_FILE="$LOCAL/console-operator-password"
if [ ! -s "$OPERATOR_PASSWORD_FILE" ]; then
    operator_password=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
    if printf '%s\n' "$operator_password" | "$BIN/shouwang" users add --username operator --role operator >>"$LOCAL/logs/users.log" 2>&1; then
        printf '%s\n' "$operator_password" >"$OPERATOR_PASSWORD_FILE"
        chmod 0600 "$OPERATOR_PASSWORD_FILE"
        say "made the console's first account: operator (password in $OPERATOR_PASSWORD_FILE)"
    else
        tail -n 3 "$LOCAL/logs/users.log" >&2
        say "warning: could not make the console account 'operator' (above); add one yourself: printf '%s\n' \"\$PASSWORD\" | shouwang users add --username NAME --role operator"
    fi
    unset operator_password
fi
# The bus requires CURVE: its key pair and one key per process, registered in the database.
provision_bus_keys "$LOCAL/keys" "$BIN"
export SHOUWANG_BUS_SERVER_KEY="$(cat "$LOCAL/keys/bus.pub")"

cat >"$LOCAL/env" <<ENV
export SHOUWANG_DATABASE_URL=$SHOUWANG_DATABASE_URL
export SHOUWANG_TOKEN_SECRET=$SHOUWANG_TOKEN_SECRET
export SHOUWANG_INTEGRATOR_TOKEN_SECRET=$INTEGRATOR_TOKEN_SECRET
export SHOUWANG_BUS_SERVER_KEY='$SHOUWANG_BUS_SERVER_KEY'
export SHOUWANG_BUS_SECRET_KEY_FILE=$LOCAL/keys/operator.key
export PATH="$BIN:\$PATH"
ENV
export SHOUWANG_BUS_SECRET_KEY_FILE="$LOCAL/keys/operator.key"
# The balancer is the only proxy whose X-Forwarded-For the replicas believe.
export SHOUWANG_TRUSTED_PROXIES=127.0.0.1

running() { [ -f "$LOCAL/run/$1.pid" ] && kill -0 "$(cat "$LOCAL/run/$1.pid")" 2>/dev/null; }

# http_ready PORT: whether 127.0.0.1:PORT answers GET /readyz?for=traffic with 200 (no curl needed).
http_ready() {
    (
        exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
        printf 'GET /readyz?for=traffic HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&3
        IFS= read -r -t 5 status <&3 || exit 1
        [[ $status == "HTTP/1."?" 200"* ]]
    ) 2>/dev/null
}

# start_process NAME COMMAND...: unless NAME runs already, starts it with its log and pid file.
start_process() {
    local name=$1; shift
    if running "$name"; then return 0; fi
    nohup "$@" >>"$LOCAL/logs/$name.log" 2>&1 &
    echo $! >"$LOCAL/run/$name.pid"
    say "started $name (pid $!)"
}

# A suite started before replicas had names (intake.pid …) holds the balancer's ports: stop it.
for service in "${SERVICES[@]}"; do
    if running "$service"; then
        say "stopping $service (started without a balancer; its replicas take over)"
        pid=$(cat "$LOCAL/run/$service.pid"); kill -TERM "$pid"
        for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    fi
    rm -f "$LOCAL/run/$service.pid"
done

SHOUWANG_TOKEN_SECRET= SHOUWANG_INTEGRATOR_TOKEN_SECRET="$INTEGRATOR_TOKEN_SECRET" \
    SHOUWANG_BUS_SERVER_SECRET_KEY_FILE="$LOCAL/keys/bus.key" start_process bus "$BIN/shouwang-bus"
expected=(bus)
entries=()
for service in "${SERVICES[@]}"; do
    ports=()
    for k in $(seq 1 "${REPLICAS[$service]}"); do
        port=$(replica_port "$service" "$k")
        if ! running "$service-$k" && port_in_use "$port"; then die "port $port (replica $k of $service) is taken by another program"; fi
        SHOUWANG_HTTP_PORT=$port SHOUWANG_BUS_SECRET_KEY_FILE="$LOCAL/keys/$service.key" start_process "$service-$k" "$BIN/shouwang-$service"
        expected+=("$service-$k")
        ports+=("$port")
    done
    entries+=("$service:${PORT[$service]}:$(IFS=,; echo "${ports[*]}")")
done
# The console: one process, reached directly (nothing proxies it, so it believes no
# X-Forwarded-For); it calls the services through the balancer's ports with each viewer's
# token, and the balancer is the proxy intake believes for the visitor's address.
if ! running console && port_in_use "$CONSOLE_PORT"; then die "port $CONSOLE_PORT (the console) is taken by another program"; fi
SHOUWANG_HTTP_HOST=${SHOUWANG_CONSOLE_HOST:-127.0.0.1} SHOUWANG_HTTP_PORT=$CONSOLE_PORT SHOUWANG_TRUSTED_PROXIES='' \
    SHOUWANG_BUS_SECRET_KEY_FILE="$LOCAL/keys/console.key" SHOUWANG_CONSOLE_PUBLIC_URL="$CONSOLE_PUBLIC_URL" \
    SHOUWANG_INTAKE_URL=http://127.0.0.1:${PORT[intake]} SHOUWANG_MATCHING_URL=http://127.0.0.1:${PORT[matching]} \
    SHOUWANG_SUPPLIES_URL=http://127.0.0.1:${PORT[supplies]} SHOUWANG_OUTREACH_URL=http://127.0.0.1:${PORT[outreach]} \
    start_process console "$BIN/shouwang-console"
expected+=(console)
# Extra replicas from an earlier, larger run: out of the balancer first, then stopped.
extra=()
shopt -s nullglob
for pidfile in "$LOCAL"/run/*.pid; do
    name=$(basename "$pidfile" .pid)
    [ "$name" = haproxy ] && continue
    [[ " ${expected[*]} " == *" $name "* ]] || extra+=("$name")
done

for service in "${SERVICES[@]}"; do echo "$service ${REPLICAS[$service]}"; done >"$LOCAL/replicas"
write_balancer_config "$LOCAL/haproxy.cfg" 127.0.0.1 8404 "${entries[@]}"
start_balancer "$LOCAL/haproxy.cfg" "$LOCAL/run/haproxy.pid" "$LOCAL/logs/haproxy.log"
if [ ${#extra[@]} -gt 0 ]; then
    sleep 1   # the old balancer process finishes the requests it holds; the new one knows nothing of these
    for name in "${extra[@]}"; do
        if running "$name"; then
            kill -TERM "$(cat "$LOCAL/run/$name.pid")"
            say "stopping $name (scaled down; it finishes what it holds)"
        fi
        rm -f "$LOCAL/run/$name.pid"
    done
fi

if [ -s "$OPERATOR_PASSWORD_FILE" ]; then
    CONSOLE_SIGN_IN="first sign-in: operator, password in $OPERATOR_PASSWORD_FILE"
else
    CONSOLE_SIGN_IN="no first account was made (see above): add one with shouwang users add --role operator"
fi
say "waiting until everything is ready"
for _ in $(seq 1 90); do
    for name in "${expected[@]}"; do
        running "$name" || {
            tail -n 20 "$LOCAL/logs/$name.log" >&2
            die "$name exited; its log is $LOCAL/logs/$name.log"
        }
    done
    if "$BIN/shouwang" status >"$LOCAL/status.txt" 2>&1 && http_ready "$CONSOLE_PORT"; then
        cat "$LOCAL/status.txt"
        cat <<DONE

Shouwang is running.
  database   postgres://shouwang:***@127.0.0.1:$SHOUWANG_PG_PORT/shouwang   (cluster in $LOCAL/postgres; password in $LOCAL/postgres-password)
  bus        publish tcp://127.0.0.1:5550  subscribe tcp://127.0.0.1:5551  replay tcp://127.0.0.1:5552
             CURVE on: keys in $LOCAL/keys/ (shouwang keys list|create|revoke); health on :8080
  events     http://127.0.0.1:8080/v1/events?prefix=…   (Server-Sent Events for integrators: docs/INTEGRATORS.md)
  services   intake :8081  matching :8082  supplies :8083  outreach :8084   (HAProxy; /healthz /readyz /metrics)
  console    $CONSOLE_PUBLIC_URL/   (web pages for staff, dispatchers, callers, volunteers, operations room)
             $CONSOLE_SIGN_IN
             more accounts: printf '%s\\n' "\$PASSWORD" | shouwang users add --username NAME --role staff|dispatcher|caller|operator [--area CODE]
  replicas   intake ${REPLICAS[intake]}, matching ${REPLICAS[matching]}, supplies ${REPLICAS[supplies]}, outreach ${REPLICAS[outreach]}   (scale: up.sh --intake-replicas N)
  balancer   stats http://127.0.0.1:8404/   config $LOCAL/haproxy.cfg
  logs       $LOCAL/logs/      pids  $LOCAL/run/
  CLI        source .local/env && shouwang tail '' --from 0
  token      shouwang token --role operator --subject me   (then: curl -H "Authorization: Bearer …")
  stop       Deploy/local/down.sh
DONE
        exit 0
    fi
    sleep 1
done
cat "$LOCAL/status.txt" 2>/dev/null || true
die "not ready after 90 s; logs are in $LOCAL/logs/"
