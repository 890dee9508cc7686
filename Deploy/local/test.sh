#!/usr/bin/env bash
# Runs every test against a private PostgreSQL and real libzmq sockets.
# Works on a fresh Debian machine with Swift: installs what is missing first.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

ensure_packages docker-compose
# The test cluster trades durability for speed: it is thrown away after every run.
start_postgres "$LOCAL/test-postgres" -c fsync=off -c synchronous_commit=off -c full_page_writes=off
trap 'stop_postgres "$LOCAL/test-postgres"' EXIT
export SHOUWANG_TEST_DATABASE_URL="$SHOUWANG_PG_ADMIN_URL"

say "building (debug, with tests)"
swift build --build-tests
export SHOUWANG_BIN_DIR="$(swift build --show-bin-path)"

say "running tests (PostgreSQL on port $SHOUWANG_PG_PORT)"
swift test --skip-build "$@"
