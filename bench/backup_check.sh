#!/bin/sh
# Check that a backup of Gongkai restores: dump the database (pg_dump, custom format) and tar the
# uploaded files, restore both into scratch copies, compare, clean up. See docs/backups.md.
#
#   bench/backup_check.sh [DATABASE_URL] [MEDIA_ROOT] [BACKUP_DIR]
#
# DATABASE_URL defaults to $DATABASE_URL (postgres://user[:password]@host:port/name), MEDIA_ROOT
# to $GONGKAI_MEDIA_ROOT or var/media. With BACKUP_DIR the dump and the tar are kept there
# (named by date): a backup checked by restoring it; without, they go to a temporary directory.
# The scratch database gongkai_restore_check_<pid> is created next to the source (the user needs
# CREATEDB) and dropped at the end. Exit status 0 when every table has the same number of rows
# and the same rows (compared as text, ordered), and the restored files are byte-identical.
set -eu

DB_URL=${1:-${DATABASE_URL:?give DATABASE_URL or a first argument}}
MEDIA=${2:-${GONGKAI_MEDIA_ROOT:-var/media}}
KEEP=${3:-}

case "$DB_URL" in
postgres://* | postgresql://*) ;;
*)
	echo "backup_check: only PostgreSQL URLs (got ${DB_URL%%:*}://…)" >&2
	exit 2
	;;
esac

WORK=$(mktemp -d)
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT=${KEEP:-$WORK}
mkdir -p "$OUT"
DUMP="$OUT/gongkai-$STAMP.dump"
TAR="$OUT/gongkai-media-$STAMP.tar.gz"

# The same server, another database name: the URL with its path replaced.
base=${DB_URL%%\?*}
query=${DB_URL#"$base"}
server=${base%/*}
SCRATCH=gongkai_restore_check_$$
SCRATCH_URL="$server/$SCRATCH$query"
ADMIN_URL="$server/postgres$query"

cleanup() {
	psql "$ADMIN_URL" -q -v ON_ERROR_STOP=0 -c "DROP DATABASE IF EXISTS $SCRATCH WITH (FORCE)" >/dev/null 2>&1 || true
	rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

echo "dump: pg_dump --format=custom → $DUMP"
pg_dump --format=custom --no-owner --no-privileges --file="$DUMP" "$DB_URL"
if [ -d "$MEDIA" ]; then
	echo "files: tar of $MEDIA → $TAR"
	tar -C "$MEDIA" -czf "$TAR" .
fi

echo "restore: into the empty database $SCRATCH"
psql "$ADMIN_URL" -q -v ON_ERROR_STOP=1 -c "CREATE DATABASE $SCRATCH" >/dev/null
pg_restore --no-owner --no-privileges --exit-on-error --dbname="$SCRATCH_URL" "$DUMP"

# Per table: its row count and an md5 of all its rows as text, in order.
fingerprint() {
	psql "$1" -At -v ON_ERROR_STOP=1 <<'SQL'
SELECT t.table_name || ' ' ||
  (xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM public.%I', t.table_name), false, true, '')))[1]::text || ' ' ||
  coalesce((xpath('/row/h/text()', query_to_xml(format(
    'SELECT md5(string_agg(r::text, E''\n'' ORDER BY r::text)) AS h FROM public.%I r', t.table_name), false, true, '')))[1]::text, '-')
FROM information_schema.tables t
WHERE t.table_schema = 'public' AND t.table_type = 'BASE TABLE'
ORDER BY t.table_name;
SQL
}
fingerprint "$DB_URL" >"$WORK/source.txt"
fingerprint "$SCRATCH_URL" >"$WORK/restored.txt"
tables=$(wc -l <"$WORK/source.txt")
rows=$(awk '{ n += $2 } END { print n + 0 }' "$WORK/source.txt")
if ! diff -u "$WORK/source.txt" "$WORK/restored.txt"; then
	echo "backup_check: FAILED: the restored database differs (above)" >&2
	exit 1
fi
echo "database: $tables tables, $rows rows, identical after restore"

if [ -d "$MEDIA" ]; then
	mkdir "$WORK/media"
	tar -C "$WORK/media" -xzf "$TAR"
	if ! diff -r "$MEDIA" "$WORK/media" >/dev/null; then
		echo "backup_check: FAILED: the restored files differ from $MEDIA" >&2
		exit 1
	fi
	echo "files: $(find "$WORK/media" -type f | wc -l) files, identical after restore"
else
	echo "files: no $MEDIA, nothing to back up"
fi
echo "backup_check: OK"
