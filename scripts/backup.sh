#!/usr/bin/env bash
# Backs up statement-desk's database: every table (raw emails included) in pg_dump's custom
# format, which pg_restore reads back selectively and in parallel.
# Usage: scripts/backup.sh <file.dump>    (DATABASE_URL from the environment)
# pg_dump must be at least the server's major version. Safe while the service runs: pg_dump
# reads one consistent snapshot.
set -euo pipefail
out=${1:?usage: scripts/backup.sh <file.dump>}
: "${DATABASE_URL:?set DATABASE_URL to the database to back up}"
pg_dump --format=custom --no-owner --no-privileges --file="$out.partial" "$DATABASE_URL"
# Only a complete dump takes the name: a failed run never leaves a truncated backup behind.
mv "$out.partial" "$out"
echo "backed up to $out ($(du -h "$out" | cut -f1))"
