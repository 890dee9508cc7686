#!/usr/bin/env bash
# Runs every test against a private PostgreSQL and real libzmq sockets.
# Works on a fresh Debian machine with Swift: installs what is missing first.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

ensure_packages docker-compose curl haproxy openssl   # curl: the chaos round's health checks; haproxy: the balancer round and its config check

# Style first: it takes seconds and says exactly what to run (docs/CONTRIBUTING.md).
say "lint (swift format, .swift-format)"
swift format lint --strict --parallel -r Services Shared Tests Package.swift ||
    die "swift format found the findings above; run: swift format format -i -r Services Shared Tests Package.swift"
python3 Deploy/contract/check-test-names.py || die "rename or split the test files above (docs/CONTRIBUTING.md)"
TOOLS=$(python_tools)   # Schemathesis, for the API fuzz round
# The event contract: its rules' tests, then docs/asyncapi.json and docs/events.published.json
# current, valid AsyncAPI 3.0, and no published version broken (docs/EVENTS.md, Versions).
say "event contract (Deploy/contract): AsyncAPI document and versions"
CONTRACT_TOOLS=$(contract_tools)
"$CONTRACT_TOOLS/python" -W ignore::UserWarning -m unittest discover -s Deploy/contract -p 'test_*.py' ||
    die "the event contract's tests failed (Deploy/contract/test_contract.py)"
"$CONTRACT_TOOLS/python" -W ignore::UserWarning Deploy/contract/asyncapi.py --check ||
    die "see above: run Deploy/contract/asyncapi.py and commit docs/asyncapi.json and docs/events.published.json"
# The test cluster trades durability for speed: it is thrown away after every run.
# Every suite runs beside the others, each with its own pools: 400 connections overflowed
# ("too many clients") once the suites grew, and PostgresNIO pools left waiting hung 4 tests.
start_postgres "$LOCAL/test-postgres" -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=1000
trap 'stop_postgres "$LOCAL/test-postgres"' EXIT
export SHOUWANG_TEST_DATABASE_URL="$SHOUWANG_PG_ADMIN_URL"

say "building (debug, with tests)"
swift build --build-tests
export SHOUWANG_BIN_DIR="$(swift build --show-bin-path)"

# The short chaos rounds (a surge while the bus, each intake replica and PostgreSQL die;
# then the same through the balancer, one replica killed and one removed) before the unit
# and integration tests, so their summary stays the last line. Skipped when tests are
# filtered; SHOUWANG_CHAOS_ROUNDS=0 skips them too.
if [ $# -eq 0 ] && [ "${SHOUWANG_CHAOS_ROUNDS:-1}" -gt 0 ]; then
    say "chaos: ${SHOUWANG_CHAOS_ROUNDS:-1} short round(s) (Deploy/chaos/run.sh)"
    Deploy/chaos/run.sh --no-build --rounds "${SHOUWANG_CHAOS_ROUNDS:-1}" --seconds 30 --settle 45
    say "chaos: the balancer round (three replicas behind HAProxy; one SIGKILLed, one removed)"
    Deploy/chaos/run.sh --no-build --balancer --rounds 1 --seconds 30 --settle 45
fi

# The API fuzz round: each service from its own OpenAPI document, with a token and without.
if [ $# -eq 0 ] && [ "${SHOUWANG_API_FUZZ:-1}" -gt 0 ]; then
    say "API fuzz (Deploy/api-fuzz/run.sh): no 5xx, statuses and schemas as documented"
    Deploy/api-fuzz/run.sh --no-build
fi

# Every test's database is checked after the run: start from none.
"$(pg_bin)/psql" "$SHOUWANG_PG_ADMIN_URL" -AtX -c "SELECT format('DROP DATABASE IF EXISTS %I;', datname) FROM pg_database WHERE datname LIKE 't\_%'" |
    "$(pg_bin)/psql" "$SHOUWANG_PG_ADMIN_URL" -qAtX >/dev/null

# Runs `swift test --skip-build` with the arguments after the first, stopped after $1
# seconds. A test that hangs then fails the run, naming the tests that started and never
# ended and what the database's sessions were waiting on, instead of holding CI until its
# own limit cuts the log mid-line (a fresh clone's run, 2026-11-30).
#
# A hang seen in 2 of 6 fresh-clone runs (2026-11-30 and 12-01; two intake tests suspended
# from their start, no database session open, no thread busy; not yet understood) is given
# one retry: the tests that never ended run again, alone, and the pass counts only if they
# pass. The retry is printed loudly, so it is never silent.
watched_tests() {
    local limit=$1 log statuses hung; shift
    log=$(mktemp)
    set +e
    timeout --kill-after=15 "$limit" stdbuf -oL -eL swift test --skip-build "$@" 2>&1 | tee "$log"
    statuses=("${PIPESTATUS[@]}")
    set -e
    if [ "${statuses[0]}" -eq 124 ] || [ "${statuses[0]}" -eq 137 ]; then
        # Parameterised tests print their cases' starts, and end as "… with N test cases passed".
        hung=$(awk '/^◇ Test case / { next }
             /^◇ Test .* started\.$/ { n = $0; sub(/^◇ Test /, "", n); sub(/ started\.$/, "", n); open[n]++ }
             /^(✔|✘) Test .* (passed|failed) after/ { sub(/^(✔|✘) Test /, ""); sub(/ (passed|failed) after.*/, ""); sub(/ with [0-9]+ test cases?$/, ""); open[$0]-- }
             END { for (n in open) if (open[n] > 0 && n != "run") print n }' "$log")
        echo "error: 'swift test $*' did not end within ${limit}s; these tests started and never ended:" >&2
        printf '  %s\n' $hung >&2
        echo "the test cluster's sessions, by database and wait:" >&2
        "$(pg_bin)/psql" "$SHOUWANG_PG_ADMIN_URL" -X -c "SELECT datname, state, wait_event_type, wait_event, count(*) FROM pg_stat_activity WHERE backend_type = 'client backend' GROUP BY 1, 2, 3, 4 ORDER BY 5 DESC LIMIT 30" >&2 || true
        # swift test runs the tests in a process group of their own, which timeout's signal
        # missed: stop it, and the processes it started, before the next pass.
        local tests
        for tests in $(pgrep -f "$SHOUWANG_BIN_DIR/ShouwangPackageTests.xctest" || true); do
            pkill -KILL -P "$tests" || true
            kill -KILL "$tests" 2>/dev/null || true
        done
        if [ -n "$hung" ] && [ "$(echo "$hung" | wc -l)" -le 5 ] && [ -z "${SHOUWANG_NO_HANG_RETRY:-}" ]; then
            local filter
            filter=$(echo "$hung" | sed 's/[()]/\\&/g' | paste -sd'|')
            say "RETRYING after a hang, once and alone: $(echo "$hung" | paste -sd' ')"
            rm -f "$log"
            SHOUWANG_NO_HANG_RETRY=1 watched_tests 300 --filter "$filter"
            return $?
        fi
    fi
    rm -f "$log"
    return "${statuses[0]}"
}

say "running tests (PostgreSQL on port $SHOUWANG_PG_PORT)"
status=0
if [ $# -eq 0 ]; then
    # Three passes. The bus's suites first, on their own: their windows are seconds (a
    # revocation within 5 s, every event within 30 s), and run beside ~200 HTTP and database
    # tests on two cores they missed them (2 runs of 2 on 2026-11-30; alone, 63 of 63 in 34 s).
    # Then the suites that start whole processes (a bus, replicas), whose 30 s start-up
    # windows the same crowd once overran (a fresh clone's run, 18:58 UTC). Then the rest.
    BUS_SUITES='EventBusTests|BusKeysTests|BusAcrossProcessesTests'
    # Each pass alone takes 1–4 minutes here; the limits (and one retry of a hang) leave CI's
    # 90 minutes well alone.
    watched_tests 600 --filter "$BUS_SUITES" || status=$?
    watched_tests 900 --filter EndToEndTests --skip "$BUS_SUITES" || status=$?
    watched_tests 600 --skip "$BUS_SUITES|EndToEndTests" || status=$?
else
    watched_tests 2400 "$@" || status=$?
fi
# The integrators' Python client (clients/python): its protocol tests, then a real bus with
# a subscriber killed and the bus restarted mid-stream. After the Swift tests, never beside
# a build (it runs the binaries the build just wrote).
# Stopped after 15 minutes (it takes about 2), so a hang fails the run with its log intact.
if [ $# -eq 0 ]; then
    PYTHONUNBUFFERED=1 timeout --kill-after=15 900 clients/python/check.sh || status=$?
fi
# The console in a real browser (Tests/Browser): the whole suite started afresh, headless
# Chromium from Debian's packages. Screenshots go to .local/ here; docs/screenshots/ holds the
# ones a developer's run wrote (Tests/Browser/run.sh without SHOUWANG_SCREENSHOTS).
if [ $# -eq 0 ]; then
    SHOUWANG_SCREENSHOTS="$LOCAL/screenshots" PYTHONUNBUFFERED=1 timeout --kill-after=15 600 Tests/Browser/run.sh || status=$?
fi
# Every event the tests saw emitted, against its topic's schema (docs/events.schema.json).
say "checking every emitted event against its message in docs/asyncapi.json"
# A filtered run may emit no event at all; the whole suite must.
PATH="$(pg_bin):$PATH" PYTHONUNBUFFERED=1 timeout 600 "$CONTRACT_TOOLS/python" Deploy/contract/check-events.py \
    ${1:+--may-be-empty} "$SHOUWANG_PG_ADMIN_URL" || status=1
exit $status
