#!/usr/bin/env bash
# prepare.sh [--rotate-token-secret]: the compose deployment's secrets, made once on the
# host that runs `docker compose`, before the first `docker compose up`.
#
# Writes into SHOUWANG_COMPOSE_SECRETS (default: the checkout's git-ignored .local/compose;
# give an absolute path, since docker-compose.yml reads the same variable relative to the
# checkout):
#   postgres_password  the database password (read by the postgres image as root)
#   database_url       postgres://shouwang:<that password>@postgres:5432/shouwang
#   token_secret       the key that signs and checks every bearer token of the services
#   integrator_token_secret  the bus's own, for integrators' tokens on its event stream
#   tls/               empty: put shouwang.pem (private key + certificate chain) here to
#                      replace the self-signed certificate the `certs` container makes
#
# Everything is made under umask 077: the directory is 0700, so no other user of this host
# can open any file in it. postgres_password stays 0600. database_url and token_secret are
# 0644 inside that directory, on purpose: compose bind-mounts a secret file with the host's
# owner and mode (its uid/gid/mode settings apply only to Swarm), and the services run as
# uid 10001, which a 0600 file owned by you would lock out — the 0700 directory is what
# keeps them private on the host, as Swarm's own secrets are 0444 inside a container.
#
# Safe to run again: existing files are kept (a new database password would no longer match
# the database volume, which takes its password only when it is first created).
# --rotate-token-secret replaces token_secret; see Deploy/compose/README.md for the rest.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
dir=${SHOUWANG_COMPOSE_SECRETS:-$root/.local/compose}
rotate=false
case "${1:-}" in
    "") ;;
    --rotate-token-secret) rotate=true ;;
    *) echo "usage: $0 [--rotate-token-secret]" >&2; exit 2 ;;
esac

umask 077
random() { head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
# write FILE MODE VALUE: atomically (a reader never sees half a secret), with a final newline.
write() {
    local temporary
    temporary=$(mktemp "$1.XXXXXX")
    printf '%s\n' "$3" >"$temporary"
    chmod "$2" "$temporary"
    mv -f "$temporary" "$1"
}

mkdir -p "$dir/tls"
chmod 0700 "$dir" "$dir/tls"

if [ ! -s "$dir/postgres_password" ]; then
    write "$dir/postgres_password" 0600 "$(random)"
    echo "made $dir/postgres_password"
fi
password=$(tr -d '\n' <"$dir/postgres_password")
url="postgres://shouwang:$password@postgres:5432/shouwang"
if [ ! -s "$dir/database_url" ]; then
    write "$dir/database_url" 0644 "$url"
    echo "made $dir/database_url"
elif [ "$(tr -d '\n' <"$dir/database_url")" != "$url" ]; then
    echo "warning: $dir/database_url does not use the password in postgres_password; the services will not log in unless both name the database's real password" >&2
fi
if [ ! -s "$dir/token_secret" ] || $rotate; then
    write "$dir/token_secret" 0644 "$(random)"
    if $rotate; then
        echo "replaced $dir/token_secret: recreate the services (docker compose up -d --force-recreate intake matching supplies outreach console) and issue new tokens"
    else
        echo "made $dir/token_secret"
    fi
fi
if [ ! -s "$dir/integrator_token_secret" ]; then
    write "$dir/integrator_token_secret" 0644 "$(random)"
    echo "made $dir/integrator_token_secret"
fi
# Modes of files made by an earlier version of this script, or copied in by hand.
chmod 0600 "$dir/postgres_password"
chmod 0644 "$dir/database_url" "$dir/token_secret" "$dir/integrator_token_secret"
echo "secrets are in $dir"
