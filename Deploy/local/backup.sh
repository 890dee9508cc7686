#!/usr/bin/env bash
# A verified, timestamped dump of the suite's database, taken while the services run.
# Restore it with Deploy/local/restore.sh; docs/OPERATIONS.md says when and why.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

usage() {
    cat <<'USAGE'
Usage: Deploy/local/backup.sh [--output DIR]

Dumps the suite's database with `pg_dump --format=custom` (one consistent snapshot; the
services keep running) into DIR/shouwang-DATABASE-YYYYMMDDTHHMMSSZ.dump, the time in UTC,
mode 0600 (default DIR: .local/backups, mode 0700). Then verifies the file: `pg_restore
--list` must read it and name the core tables outbox, topic_heads and bus_keys, and the whole
archive must read back to the end. A dump that fails is deleted; only a verified one keeps
its final name. The last line printed on standard output is the dump's path.

The database: SHOUWANG_DATABASE_URL (or a file named by SHOUWANG_DATABASE_URL_FILE), else the
URL in .local/env, which Deploy/local/up.sh writes. A password in the URL reaches pg_dump
through the environment (PGPASSWORD), never a command line. pg_dump is the newest installed
server version's (/usr/lib/postgresql/N/bin), which must not be older than the server.

  --output DIR   where to write the dump (created if missing)
  -h, --help     this text

Example:  Deploy/local/backup.sh --output /srv/backups/shouwang
USAGE
}

OUTPUT="$LOCAL/backups"
while [ $# -gt 0 ]; do
    case $1 in
        --output) [ $# -ge 2 ] || die "--output needs a folder"; OUTPUT=$2; shift ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; die "unknown option $1" ;;
    esac
    shift
done


# --- the dump ------------------------------------------------------------------------------

URL=$(suite_database_url)
[ -n "$URL" ] || die "no database URL in .local/env: run Deploy/local/up.sh, or set SHOUWANG_DATABASE_URL"
use_database_url "$URL" shouwang-backup
BIN=$(pg_bin)
for tool in pg_dump pg_restore psql; do [ -x "$BIN/$tool" ] || die "$BIN/$tool is missing (Debian: postgresql-client)"; done

umask 077
mkdir -p "$OUTPUT"
OUTPUT=$(cd "$OUTPUT" && pwd)
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
FILE="$OUTPUT/shouwang-$DB_NAME-$STAMP.dump"
PARTIAL="$FILE.partial"
[ ! -e "$FILE" ] || die "$FILE exists already (two backups in one second?); try again"
trap 'rm -f "$PARTIAL"' EXIT

SIZE=$("$BIN/psql" -X -q -At -c "SELECT pg_size_pretty(pg_database_size(current_database()))") ||
    die "cannot reach $DB_SHOWN (is PostgreSQL running? is the password right?)"
say "backing up $DB_SHOWN ($SIZE on disk) with $("$BIN/pg_dump" --version)"
STARTED=$(date +%s)
# pg_dump --verbose names each table as it starts on its rows: that is the progress shown;
# its errors, details and hints go to standard error.
"$BIN/pg_dump" --format=custom --verbose --file="$PARTIAL" 2>&1 | while IFS= read -r line; do
    case $line in
        *"dumping contents of table "*) printf '    %s\n' "${line#*dumping contents of table }" ;;
        *": error: "*|*": detail: "*|*": hint: "*|*": warning: "*|*FATAL*) printf '%s\n' "$line" >&2 ;;
    esac
done || die "pg_dump failed; nothing was kept"
chmod 600 "$PARTIAL"

say "verifying the dump"
LISTING=$("$BIN/pg_restore" --list "$PARTIAL") || die "pg_restore cannot read the dump's table of contents"
missing=()
for table in outbox topic_heads bus_keys; do
    grep -Eq "^[0-9]+; [0-9]+ [0-9]+ TABLE DATA [^ ]+ $table " <<<"$LISTING" || missing+=("$table")
done
[ ${#missing[@]} -eq 0 ] || die "the dump holds no data of ${missing[*]}: is $DB_NAME Shouwang's database?"
# Every data block, read back to the end (as a restore would read it), to nowhere.
"$BIN/pg_restore" --file=/dev/null "$PARTIAL" || die "the dump does not read back to its end"
TABLES=$(grep -Ec "^[0-9]+; [0-9]+ [0-9]+ TABLE DATA " <<<"$LISTING")
mv "$PARTIAL" "$FILE"
trap - EXIT
say "verified: $TABLES tables, $(du -h "$FILE" | cut -f1), $(($(date +%s) - STARTED)) s; mode $(stat -c %a "$FILE")"
echo "$FILE"
