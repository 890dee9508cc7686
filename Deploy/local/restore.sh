#!/usr/bin/env bash
# Restores a dump made by Deploy/local/backup.sh into a new (or empty) database and checks
# it before anyone uses it. What a restore means for the bus and its integrators:
# docs/OPERATIONS.md, "Backups and restore".
set -euo pipefail
source "$(dirname "$0")/lib.sh"

usage() {
    cat <<'USAGE'
Usage: Deploy/local/restore.sh [--database NAME] [--force] [--jobs N] [--local] DUMP

Restores DUMP (a `pg_dump --format=custom` file from Deploy/local/backup.sh) into the
database NAME on the server of SHOUWANG_DATABASE_URL (or SHOUWANG_DATABASE_URL_FILE, else
.local/env); without --database, into the URL's own database. SHOUWANG_RESTORE_DATABASE_URL,
if set, names the target server and database instead (e.g. a fresh cluster). Passwords reach
psql and pg_restore through the environment, never a command line.

Where it goes:
  - NAME does not exist: restored into NAME_restoring, checked, then renamed NAME.
  - NAME exists and is empty (no tables): restored into it (for roles without CREATEDB).
  - NAME exists and holds tables: refused, unless --force.
  --force   restore beside it into NAME_restoring, check, then rename the old database
            NAME_before_restore_YYYYMMDDTHHMMSSZ and the restored one NAME. Nothing is
            dropped. Nobody may be connected to NAME: stop the services first.
  --jobs N  pg_restore's parallel jobs (default 2)
  --local   the target is the local deployment's cluster (.local/postgres, database
            shouwang unless --database): started first if Deploy/local/down.sh stopped it.

The restore runs `pg_restore --no-owner --exit-on-error --jobs N`, copies the dump's database
settings (ALTER DATABASE … SET, e.g. idle_in_transaction_session_timeout, which pg_restore
leaves out without --create), runs ANALYZE, and then checks:
  - schema_migrations holds exactly the dump's rows;
  - every topic's head in topic_heads equals the highest seq of its outbox rows;
  - no consumer position (consumer_positions) is beyond its topic's head;
and prints the restored heads (what integrators reset their checkpoints to), the outbox
rows still without seq (the stream's relay numbers them on start) and the row counts of
the biggest tables. Exit status 0 only when every check passed.

After a restore: `shouwang migrate` (nothing to do when the dump is from this release),
re-revoke bus keys revoked after the dump was taken, start the services, and have every
integrator reset its checkpoints (docs/OPERATIONS.md).

Examples:
  Deploy/local/restore.sh --database shouwang_check .local/backups/shouwang-shouwang-20261201T020000Z.dump
  Deploy/local/down.sh && Deploy/local/restore.sh --local --force .local/backups/shouwang-shouwang-20261201T020000Z.dump
USAGE
}

TARGET_NAME="" FORCE=0 JOBS=2 USE_LOCAL=0 DUMP=""
while [ $# -gt 0 ]; do
    case $1 in
        --database) [ $# -ge 2 ] || die "--database needs a name"; TARGET_NAME=$2; shift ;;
        --force) FORCE=1 ;;
        --jobs) [ $# -ge 2 ] && [[ $2 =~ ^[1-9][0-9]?$ ]] || die "--jobs takes a count from 1 to 99"; JOBS=$2; shift ;;
        --local) USE_LOCAL=1 ;;
        -h|--help) usage; exit 0 ;;
        -*) usage >&2; die "unknown option $1" ;;
        *) [ -z "$DUMP" ] || die "one dump at a time (got $DUMP and $1)"; DUMP=$1 ;;
    esac
    shift
done
[ -n "$DUMP" ] || { usage >&2; die "which dump? (backup.sh prints its path; default folder .local/backups)"; }
[ -r "$DUMP" ] || die "$DUMP cannot be read"


BIN=$(pg_bin)
for tool in pg_restore psql; do [ -x "$BIN/$tool" ] || die "$BIN/$tool is missing (Debian: postgresql-client)"; done

if [ "$USE_LOCAL" -eq 1 ]; then
    [ -f "$LOCAL/postgres/data/PG_VERSION" ] || die "there is no local cluster in $LOCAL/postgres (Deploy/local/up.sh makes it)"
    if [ -f "$LOCAL/postgres-password" ]; then
        SHOUWANG_PG_PASSWORD_FILE="$LOCAL/postgres-password" start_postgres "$LOCAL/postgres"
    else
        start_postgres "$LOCAL/postgres"
    fi
    URL=${SHOUWANG_PG_ADMIN_URL%/postgres}/shouwang
else
    URL=$(suite_database_url SHOUWANG_RESTORE_DATABASE_URL)
    [ -n "$URL" ] || die "no database URL in .local/env: set SHOUWANG_DATABASE_URL, or use --local"
fi
use_database_url "$URL" shouwang-restore
TARGET=${TARGET_NAME:-$PGDATABASE}
[[ $TARGET =~ ^[A-Za-z_][A-Za-z0-9_-]*$ ]] || die "database name '$TARGET': letters, digits, '_' and '-' only"
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
SCRATCH="${TARGET}_restoring"
ASIDE="${TARGET}_before_restore_$STAMP"
[ ${#ASIDE} -le 63 ] || die "database name '$TARGET' is too long to set aside as $ASIDE (PostgreSQL allows 63 bytes)"
SERVER="postgres://$PGUSER${PGPASSWORD:+:***}@$PGHOST:$PGPORT"

# psql_on DATABASE [psql options…]: psql on one database of the target server, quiet, strict.
psql_on() { local database=$1; shift; PGDATABASE=$database "$BIN/psql" -X -q -v ON_ERROR_STOP=1 "$@"; }
# The maintenance database, for CREATE/ALTER DATABASE.
admin() { psql_on postgres "$@"; }

admin -At -c "SELECT 1" >/dev/null || die "cannot reach $SERVER/postgres (is PostgreSQL running? is the password right?)"
exists() { [ "$(admin -At -v name="$1" <<<"SELECT count(*) FROM pg_database WHERE datname = :'name'")" = 1 ]; }
# Tables, views and sequences outside PostgreSQL's own schemas.
relations() {
    psql_on "$1" -At <<'SQL'
SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_toast%' AND n.nspname NOT LIKE 'pg\_temp%'
SQL
}
sessions() {
    admin -At -v name="$1" <<<"SELECT count(*) || ' (' || coalesce(string_agg(DISTINCT nullif(application_name, ''), ', '), 'unnamed') || ')' FROM pg_stat_activity WHERE datname = :'name' AND pid <> pg_backend_pid()"
}
no_sessions() {
    local found; found=$(sessions "$1")
    [ "${found%% *}" = 0 ] || die "$found session(s) are connected to $1: stop the services (and any psql) first"
}

# --- where the restore goes ----------------------------------------------------------------

LISTING=$("$BIN/pg_restore" --list "$DUMP") || die "$DUMP is not a dump pg_restore can read (backup.sh makes them)"
for table in outbox topic_heads bus_keys schema_migrations; do
    grep -Eq "^[0-9]+; [0-9]+ [0-9]+ TABLE DATA [^ ]+ $table " <<<"$LISTING" || die "$DUMP holds no data of $table: not a Shouwang dump"
done
DUMPED_AT=$(sed -n 's/^; Archive created at //p' <<<"$LISTING")
SOURCE_DB=$(sed -n 's/^;[[:space:]]*dbname: //p' <<<"$LISTING")

SWAP=""   # "" restore in place; "new" rename the scratch to TARGET; "aside" set TARGET aside first
if exists "$TARGET"; then
    if [ "$(relations "$TARGET")" = 0 ]; then
        INTO=$TARGET
    elif [ "$FORCE" -eq 1 ]; then
        no_sessions "$TARGET"
        INTO=$SCRATCH SWAP=aside
    else
        die "$TARGET exists and holds tables: restore into a new database (--database NAME), or add --force to set it aside as ${TARGET}_before_restore_… and take its name"
    fi
else
    INTO=$SCRATCH SWAP=new
fi
if [ "$INTO" = "$SCRATCH" ]; then
    if exists "$SCRATCH"; then
        # Left by an earlier restore that failed: ours to replace.
        no_sessions "$SCRATCH"
        say "dropping $SCRATCH, left by an earlier restore"
        admin -v name="$SCRATCH" <<<'DROP DATABASE :"name"'
    fi
    admin -v name="$SCRATCH" <<<'CREATE DATABASE :"name"'
fi

say "restoring $DUMP (taken $DUMPED_AT from database $SOURCE_DB) into $SERVER/$INTO, $JOBS jobs"
STARTED=$(date +%s)
"$BIN/pg_restore" --no-owner --exit-on-error --jobs "$JOBS" --verbose --dbname="$INTO" "$DUMP" 2>&1 | while IFS= read -r line; do
    case $line in
        *"processing data for table "*) printf '    %s\n' "${line#*processing data for table }" ;;
        *": error: "*|*": detail: "*|*": hint: "*|*": warning: "*|*FATAL*|*"ERROR: "*) printf '%s\n' "$line" >&2 ;;
    esac
done || {
    [ "$INTO" = "$SCRATCH" ] && die "pg_restore failed; $INTO is incomplete and not in use (running this again replaces it)"
    die "pg_restore failed; $INTO is incomplete: drop it and create it empty again before trying again"
}

# Database-level settings travel in the dump but pg_restore applies them only with --create.
SETTINGS=$("$BIN/pg_restore" --create --schema-only --file=- "$DUMP" | grep -E '^ALTER DATABASE .* SET ' | grep -v ' OWNER TO ' || true)
while IFS= read -r line; do
    [ -n "$line" ] || continue
    setting=""
    for name in "$SOURCE_DB" "\"$SOURCE_DB\""; do
        prefix="ALTER DATABASE $name SET "
        [[ $line == "$prefix"* ]] && setting=${line#"$prefix"}
    done
    [ -n "$setting" ] || continue
    admin -v name="$INTO" <<<"ALTER DATABASE :\"name\" SET $setting"
    say "database setting: ${setting%;}"
done <<<"$SETTINGS"

say "analyzing (planner statistics; pg_restore leaves none)"
psql_on "$INTO" -c "ANALYZE"

# --- the checks ----------------------------------------------------------------------------

FAILED=0
fail() { printf 'CHECK FAILED: %s\n' "$*" >&2; FAILED=1; }
pass() { printf '    ok  %s\n' "$*"; }
say "checking $INTO"

# 1. The migrations: the restored rows are the dump's rows (component, version, name).
migrations_in_dump() {
    "$BIN/pg_restore" --data-only --table=schema_migrations --file=- "$DUMP" |
        awk '/^COPY [^ ]*schema_migrations \(component, version, name/ { on = 1; next } on && /^\\\.$/ { on = 0 } on' |
        cut -f1-3 | LC_ALL=C sort
}
DUMPED=$(migrations_in_dump)
RESTORED=$(psql_on "$INTO" -At <<<"COPY (SELECT component, version, name FROM schema_migrations) TO STDOUT" | LC_ALL=C sort)
if [ -z "$DUMPED" ]; then
    fail "no schema_migrations rows found in the dump"
elif [ "$DUMPED" = "$RESTORED" ]; then
    pass "schema_migrations: $(wc -l <<<"$RESTORED") rows, the dump's ($(awk -F'\t' '$2 + 0 > last[$1] + 0 { last[$1] = $2 } END { for (c in last) print c " up to " last[c] }' <<<"$RESTORED" | LC_ALL=C sort | paste -sd ';' | sed 's/;/, /g'))"
else
    fail "schema_migrations differs from the dump's:"
    diff <(echo "$DUMPED") <(echo "$RESTORED") | sed 's/^/    /' >&2 || true
fi

# 2. Topic heads: each head is the highest seq of its topic's outbox rows (the relay moves
# both in one statement), and every topic with sequenced rows has a head.
MISMATCH=$(psql_on "$INTO" -At -F ' ' <<'SQL'
SELECT coalesce(h.topic, m.topic), coalesce(h.head::text, 'none'), coalesce(m.top::text, 'none')
FROM topic_heads h
FULL JOIN (SELECT topic, max(seq) AS top FROM outbox WHERE seq IS NOT NULL GROUP BY topic) m ON m.topic = h.topic
WHERE h.head IS DISTINCT FROM m.top
ORDER BY 1
SQL
)
TOPICS=$(psql_on "$INTO" -At <<<"SELECT count(*) FROM topic_heads")
if [ -z "$MISMATCH" ]; then
    pass "topic_heads: $TOPICS topics, each head equal to its highest outbox seq"
else
    fail "topic heads that differ from the outbox's highest seq (topic head max):"
    sed 's/^/    /' <<<"$MISMATCH" >&2
fi
GAPS=$(psql_on "$INTO" -At <<<"SELECT count(*) FROM (SELECT topic FROM outbox WHERE seq IS NOT NULL GROUP BY topic HAVING count(*) <> max(seq) OR min(seq) <> 1) g")
[ "$GAPS" = 0 ] && pass "every topic's outbox rows run 1..head without a gap" ||
    printf '    warning: %s topic(s) have gaps in seq (outbox rows deleted?)\n' "$GAPS"

# 3. Durable consumers never stand beyond what exists.
AHEAD=$(psql_on "$INTO" -At -F ' ' <<'SQL'
SELECT p.consumer, p.topic, p.seq, coalesce(h.head, 0) FROM consumer_positions p
LEFT JOIN topic_heads h ON h.topic = p.topic WHERE p.seq > coalesce(h.head, 0) ORDER BY 1, 2
SQL
)
if [ -z "$AHEAD" ]; then
    pass "consumer_positions: $(psql_on "$INTO" -At <<<"SELECT count(*) FROM consumer_positions") positions, none beyond its topic's head"
else
    fail "consumer positions beyond their topic's head (consumer topic seq head):"
    sed 's/^/    /' <<<"$AHEAD" >&2
fi

UNSEQUENCED=$(psql_on "$INTO" -At <<<"SELECT coalesce(string_agg(stream || ' ' || n, ', ' ORDER BY stream), '') FROM (SELECT stream, count(*) AS n FROM outbox WHERE seq IS NULL GROUP BY stream) s")
[ -z "$UNSEQUENCED" ] && pass "no outbox row waits for a seq" ||
    printf '    note: outbox rows without seq (%s): each stream'"'"'s relay numbers them when its service starts\n' "$UNSEQUENCED"

say "row counts of the biggest tables"
for table in $(psql_on "$INTO" -At <<'SQL'
SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
ORDER BY pg_total_relation_size(c.oid) DESC, c.relname LIMIT 10
SQL
); do
    printf '    %-40s %12s rows\n' "$table" "$(psql_on "$INTO" -At <<<"SELECT count(*) FROM $table")"
done

say "restored topic heads (integrators reset their checkpoints to these):"
psql_on "$INTO" -At <<<"SELECT coalesce(json_object_agg(topic, head ORDER BY topic), '{}') FROM topic_heads"

if [ "$FAILED" -ne 0 ]; then
    [ "$INTO" = "$SCRATCH" ] && die "$INTO failed its checks; it was left for inspection under that name and is not in use"
    die "$INTO failed its checks: do not start the services on it"
fi

# --- into place ----------------------------------------------------------------------------

case $SWAP in
    new)
        admin -v from="$SCRATCH" -v to="$TARGET" <<<'ALTER DATABASE :"from" RENAME TO :"to"'
        ;;
    aside)
        no_sessions "$TARGET"
        admin -1 -v old="$TARGET" -v aside="$ASIDE" -v from="$SCRATCH" <<'SQL'
ALTER DATABASE :"old" RENAME TO :"aside";
ALTER DATABASE :"from" RENAME TO :"old";
SQL
        say "the database that was $TARGET is now $ASIDE (drop it when you no longer need it)"
        ;;
esac
say "restored into $SERVER/$TARGET in $(($(date +%s) - STARTED)) s; dump taken $DUMPED_AT"
cat <<NEXT
Next:
  1. shouwang migrate                    (with SHOUWANG_DATABASE_URL naming $TARGET: nothing to do for a dump of this release)
  2. shouwang keys list                  revoke again every key revoked after $DUMPED_AT (the dump does not know)
  3. start the services                  outbox rows without seq are numbered by their stream's relay
  4. integrators: reset checkpoints to the heads above before they resume (docs/OPERATIONS.md, "Backups and restore")
NEXT
