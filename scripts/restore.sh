#!/usr/bin/env bash
# Restores a backup made by scripts/backup.sh into an EMPTY database (create it first:
# createdb statement_desk_restored), then checks that every migration is recorded.
# Usage: scripts/restore.sh <file.dump>   (DATABASE_URL: the empty database to restore into)
# Stop the service (or point it elsewhere) while restoring; start it on the restored database
# afterwards: it applies any migration newer than the backup at start.
set -euo pipefail
in=${1:?usage: scripts/restore.sh <file.dump>}
: "${DATABASE_URL:?set DATABASE_URL to the empty database to restore into}"
tables=$(psql "$DATABASE_URL" -Atc "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
if [ "$tables" != "0" ]; then
  echo "restore: $DATABASE_URL already has $tables table(s); restore into an empty database (createdb a new one)" >&2
  exit 1
fi
pg_restore --no-owner --no-privileges --exit-on-error --dbname="$DATABASE_URL" "$in"
migrations=$(psql "$DATABASE_URL" -Atc "SELECT count(*) FROM _prisma_migrations WHERE finished_at IS NOT NULL")
echo "restored $in: $migrations migration(s) recorded"
