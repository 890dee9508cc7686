#!/usr/bin/env bash
# clients/python/check.sh [PYTEST ARGS...]: installs the Python client into a private
# virtualenv (.local/venv-pyclient) as an integrator would (pip install ./clients/python) and
# runs its tests: the protocol's unit tests, then the integration tests against a private
# PostgreSQL, the real shouwang-bus (CURVE keys by `shouwang keys`) and the shouwang CLI.
#
#   SHOUWANG_BIN_DIR         where shouwang and shouwang-bus are (default: swift build --show-bin-path;
#                            nothing is built here)
#   SHOUWANG_PYCLIENT_COUNT  events per integration test (default 3000; 10000 for the issue's check)
#   SHOUWANG_PROPERTY_SEEDS  seeds of the loss/duplication/reordering property test (default 60)
#
# Unit tests only: clients/python/check.sh -m "not bus"
set -euo pipefail
source "$(dirname "$0")/../../Deploy/local/lib.sh"
CLIENT="$ROOT/clients/python"

if [ -z "${SHOUWANG_BIN_DIR:-}" ]; then
    SHOUWANG_BIN_DIR=$(cd "$ROOT" && swift build --show-bin-path)
fi
export SHOUWANG_BIN_DIR
for binary in shouwang shouwang-bus; do
    [ -x "$SHOUWANG_BIN_DIR/$binary" ] || die "$SHOUWANG_BIN_DIR/$binary is not built (run swift build, or set SHOUWANG_BIN_DIR)"
done
command -v psql >/dev/null || die "psql is not installed (Debian: apt-get install postgresql)"

# The pinned dependencies, once; then the client itself, every run (it is what is tested),
# without build isolation so that no run needs PyPI after the first.
BIN=$(python_venv venv-pyclient "pyzmq==27.3.0" "pytest==9.2.0" "setuptools==80.9.0")
# A copy, so the build's egg-info and build/ folders stay out of the checkout.
STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT
cp -r "$CLIENT/pyproject.toml" "$CLIENT/README.md" "$CLIENT/src" "$STAGE/"
"$BIN/pip" install --quiet --disable-pip-version-check --no-deps --no-build-isolation --force-reinstall "$STAGE" >/dev/null ||
    die "pip could not install the client from $CLIENT"

say "Python client: unit tests and integration tests against $SHOUWANG_BIN_DIR"
cd "$CLIENT"
# Run from the tests' folder so the installed package, not src/, is what is imported.
exec "$BIN/python" -m pytest -p no:cacheprovider -q -rs --durations=5 tests "$@"
