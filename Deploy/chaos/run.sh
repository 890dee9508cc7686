#!/usr/bin/env bash
# The chaos suite: a check-in surge on two intake replicas while the bus, each replica and
# PostgreSQL itself are killed and restarted; then checks that what clients were told is
# stored, stored once, sequenced, and delivered once per topic in order to a subscriber.
# Run with --help for the options. Processes, logs and the database cluster are private
# to this script (.local/chaos-postgres, loopback ports below the ephemeral range).
set -euo pipefail
source "$(dirname "$0")/../local/lib.sh"
source "$(dirname "$0")/../local/balancer.sh"
HERE="$ROOT/Deploy/chaos"
cd "$ROOT"

usage() {
    cat <<'USAGE'
Usage: Deploy/chaos/run.sh [options]

Each round: a fresh database on a private, durable PostgreSQL cluster (.local/chaos-postgres);
shouwang-bus, two shouwang-intake replicas and a subscriber (`shouwang tail intake. --from 0`);
8 clients posting batches of 100 check-ins with an Idempotency-Key each, retrying the same
key until acknowledged, alternating replicas. During the surge: SIGKILL the bus (restart after
--bus-down), SIGKILL each intake replica in turn (restart after --intake-down), and stop
PostgreSQL with `pg_ctl stop -m immediate` (restart after --postgres-down). Then wait up to
--settle seconds and check:
  (a) every acknowledged check-in is stored, exactly once;
  (b) one idempotency key, one write (and each check-in announced once in the outbox);
  (c) no outbox row of stream intake left unsequenced (else: RELAY STALL, with its age);
  (d) the subscriber got every intake topic's seq 1..head, in order, without gap or repeat.

Options:
  --rounds N            rounds to run (default 1)
  --seconds S           length of the surge in each round (default 40)
  --kill-bus-at T       seconds into the surge to kill the bus (default 15% of S)
  --kill-intake-at T    seconds into the surge to kill the first replica (default 30% of S);
                        the second follows --intake-gap seconds later (default 15% of S)
  --kill-postgres-at T  seconds into the surge to crash PostgreSQL (default 60% of S)
  --bus-down D          seconds the bus stays down (default 2)
  --intake-down D       seconds a replica stays down (default 1)
  --postgres-down D     seconds PostgreSQL stays down (default 5)
  --no-kill-bus, --no-kill-intake, --no-kill-postgres    leave that one alone
  --balancer            the balancer round: three intake replicas behind HAProxy (Deploy/local/
                        balancer.sh), every client posting through it; at --kill-intake-at the
                        first replica is SIGKILLed (restarted after --intake-down) and --intake-gap
                        later the second is removed with SIGTERM for good. Also checks that the
                        balancer marked the killed replica down within --down-within seconds
                        (default 5) and that the removed one finished its requests and exited.
  --settle S            at most this long to wait for the relay and subscriber (default 60)
  --clients N           concurrent clients (default 8)
  --batch N             check-ins per batch (default 100)
  --log-level L         the services' log level (default info)
  --keep-logs DIR       keep each round's logs in DIR/round-N (default: a new temp dir)
                        (a failed round also keeps its database; its name is printed)
  --no-build            use the binaries already built (swift build --show-bin-path)
  -h, --help            this text

Short (CI, ~1 min; ~1.5 min when the relay stalls):  Deploy/chaos/run.sh --rounds 1 --seconds 30 --settle 30
Long (docs/RELIABILITY.md):  Deploy/chaos/run.sh --rounds 10 --keep-logs /tmp/chaos
Exit status: 0 when every round passed, 1 otherwise.
USAGE
}

BALANCER=0 DOWN_WITHIN=5
ROUNDS=1 SURGE=40 SETTLE=60 CLIENTS=8 BATCH=100 LOG_LEVEL=info KEEP_LOGS="" BUILD=1
BUS_AT="" INTAKE_AT="" INTAKE_GAP="" POSTGRES_AT="" BUS_DOWN=2 INTAKE_DOWN=1 POSTGRES_DOWN=5
KILL_BUS=1 KILL_INTAKE=1 KILL_POSTGRES=1
while [ $# -gt 0 ]; do
    case $1 in
        --rounds) ROUNDS=$2; shift ;;
        --seconds) SURGE=$2; shift ;;
        --kill-bus-at) BUS_AT=$2; shift ;;
        --kill-intake-at) INTAKE_AT=$2; shift ;;
        --intake-gap) INTAKE_GAP=$2; shift ;;
        --kill-postgres-at) POSTGRES_AT=$2; shift ;;
        --bus-down) BUS_DOWN=$2; shift ;;
        --intake-down) INTAKE_DOWN=$2; shift ;;
        --postgres-down) POSTGRES_DOWN=$2; shift ;;
        --no-kill-bus) KILL_BUS=0 ;;
        --no-kill-intake) KILL_INTAKE=0 ;;
        --no-kill-postgres) KILL_POSTGRES=0 ;;
        --balancer) BALANCER=1 ;;
        --down-within) DOWN_WITHIN=$2; shift ;;
        --settle) SETTLE=$2; shift ;;
        --clients) CLIENTS=$2; shift ;;
        --batch) BATCH=$2; shift ;;
        --log-level) LOG_LEVEL=$2; shift ;;
        --keep-logs) KEEP_LOGS=$2; shift ;;
        --no-build) BUILD=0 ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; die "unknown option $1" ;;
    esac
    [ $# -gt 0 ] && shift
done
number() { [[ $2 =~ ^[0-9]+([.][0-9]+)?$ ]] || die "$1 must be a number of seconds, got '$2'"; }
count() { [[ $2 =~ ^[1-9][0-9]*$ ]] || die "$1 must be a whole number from 1, got '$2'"; }
count --rounds "$ROUNDS"; count --clients "$CLIENTS"; count --batch "$BATCH"
[ "$BATCH" -le 500 ] || die "--batch must be at most 500 (intake's batch limit)"
for pair in "--seconds:$SURGE" "--settle:$SETTLE" "--bus-down:$BUS_DOWN" "--intake-down:$INTAKE_DOWN" "--postgres-down:$POSTGRES_DOWN"; do
    number "${pair%%:*}" "${pair#*:}"
done
fraction() { awk -v s="$SURGE" -v f="$1" 'BEGIN { printf "%.1f", s * f }'; }
BUS_AT=${BUS_AT:-$(fraction 0.15)}
INTAKE_AT=${INTAKE_AT:-$(fraction 0.30)}
INTAKE_GAP=${INTAKE_GAP:-$(fraction 0.15)}
POSTGRES_AT=${POSTGRES_AT:-$(fraction 0.60)}
for pair in "--kill-bus-at:$BUS_AT" "--kill-intake-at:$INTAKE_AT" "--intake-gap:$INTAKE_GAP" "--kill-postgres-at:$POSTGRES_AT"; do
    number "${pair%%:*}" "${pair#*:}"
done

ensure_packages curl
[ "$BALANCER" -eq 0 ] || ensure_packages haproxy
command -v python3 >/dev/null || die "python3 is needed for the load clients and checks (standard library only)"
KEEP_LOGS=${KEEP_LOGS:-$(mktemp -d -t shouwang-chaos.XXXXXX)}
mkdir -p "$KEEP_LOGS"
KEEP_LOGS=$(cd "$KEEP_LOGS" && pwd)

if [ "$BUILD" -eq 1 ]; then
    say "building (debug; the first build takes several minutes)"
    swift build
fi
BIN=$(swift build --show-bin-path)
for binary in shouwang shouwang-bus shouwang-intake; do
    [ -x "$BIN/$binary" ] || die "$BIN/$binary is missing; run swift build"
done

# --- the cluster and the ports ---------------------------------------------------------
# Ports below the ephemeral range (32768+), so that nothing's outgoing connection takes one
# while its owner is down for a restart.
PG_DIR="$LOCAL/chaos-postgres"
export SHOUWANG_PG_PORT_BASE=${SHOUWANG_CHAOS_PG_PORT:-27432}
start_postgres "$PG_DIR"
PG_PORT=$SHOUWANG_PG_PORT
PG_BIN=$(pg_bin)
port_after() { free_port "$1"; }
BUS_PUBLISH_PORT=$(port_after 27550)
BUS_SUBSCRIBE_PORT=$(port_after $((BUS_PUBLISH_PORT + 1)))
BUS_REPLAY_PORT=$(port_after $((BUS_SUBSCRIBE_PORT + 1)))
INTAKE_A_PORT=$(port_after 27581)
INTAKE_B_PORT=$(port_after $((INTAKE_A_PORT + 1)))
BUS_HTTP_PORT=$(port_after $((INTAKE_B_PORT + 1)))
INTAKE_C_PORT=$(port_after $((BUS_HTTP_PORT + 1)))
BALANCER_PORT=$(port_after $((INTAKE_C_PORT + 1)))
BALANCER_STATS_PORT=$(port_after $((BALANCER_PORT + 1)))
INTAKES=(intake-a intake-b)
[ "$BALANCER" -eq 0 ] || INTAKES+=(intake-c)
# The bus's CURVE keys, made once and registered in every round's new database.
KEYS_DIR="$LOCAL/chaos-keys"
TOKEN_SECRET=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
RUN_ID=$(date +%Y%m%d%H%M%S)_$$

# --- processes: the one place that starts them and the one place that sets their environment
declare -A PIDS=()
ROUND_DIR="" DATABASE="" T0=0 LOAD_PID=""
HUNG=()   # processes of the current round that ignored SIGTERM for 10 s

# The environment of every Shouwang process, for service NAME. Bus keys (CURVE) go here.
service_environment() {
    local name=$1
    export SHOUWANG_DATABASE_URL="postgres://shouwang@127.0.0.1:$PG_PORT/$DATABASE"
    export SHOUWANG_BUS_PUBLISH="tcp://127.0.0.1:$BUS_PUBLISH_PORT"
    export SHOUWANG_BUS_SUBSCRIBE="tcp://127.0.0.1:$BUS_SUBSCRIBE_PORT"
    export SHOUWANG_BUS_REPLAY="tcp://127.0.0.1:$BUS_REPLAY_PORT"
    export SHOUWANG_TOKEN_SECRET="$TOKEN_SECRET"
    export SHOUWANG_LOG_LEVEL="$LOG_LEVEL"
    export SHOUWANG_HTTP_HOST=127.0.0.1
    export SHOUWANG_TRUSTED_PROXIES=127.0.0.1
    unset SHOUWANG_BUS_SERVER_SECRET_KEY_FILE
    [ -f "$KEYS_DIR/bus.pub" ] && export SHOUWANG_BUS_SERVER_KEY="$(cat "$KEYS_DIR/bus.pub")"
    # Until provision.sh has made the keys (the first migrate), the CLI runs without one.
    if [ -f "$KEYS_DIR/operator.key" ]; then export SHOUWANG_BUS_SECRET_KEY_FILE="$KEYS_DIR/operator.key"; else unset SHOUWANG_BUS_SECRET_KEY_FILE; fi
    case $name in
        intake-a) export SHOUWANG_HTTP_PORT=$INTAKE_A_PORT SHOUWANG_BUS_SECRET_KEY_FILE="$KEYS_DIR/intake.key" ;;
        intake-b) export SHOUWANG_HTTP_PORT=$INTAKE_B_PORT SHOUWANG_BUS_SECRET_KEY_FILE="$KEYS_DIR/intake.key" ;;
        intake-c) export SHOUWANG_HTTP_PORT=$INTAKE_C_PORT SHOUWANG_BUS_SECRET_KEY_FILE="$KEYS_DIR/intake.key" ;;
        bus) export SHOUWANG_HTTP_PORT=$BUS_HTTP_PORT SHOUWANG_BUS_SERVER_SECRET_KEY_FILE="$KEYS_DIR/bus.key" ;;
        *) unset SHOUWANG_HTTP_PORT ;;
    esac
}

# Runs a one-off Shouwang command (migrate, token…) in the services' environment.
shouwang_cli() { ( service_environment cli; exec "$BIN/shouwang" "$@" ); }

elapsed() { awk -v t0="$T0" -v now="$(date +%s.%N)" 'BEGIN { printf "%6.1f", now - t0 }'; }
mark() {
    local line; line="T+$(elapsed)s  $*"
    echo "$line" >>"$ROUND_DIR/timeline.log"
    printf '    %s\n' "$line"
}

# start_service NAME: starts (or restarts) one process of the round, its output appended to
# ROUND_DIR/NAME.log (the subscriber's events go to ROUND_DIR/events.jsonl).
start_service() {
    local name=$1 log="$ROUND_DIR/$1.log" out
    local command=()
    case $name in
        bus) command=("$BIN/shouwang-bus") ;;
        intake-a|intake-b|intake-c) command=("$BIN/shouwang-intake") ;;
        balancer) command=(haproxy -db -f "$ROUND_DIR/haproxy.cfg") ;;
        subscriber) command=("$BIN/shouwang" tail intake. --from 0) ;;
        *) die "no such service $name" ;;
    esac
    out=$log
    [ "$name" = subscriber ] && out="$ROUND_DIR/events.jsonl"
    echo "---- $(date -u +%H:%M:%S.%3N) start ${command[*]}" >>"$log"
    ( service_environment "$name"; exec "${command[@]}" ) >>"$out" 2>>"$log" &
    PIDS[$name]=$!
}

alive() { local pid=${PIDS[$1]:-}; [ -n "$pid" ] && [ -e "/proc/$pid" ] && ! grep -q '^[0-9]* (.*) Z' "/proc/$pid/stat" 2>/dev/null; }

# stop_service NAME SIGNAL: signals it (unless it is gone already) and reaps it.
stop_service() {
    local name=$1 signal=$2 pid=${PIDS[$1]:-}
    [ -n "$pid" ] || return 0
    alive "$name" && { kill "-$signal" "$pid" 2>/dev/null || true; }
    wait "$pid" 2>/dev/null || true
    echo "---- $(date -u +%H:%M:%S.%3N) stopped by SIG$signal" >>"$ROUND_DIR/$name.log"
    unset "PIDS[$name]"
}

wait_http() {
    local port=$1 path=$2 seconds=$3
    for _ in $(seq 1 $((seconds * 5))); do
        curl -fsS -o /dev/null "http://127.0.0.1:$port$path" 2>/dev/null && return 0
        sleep 0.2
    done
    return 1
}

postgres_crash() { as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/data" stop -m immediate -w >/dev/null 2>&1 || true; }
postgres_start() {
    SHOUWANG_PG_PORT_BASE=$PG_PORT start_postgres "$PG_DIR"
    [ "$SHOUWANG_PG_PORT" = "$PG_PORT" ] || die "PostgreSQL came back on port $SHOUWANG_PG_PORT, not $PG_PORT (someone took the port)"
}

psql_round() { PGHOST=127.0.0.1 PGPORT=$PG_PORT PGUSER=shouwang PGDATABASE=$DATABASE "$@"; }

# Stops what is left of the round: SIGTERM to all at once, SIGKILL to whatever still runs
# 25 s later (recorded in HUNG). A service drains for 4 s and exits by itself 20 s after
# SIGTERM at the latest (SHOUWANG_SHUTDOWN_GRACE_SECONDS), so HUNG means that failed.
stop_round_processes() {
    local name pending=()
    for name in subscriber balancer intake-a intake-b intake-c bus; do
        [ -n "${PIDS[$name]:-}" ] || continue
        kill -TERM "${PIDS[$name]}" 2>/dev/null || true
        pending+=("$name")
    done
    [ ${#pending[@]} -gt 0 ] || return 0
    for _ in $(seq 1 250); do
        local running=0
        for name in "${pending[@]}"; do alive "$name" && running=1; done
        [ $running -eq 0 ] && break
        sleep 0.1
    done
    for name in "${pending[@]}"; do
        if alive "$name"; then
            mark "$name did not stop within 25 s of SIGTERM; SIGKILL"
            HUNG+=("$name")
            stop_service "$name" KILL
        else
            stop_service "$name" TERM
        fi
    done
    return 0
}

cleanup() {
    local status=$?
    [ -n "$LOAD_PID" ] && { kill "$LOAD_PID" 2>/dev/null || true; }
    [ -n "$ROUND_DIR" ] && stop_round_processes
    stop_postgres "$PG_DIR"
    exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# sleep_until T: sleeps until T seconds after the surge started.
sleep_until() {
    local wait; wait=$(awk -v t0="$T0" -v now="$(date +%s.%N)" -v t="$1" 'BEGIN { w = t0 + t - now; printf "%.2f", (w > 0 ? w : 0) }')
    sleep "$wait"
}

# The kills of one round, in time order, each restarted after its pause.
chaos_schedule() {
    local events=()
    [ "$KILL_BUS" -eq 1 ] && events+=("$BUS_AT bus")
    if [ "$KILL_INTAKE" -eq 1 ]; then
        events+=("$INTAKE_AT intake-a")
        local second=intake-b
        [ "$BALANCER" -eq 1 ] && second=remove-intake-b
        events+=("$(awk -v a="$INTAKE_AT" -v g="$INTAKE_GAP" 'BEGIN { print a + g }') $second")
    fi
    [ "$KILL_POSTGRES" -eq 1 ] && events+=("$POSTGRES_AT postgres")
    # Not a pipeline into the loop: restarts must update PIDS in this shell.
    while read -r at what; do
        sleep_until "$at"
        case $what in
            bus)
                mark "SIGKILL bus (pid ${PIDS[bus]})"; stop_service bus KILL
                sleep "$BUS_DOWN"; start_service bus; mark "bus restarted (pid ${PIDS[bus]})" ;;
            intake-a|intake-b)
                mark "SIGKILL $what (pid ${PIDS[$what]})"; stop_service "$what" KILL
                [ "$BALANCER" -eq 1 ] && { watch_marked_down "$what" & }
                sleep "$INTAKE_DOWN"; start_service "$what"; mark "$what restarted (pid ${PIDS[$what]})" ;;
            remove-intake-b)
                # Scaled away for good: the balancer sees its port close and stops sending.
                mark "SIGTERM intake-b (removed, pid ${PIDS[intake-b]})"
                local removed=${PIDS[intake-b]} started; started=$(date +%s.%N)
                kill -TERM "$removed" 2>/dev/null || true
                ( for _ in $(seq 1 100); do [ -e "/proc/$removed" ] && ! grep -q '^[0-9]* (.*) Z' "/proc/$removed/stat" 2>/dev/null || break; sleep 0.1; done
                  awk -v t0="$started" -v now="$(date +%s.%N)" 'BEGIN { printf "%.1f\n", now - t0 }' >"$ROUND_DIR/removed-exit.txt" ) &
                ;;
            postgres)
                mark "pg_ctl stop -m immediate"; postgres_crash
                sleep "$POSTGRES_DOWN"; postgres_start; mark "PostgreSQL restarted (port $PG_PORT)" ;;
        esac
    done < <(printf '%s\n' "${events[@]}" | sort -n)
}

# The balancer's view of one replica (UP, DOWN, …) from its stats CSV.
balancer_state() {
    curl -fsS "http://127.0.0.1:$BALANCER_STATS_PORT/;csv" 2>/dev/null |
        awk -F, -v server="intake-$1" '$1 == "intake" && $2 == server { print $18; exit }'
}

# watch_marked_down NAME: how long after NAME's SIGKILL the balancer marked it down
# (ROUND_DIR/down-NAME.txt), or "never" within 30 s.
watch_marked_down() {
    local name=$1 index started
    case $name in intake-a) index=1 ;; intake-b) index=2 ;; *) index=3 ;; esac
    started=$(date +%s.%N)
    for _ in $(seq 1 150); do
        case $(balancer_state "$index") in
            DOWN*|MAINT*) awk -v t0="$started" -v now="$(date +%s.%N)" 'BEGIN { printf "%.1f\n", now - t0 }' >"$ROUND_DIR/down-$name.txt"; return ;;
        esac
        sleep 0.2
    done
    echo never >"$ROUND_DIR/down-$name.txt"
}

# --- one round ---------------------------------------------------------------------------
run_round() {
    local round=$1
    ROUND_DIR="$KEEP_LOGS/round-$round"
    HUNG=()
    # A reused --keep-logs folder must not mix an earlier run's batches and events into this check.
    rm -rf "$ROUND_DIR"
    mkdir -p "$ROUND_DIR"
    DATABASE="chaos_${RUN_ID}_$round"
    T0=$(date +%s.%N)
    local pg_log_start; pg_log_start=$(stat -c %s "$PG_DIR/server.log" 2>/dev/null || echo 0)
    say "round $round/$ROUNDS: database $DATABASE, logs $ROUND_DIR"
    alive_or_restart_postgres
    create_database "$DATABASE"
    shouwang_cli migrate >>"$ROUND_DIR/setup.log" 2>&1 || { tail "$ROUND_DIR/setup.log" >&2; die "migrate failed"; }
    ( service_environment cli; "$ROOT/Deploy/keys/provision.sh" "$KEYS_DIR" "$BIN" ) >>"$ROUND_DIR/setup.log" 2>&1 ||
        { tail "$ROUND_DIR/setup.log" >&2; die "could not make or register the bus keys"; }
    local operator device
    operator=$(shouwang_cli token --role operator --subject chaos-operator)
    device=$(shouwang_cli token --role device --area 320505-001-001 --subject chaos-device)

    start_service bus
    for name in "${INTAKES[@]}"; do start_service "$name"; done
    local urls="http://127.0.0.1:$INTAKE_A_PORT,http://127.0.0.1:$INTAKE_B_PORT" replicas=":$INTAKE_A_PORT and :$INTAKE_B_PORT"
    if [ "$BALANCER" -eq 1 ]; then
        write_balancer_config "$ROUND_DIR/haproxy.cfg" 127.0.0.1 "$BALANCER_STATS_PORT" "intake:$BALANCER_PORT:$INTAKE_A_PORT,$INTAKE_B_PORT,$INTAKE_C_PORT"
        start_service balancer
        urls="http://127.0.0.1:$BALANCER_PORT" replicas=":$INTAKE_A_PORT :$INTAKE_B_PORT :$INTAKE_C_PORT behind the balancer :$BALANCER_PORT"
    fi
    local ids
    ids=$(python3 "$HERE/chaos.py" setup --url "http://127.0.0.1:$INTAKE_A_PORT" --token "$operator" 2>>"$ROUND_DIR/setup.log") ||
        { tail "$ROUND_DIR/setup.log" >&2; round_verdict "$round" 1 "setup failed"; return; }
    wait_http "$INTAKE_B_PORT" /readyz 60 || { round_verdict "$round" 1 "intake-b not ready"; return; }
    if [ "$BALANCER" -eq 1 ]; then
        wait_http "$INTAKE_C_PORT" /readyz 60 || { round_verdict "$round" 1 "intake-c not ready"; return; }
        # Every replica in rotation before the surge (health checks every 2 s, rise 2).
        for _ in $(seq 1 50); do [ "$(balancer_state 1)$(balancer_state 2)$(balancer_state 3)" = UPUPUP ] && break; sleep 0.2; done
    fi
    start_service subscriber
    read -r ROUND_ID SITE_ID <<<"$ids"

    T0=$(date +%s.%N)
    mark "surge: $CLIENTS clients, batches of $BATCH, $SURGE s, replicas $replicas"
    python3 "$HERE/chaos.py" surge --urls "$urls" \
        --token "$device" --round "$ROUND_ID" --site "$SITE_ID" --seconds "$SURGE" --clients "$CLIENTS" --batch "$BATCH" \
        --finish-timeout "$SETTLE" --out "$ROUND_DIR" >"$ROUND_DIR/surge.log" 2>&1 &
    LOAD_PID=$!
    chaos_schedule
    wait "$LOAD_PID" || mark "the load clients failed: $(tail -n 3 "$ROUND_DIR/surge.log")"
    mark "surge over: $(wc -l <"$ROUND_DIR/batches.jsonl" 2>/dev/null || echo 0) batches"

    local unasked=()
    for name in bus "${INTAKES[@]}" subscriber; do
        [ "$BALANCER" -eq 1 ] && [ "$name" = intake-b ] && [ "$KILL_INTAKE" -eq 1 ] && continue   # removed on purpose
        alive "$name" || unasked+=("$name")
    done
    [ ${#unasked[@]} -eq 0 ] || mark "exited unasked: ${unasked[*]} (see their logs)"

    psql_round python3 "$HERE/chaos.py" wait --events "$ROUND_DIR/events.jsonl" --timeout "$SETTLE" | while read -r line; do mark "$line"; done
    mark "readyz: intake-a $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$INTAKE_A_PORT/readyz"), intake-b $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$INTAKE_B_PORT/readyz")"
    mark "$(relay_leader)"

    local failed=0
    psql_round python3 "$HERE/chaos.py" check --events "$ROUND_DIR/events.jsonl" --out "$ROUND_DIR" | tee -a "$ROUND_DIR/timeline.log" || failed=1
    [ ${#unasked[@]} -eq 0 ] || { failed=1; echo "  FAIL processes exited unasked: ${unasked[*]}" | tee -a "$ROUND_DIR/timeline.log"; }
    if [ "$BALANCER" -eq 1 ] && [ "$KILL_INTAKE" -eq 1 ]; then
        local down removed
        down=$(cat "$ROUND_DIR/down-intake-a.txt" 2>/dev/null || echo never)
        removed=$(cat "$ROUND_DIR/removed-exit.txt" 2>/dev/null || echo never)
        if [ "$down" != never ] && awk -v d="$down" -v w="$DOWN_WITHIN" 'BEGIN { exit !(d <= w) }'; then
            echo "  ok   (e) the balancer marked the killed replica down $down s after SIGKILL" | tee -a "$ROUND_DIR/timeline.log"
        else
            failed=1; echo "  FAIL (e) the balancer marked the killed replica down: $down (limit $DOWN_WITHIN s)" | tee -a "$ROUND_DIR/timeline.log"
        fi
        if [ "$removed" != never ]; then
            echo "  ok   (f) the removed replica finished its requests and exited $removed s after SIGTERM" | tee -a "$ROUND_DIR/timeline.log"
        else
            failed=1; echo "  FAIL (f) the removed replica did not exit within 10 s of SIGTERM" | tee -a "$ROUND_DIR/timeline.log"
        fi
    fi
    if grep -q '"stalled": true' "$ROUND_DIR/check.json" 2>/dev/null; then
        show_stall
    fi

    stop_round_processes
    tail -c +"$((pg_log_start + 1))" "$PG_DIR/server.log" >"$ROUND_DIR/postgres.log" 2>/dev/null || true
    if [ $failed -eq 0 ]; then
        psql_round psql -X -q -d postgres -c "DROP DATABASE IF EXISTS \"$DATABASE\"" >/dev/null 2>&1 || true
    fi
    round_verdict "$round" $failed "$(summary_line "$ROUND_DIR/check.json")"
}

# Which backend holds the intake relay's advisory lock, what it is doing, and which replica
# owns that connection (matched by the client port).
relay_leader() {
    local row port pid state since wait query owner=""
    row=$(psql_round psql -X -At -F '|' -c "
        SELECT a.pid, coalesce(a.client_port, 0), coalesce(a.state, '?'), coalesce(to_char(a.state_change, 'HH24:MI:SS'), '?'),
               coalesce(a.wait_event_type || '/' || a.wait_event, 'none'), left(regexp_replace(a.query, '\s+', ' ', 'g'), 80)
        FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
        WHERE l.locktype = 'advisory' AND l.granted AND l.classid = 21336 AND l.objid = hashtext('intake')::oid" 2>&1 | head -n 1) || true
    [ -n "$row" ] || { echo "no backend holds the intake relay lock"; return; }
    IFS='|' read -r pid port state since wait query <<<"$row"
    if [ "$port" != 0 ]; then
        for name in intake-a intake-b; do
            ss -tnpH state established "( sport = :$port )" 2>/dev/null | grep -q "pid=${PIDS[$name]:-x}," && owner=$name
        done
    fi
    echo "relay lock: backend $pid (client port $port${owner:+, $owner}) $state since $since, wait $wait, last query: $query"
}

alive_or_restart_postgres() {
    as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/data" status >/dev/null 2>&1 || postgres_start
}

# What the relays of a stalled round said about themselves, and which database sessions
# each replica still has.
show_stall() {
    echo "  database sessions of the round's database:" | tee -a "$ROUND_DIR/timeline.log"
    local pid port state since query owner
    while IFS='|' read -r pid port state since query; do
        owner=$(ss -tnpH state established "( sport = :$port )" 2>/dev/null | grep -oE 'pid=[0-9]+' | head -n 1 | cut -d= -f2)
        for name in "${!PIDS[@]}"; do [ "${PIDS[$name]}" = "$owner" ] && owner=$name; done
        echo "    backend $pid from ${owner:-?} (port $port): $state since $since, last query: $query" | tee -a "$ROUND_DIR/timeline.log"
    done < <(psql_round psql -X -At -F '|' -c "
        SELECT pid, coalesce(client_port, 0), coalesce(state, '?'), coalesce(to_char(state_change, 'HH24:MI:SS'), '?'),
               left(regexp_replace(query, '\s+', ' ', 'g'), 70)
        FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() ORDER BY client_port" 2>/dev/null)
    echo "  relay log lines (leadership and failures) of each replica:" | tee -a "$ROUND_DIR/timeline.log"
    for name in intake-a intake-b; do
        # The relay's own lines, and (at --log-level debug) its connection's, tagged stream=intake.
        grep -nE '\[EventBus\]|stream=intake|^---- ' "$ROUND_DIR/$name.log" | grep -v 'Starting service' | tail -n 12 |
            sed -e "s/^/    $name: /" -e 's/ – Generic description[^.]*\.[^.]*\.//' | cut -c1-220 | tee -a "$ROUND_DIR/timeline.log"
    done
}

summary_line() {
    python3 - "$1" <<'PY' 2>/dev/null || echo "no check result"
import json, sys
c = json.load(open(sys.argv[1]))
print(f"{c['acknowledged']} acknowledged, {c['stored']} stored, {c['events']} events, "
      f"{c['unsequenced']} unsequenced" + (f" (oldest {c['oldest_unsequenced_s']:.0f} s)" if c['stalled'] else ""))
PY
}

PASSED=0 FAILED=0 STALLED=0
declare -a VERDICTS=()
round_verdict() {
    local round=$1 failed=$2 detail=$3 line
    stop_round_processes
    local took; took=$(awk -v t0="$ROUND_START" -v now="$(date +%s.%N)" 'BEGIN { printf "%.0f", now - t0 }')
    if [ "$failed" -eq 0 ]; then
        PASSED=$((PASSED + 1)); line="round $round: PASS  ($detail; ${took} s)"
    else
        FAILED=$((FAILED + 1)); line="round $round: FAIL  ($detail; ${took} s; database $DATABASE kept)"
        grep -q '"stalled": true' "$ROUND_DIR/check.json" 2>/dev/null && { STALLED=$((STALLED + 1)); line+=" [relay stall]"; }
    fi
    # Not a failure of the contract, but the relay's hang shows here first: a replica whose
    # relay is stuck does not finish a graceful shutdown.
    [ ${#HUNG[@]} -eq 0 ] || line+=" [ignored SIGTERM: ${HUNG[*]}]"
    VERDICTS+=("$line")
    printf '\033[1m%s\033[0m\n' "$line"
}

say "chaos: $ROUNDS round(s) of $SURGE s; kills: bus@${BUS_AT}s(${BUS_DOWN}s) intake@${INTAKE_AT}s+${INTAKE_GAP}s(${INTAKE_DOWN}s) postgres@${POSTGRES_AT}s(${POSTGRES_DOWN}s); PostgreSQL on port $PG_PORT; logs in $KEEP_LOGS"
for round in $(seq 1 "$ROUNDS"); do
    ROUND_START=$(date +%s.%N)
    run_round "$round"
done

echo
for line in "${VERDICTS[@]}"; do echo "$line"; done
echo "$PASSED passed, $FAILED failed ($STALLED with a relay stall); logs in $KEEP_LOGS"
[ "$FAILED" -eq 0 ]
