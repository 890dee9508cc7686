#!/usr/bin/env bash
# provision.sh DIR [BIN]: the event bus's CURVE keys for one deployment.
#
# Makes, once, the bus's key pair (DIR/bus.key, public half in DIR/bus.pub) and one key per
# process (intake, matching, supplies, outreach as service keys of their own stream; operator
# for the CLI, reading everything and publishing the `test` stream), secret files of mode 0600.
# Registers each public key in the database of SHOUWANG_DATABASE_URL unless it is there
# already — so it is safe to run on every start, and a new database gets the same keys again.
# BIN is where the `shouwang` CLI is (default: on PATH). OWNER, if set (uid[:gid]), gets the
# files (containers whose services run as another user).
set -euo pipefail
dir=${1:?usage: provision.sh DIR [BIN]}
shouwang=${2:+$2/}shouwang

(umask 077 && mkdir -p "$dir")
[ -f "$dir/bus.key" ] || "$shouwang" keys generate --secret-file "$dir/bus.key" >/dev/null
"$shouwang" keys public --secret-file "$dir/bus.key" >"$dir/bus.pub"
listing=$("$shouwang" keys list)
for entry in intake:intake matching:matching supplies:supplies outreach:outreach operator:test; do
    name=${entry%%:*} stream=${entry##*:}
    [ -f "$dir/$name.key" ] || "$shouwang" keys generate --secret-file "$dir/$name.key" >/dev/null
    public=$("$shouwang" keys public --secret-file "$dir/$name.key")
    grep -qF -- "$public" <<<"$listing" ||
        "$shouwang" keys create --name "$name-$(printf %s "$public" | sha256sum | cut -c1-8)" \
            --role service --stream "$stream" --public-key "$public" >/dev/null
done
[ -z "${OWNER:-}" ] || chown -R "$OWNER" "$dir"
