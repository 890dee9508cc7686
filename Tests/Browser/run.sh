#!/usr/bin/env bash
# Tests/Browser/run.sh [PYTEST ARGS...]: the console's browser tests. Installs (once, when
# missing) Debian's chromium, chromium-driver, fonts-noto-cjk and node-qrcode-generator and a
# private virtualenv with Selenium and pytest, then starts the whole suite (suite.py: its own
# PostgreSQL, bus, four services and console from SHOUWANG_BIN_DIR) and drives it with headless
# Chromium. Screenshots go to docs/screenshots/ (SHOUWANG_SCREENSHOTS to put them elsewhere).
set -euo pipefail
source "$(dirname "$0")/../../Deploy/local/lib.sh"
if [ -z "${SHOUWANG_BIN_DIR:-}" ]; then SHOUWANG_BIN_DIR=$(cd "$ROOT" && swift build --show-bin-path); fi
export SHOUWANG_BIN_DIR
for binary in shouwang shouwang-bus shouwang-intake shouwang-matching shouwang-supplies shouwang-outreach shouwang-console; do
    [ -x "$SHOUWANG_BIN_DIR/$binary" ] || die "$SHOUWANG_BIN_DIR/$binary is not built (swift build)"
done
ensure_packages "${CONSOLE_PACKAGES[@]}" "${BROWSER_TEST_PACKAGES[@]}"
BIN=$(python_venv venv-browser "selenium==4.27.1" "pytest==9.2.0")
say "console browser tests: headless $(/usr/bin/chromium --version 2>/dev/null | head -1)"
cd "$ROOT/Tests/Browser"
exec "$BIN/python" -m pytest -p no:cacheprovider -q -rs -s --durations=5 "$@"
