#!/usr/bin/env bash
# provision.sh DIR [BIN]: the event bus's CURVE keys for one deployment.
#
# Makes, once, the bus's key pair (DIR/bus.key, public half in DIR/bus.pub) and one key per
# process, as secret files of mode 0600: each service a service key publishing its own
# stream and reading only the prefixes its consumers follow; `operator` (the CLI, up.sh's
# .local/env) reading everything and publishing the `test` stream. Registers each public key
# in the database of SHOUWANG_DATABASE_URL unless an active registration exists — so it is
# safe on every start, a new database gets the same keys again, and a key that was revoked
# is replaced by a new one (its old file is kept as NAME.key.revoked-DATE).
# BIN is where the `shouwang` CLI is (default: on PATH). OWNER, if set (uid[:gid]), gets the
# files (containers whose services run as another user).
set -euo pipefail
dir=${1:?usage: provision.sh DIR [BIN]}
shouwang=${2:+$2/}shouwang

(umask 077 && mkdir -p "$dir")
[ -f "$dir/bus.key" ] || "$shouwang" keys generate --secret-file "$dir/bus.key" >/dev/null
"$shouwang" keys public --secret-file "$dir/bus.key" >"$dir/bus.pub"
listing=$("$shouwang" keys list)
# The READS column of a `keys list` line, and the same for a grant list here, sorted, so the
# two compare equal when the registered grant is what the process needs.
reads_of() { awk '{print $4}' <<<"$1" | tr ',' '\n' | sort | paste -sd, -; }
wanted_reads() { for prefix in $1; do [ "$prefix" = all ] && echo "(all)" || echo "$prefix"; done | sort | paste -sd, -; }
# name  stream  prefixes it may read (what its consumers follow)
while read -r name stream prefixes; do
    if [ -f "$dir/$name.key" ]; then
        public=$("$shouwang" keys public --secret-file "$dir/$name.key")
        registered=$(grep -F -- "$public" <<<"$listing" || true)
        active=$(grep ' active ' <<<"$registered" || true)
        if grep -q ' revoked ' <<<"$registered"; then
            mv "$dir/$name.key" "$dir/$name.key.revoked-$(date +%Y%m%d%H%M%S)"
        elif [ -n "$active" ] && [ "$(reads_of "$active")" != "$(wanted_reads "$prefixes")" ]; then
            # The process now follows other topics than its key was granted: a key's grant is
            # fixed at registration, so the old key is revoked and a new one made with the new grant.
            # (The listing needs no refresh: the new key is in no listing either way.)
            "$shouwang" keys revoke "$(awk '{print $1}' <<<"$active")" >/dev/null
            mv "$dir/$name.key" "$dir/$name.key.revoked-$(date +%Y%m%d%H%M%S)"
        fi
    fi
    [ -f "$dir/$name.key" ] || "$shouwang" keys generate --secret-file "$dir/$name.key" >/dev/null
    public=$("$shouwang" keys public --secret-file "$dir/$name.key")
    if ! grep -F -- "$public" <<<"$listing" | grep -q ' active '; then
        grants=()
        for prefix in $prefixes; do grants+=(--prefix "${prefix/#all/}"); done
        # --public-key=KEY, joined: a Z85 key may begin with "-", which would read as an option.
        "$shouwang" keys create --name "$name-$(printf %s "$public" | sha256sum | cut -c1-8)" \
            --role service --stream "$stream" "${grants[@]}" --public-key="$public" >/dev/null
    fi
done <<'KEYS'
intake   intake   matching. supplies. outreach.
matching matching intake. supplies.dispatch.delivered supplies.purchase.delivered
supplies supplies intake.request. matching.task.
outreach outreach intake.request. intake.checkins.recorded supplies.dispatch.delivered matching.shift.worked matching.task.completed
console  console  intake. matching. supplies. outreach.
operator test     all
KEYS
[ -z "${OWNER:-}" ] || chown -R "$OWNER" "$dir"
