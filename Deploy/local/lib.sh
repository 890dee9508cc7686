# Shared by Deploy/local/{up,down,test}.sh: installs what is missing and runs a private
# PostgreSQL cluster under the checkout's git-ignored .local/ folder.
# shellcheck shell=bash

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
LOCAL="$ROOT/.local"
DEBIAN_PACKAGES=(libzmq3-dev zlib1g-dev libpq-dev postgresql pkg-config)
# Lists for ensure_packages, used by the scripts that source this file.
# shellcheck disable=SC2034
# The console serves Debian's QR code script (SHOUWANG_CONSOLE_QRCODE_JS, default
# /usr/share/javascript/qrcode-generator/qrcode.js) rather than a copy in the repository.
CONSOLE_PACKAGES=(node-qrcode-generator)
# shellcheck disable=SC2034
# The console's browser tests: headless Chromium and its WebDriver from Debian (nothing may
# download a browser), and CJK fonts so the pages and screenshots show Chinese, not boxes.
BROWSER_TEST_PACKAGES=(chromium chromium-driver fonts-noto-cjk)

say() { printf '\033[1m==>\033[0m %s\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# ensure_packages [PACKAGE...]: the Debian packages the project needs, and those given
# (e.g. "${CONSOLE_PACKAGES[@]}" "${BROWSER_TEST_PACKAGES[@]}"), each only when missing:
# installed as root, otherwise the one line to run.
ensure_packages() {
    command -v swift >/dev/null || die "Swift is not installed (https://www.swift.org/install/linux/); it is the one thing this script does not install."
    local missing=()
    for package in "${DEBIAN_PACKAGES[@]}" "$@"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" -eq 0 ]; then
        say "installing ${missing[*]}"
        export DEBIAN_FRONTEND=noninteractive
        apt-get install -y -q "${missing[@]}" >/dev/null 2>&1 ||
            { apt-get update -q >/dev/null && apt-get install -y -q "${missing[@]}" >/dev/null; } ||
            die "apt-get could not install ${missing[*]}"
    else
        die "missing Debian packages; run: sudo apt-get install -y ${missing[*]}"
    fi
}

pg_bin() {
    local initdb
    initdb=$(ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1)
    [ -n "$initdb" ] || die "PostgreSQL server binaries not found under /usr/lib/postgresql"
    dirname "$initdb"
}

# Runs a command as the cluster's owner: ourselves, or `postgres` when we are root
# (initdb refuses to run as root).
as_owner() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

free_port() {
    local port=$1
    while port_in_use "$port"; do port=$((port + 1)); done
    echo "$port"
}

# start_postgres DIR [extra server settings...]: initialises DIR on first use, starts it on
# a free port, and exports SHOUWANG_PG_PORT and SHOUWANG_PG_ADMIN_URL.
start_postgres() {
    local dir=$1; shift
    local bin; bin=$(pg_bin)
    mkdir -p "$dir"
    if [ "$(id -u)" -eq 0 ]; then
        chown postgres:postgres "$dir"
        runuser -u postgres -- test -w "$dir" ||
            die "the postgres user cannot reach $dir: give the checkout's folders o+x, or run as a normal user"
    fi
    # SHOUWANG_PG_PASSWORD_FILE: the cluster asks for that password (scram-sha-256) instead
    # of trusting every local user. The test clusters, thrown away after each run, trust.
    local password_file=${SHOUWANG_PG_PASSWORD_FILE:-}
    if [ ! -f "$dir/data/PG_VERSION" ]; then
        say "creating a private PostgreSQL cluster in $dir"
        local auth=(--auth=trust) copy=""
        if [ -n "$password_file" ]; then
            # initdb runs as the cluster's owner, who may not read our 0600 file: hand it a copy.
            copy=$(mktemp); cp "$password_file" "$copy"
            [ "$(id -u)" -eq 0 ] && chown postgres "$copy"
            auth=(--auth=scram-sha-256 --pwfile="$copy")
        fi
        as_owner "$bin/initdb" -D "$dir/data" -U shouwang "${auth[@]}" -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
            { rm -f "$copy"; die "initdb failed; see $dir/initdb.log"; }
        rm -f "$copy"
    fi
    local port
    if as_owner "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
        port=$(cat "$dir/port")
    else
        port=$(free_port "${SHOUWANG_PG_PORT_BASE:-55432}")
        echo "$port" >"$dir/port"
        [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$dir/port"
        local options="-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=400 $*"
        as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 -o "$options" start >/dev/null ||
            die "PostgreSQL did not start; see $dir/server.log"
    fi
    export SHOUWANG_PG_PORT=$port
    if [ -n "$password_file" ]; then
        local password; password=$(cat "$password_file")
        if grep -qE '^(local|host)[[:space:]].*[[:space:]]trust$' "$dir/data/pg_hba.conf"; then
            # A cluster made before passwords: set it, then stop trusting (reload, no restart).
            say "switching $dir to password authentication"
            # On standard input, not the command line, where `ps` would show it.
            printf "ALTER ROLE shouwang PASSWORD '%s';\n" "$password" | psql -X -q -h 127.0.0.1 -p "$port" -U shouwang -d postgres >/dev/null
            as_owner sed -i -E '/^[[:space:]]*#/! s/[[:space:]]trust$/ scram-sha-256/' "$dir/data/pg_hba.conf"
            as_owner "$bin/pg_ctl" -D "$dir/data" reload >/dev/null
        fi
        export SHOUWANG_PG_ADMIN_URL="postgres://shouwang:$password@127.0.0.1:$port/postgres"
        export PGPASSWORD=$password   # psql's, so no URL with the password reaches a command line
    else
        export SHOUWANG_PG_ADMIN_URL="postgres://shouwang@127.0.0.1:$port/postgres"
    fi
}

stop_postgres() {
    local dir=$1
    [ -f "$dir/data/PG_VERSION" ] || return 0
    as_owner "$(pg_bin)/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
}

# create_database NAME: creates it in the running private cluster if missing.
create_database() {
    local name=$1
    psql -X -h 127.0.0.1 -p "$SHOUWANG_PG_PORT" -U shouwang -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$name'" | grep -q 1 ||
        psql -X -h 127.0.0.1 -p "$SHOUWANG_PG_PORT" -U shouwang -d postgres -qc "CREATE DATABASE \"$name\"" >/dev/null
}

# The bus's CURVE keys for this machine's processes: see Deploy/keys/provision.sh.
provision_bus_keys() { "$ROOT/Deploy/keys/provision.sh" "$@"; }

# --- the database URL, handed to libpq through its environment variables -------------------

# suite_database_url [VARIABLE]: the URL in VARIABLE if set, else SHOUWANG_DATABASE_URL, else
# the file SHOUWANG_DATABASE_URL_FILE names, else what up.sh wrote to .local/env.
suite_database_url() {
    if [ -n "${1:-}" ] && [ -n "${!1:-}" ]; then
        printf '%s' "${!1}"
    elif [ -n "${SHOUWANG_DATABASE_URL:-}" ]; then
        printf '%s' "$SHOUWANG_DATABASE_URL"
    elif [ -n "${SHOUWANG_DATABASE_URL_FILE:-}" ]; then
        [ -r "$SHOUWANG_DATABASE_URL_FILE" ] || die "SHOUWANG_DATABASE_URL_FILE names $SHOUWANG_DATABASE_URL_FILE, which cannot be read"
        tr -d '\r\n' <"$SHOUWANG_DATABASE_URL_FILE"
    elif [ -f "$LOCAL/env" ]; then
        # shellcheck disable=SC1091
        (set +u; source "$LOCAL/env" >/dev/null 2>&1; printf '%s' "${SHOUWANG_DATABASE_URL:-}")
    else
        die "no database: set SHOUWANG_DATABASE_URL, or start the suite with Deploy/local/up.sh (it writes .local/env)"
    fi
}

url_decode() { local s=${1//\\/\\\\}; printf '%b' "${s//%/\\x}"; }

# use_database_url URL APPLICATION: exports PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE (and PGSSLMODE)
# for URL, read as Shouwang reads it (Shared/Store/DatabaseURL.swift); sets DB_NAME, DB_SHOWN.
use_database_url() {
    local url=$1 application=$2 rest query="" userinfo hostport host port user password="" database=""
    [[ $url =~ ^postgres(ql)?:// ]] || die "the database URL must look like postgres://user:password@host:5432/database"
    rest=${url#*://}
    if [[ $rest == *\?* ]]; then query=${rest#*\?}; rest=${rest%%\?*}; fi
    [[ $rest == *@* ]] || die "the database URL names no user"
    userinfo=${rest%@*}
    rest=${rest##*@}
    hostport=${rest%%/*}
    [[ $rest == */* ]] && database=${rest#*/}
    user=${userinfo%%:*}
    [[ $userinfo == *:* ]] && password=${userinfo#*:}
    if [[ $hostport == \[* ]]; then
        host=${hostport%%]*}; host=${host#[}
        port=${hostport#*]}; port=${port#:}
    else
        host=${hostport%%:*}
        port=""; [[ $hostport == *:* ]] && port=${hostport#*:}
    fi
    [ -n "$user" ] || die "the database URL names no user"
    export PGHOST=${host:-127.0.0.1} PGPORT=${port:-5432} PGUSER
    PGUSER=$(url_decode "$user")
    database=$(url_decode "$database")
    export PGDATABASE=${database:-$PGUSER}
    if [ -n "$password" ]; then export PGPASSWORD; PGPASSWORD=$(url_decode "$password"); else unset PGPASSWORD; fi
    unset PGSSLMODE
    local pair
    for pair in ${query//&/ }; do
        [[ $pair == sslmode=* ]] && export PGSSLMODE=${pair#sslmode=}
    done
    export PGAPPNAME=$application
    DB_NAME=$PGDATABASE
    DB_SHOWN="postgres://$PGUSER${PGPASSWORD:+:***}@$PGHOST:$PGPORT/$PGDATABASE"
}

# python_venv NAME PACKAGE...: a private virtualenv (.local/NAME) holding exactly the pinned
# PyPI PACKAGEs; made on first use, made again when the pins change, one installer at a time
# (tests may start two checks at once on a fresh machine). Prints its bin directory.
python_venv() {
    local name=$1; shift
    local venv="$LOCAL/$name" wanted="$*"
    mkdir -p "$LOCAL"
    (
        flock 9
        if [ ! -f "$venv/.installed" ] || [ "$(cat "$venv/.installed")" != "$wanted" ]; then
            command -v python3 >/dev/null || die "python3 is not installed (Debian: apt-get install python3 python3-venv)"
            say "installing $wanted into $venv (once)" >&2
            rm -rf "$venv"
            python3 -m venv "$venv" >/dev/null 2>&1 ||
                { rm -rf "$venv"; die "python3 -m venv failed: install Debian's python3-venv (apt-get install python3-venv)"; }
            "$venv/bin/pip" install --quiet --disable-pip-version-check "$@" >&2 || die "pip could not install $wanted (needs PyPI)"
            echo "$wanted" >"$venv/.installed"
        fi
    ) 9>"$LOCAL/$name.lock" || exit $?
    echo "$venv/bin"
}

# The API fuzz round's and the event-contract check's tools.
python_tools() { python_venv python-tools "schemathesis==4.32.5" "jsonschema==4.25.1"; }
# The event contract's tools (Deploy/contract): the AsyncAPI 3.0 object model and JSON Schema.
# rfc3339-validator: without it jsonschema skips every date-time format silently.
contract_tools() { python_venv contract-tools "asyncapi3==0.0.2" "pydantic==2.14.4" "pyaml==26.7.0" "jsonschema==4.25.1" "rfc3339-validator==0.1.4"; }
