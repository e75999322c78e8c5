#!/usr/bin/env bash
# PostgreSQL restarted during a padrón load, on a private PostgreSQL cluster
# of its own (the shared one is never restarted): a copy of the benchmark
# database is restored into it, then bench/faults/postgres_restart.py.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$HERE/../../scripts/common.sh"
setup_all
SOURCE_DB="${BENCH_DB:-clientes_aduanas_bench}"
DB="${FAULT_DB:-${SOURCE_DB}_pgfault}"
FAULT_PORT="${FAULT_PG_PORT:-55432}"
DIR="$VAR_DIR/fault-pg"
BINDIR=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$BINDIR/initdb" ] || die "PostgreSQL server binaries (initdb) not found"
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
PG_CTL=(as_pg "$BINDIR/pg_ctl" -D "$DIR/data" -l "$DIR/pg.log" -w -o "-p $FAULT_PORT -k $DIR -c listen_addresses=127.0.0.1")
rm -rf "$DIR"; mkdir -p "$DIR"
[ "$(id -u)" = 0 ] && chown postgres "$DIR"
as_pg "$BINDIR/initdb" -D "$DIR/data" -U postgres --auth=trust >/dev/null
"${PG_CTL[@]}" start >/dev/null
stop_cluster() { "${PG_CTL[@]}" stop -m fast >/dev/null 2>&1 || true; rm -rf "$DIR"; }
trap stop_cluster EXIT
psql -h 127.0.0.1 -p "$FAULT_PORT" -U postgres -d postgres -qc "CREATE ROLE $DB_USER LOGIN CREATEDB PASSWORD '$DB_PASSWORD'"
psql -h 127.0.0.1 -p "$FAULT_PORT" -U postgres -d postgres -qc "CREATE DATABASE $DB OWNER $DB_USER"
psql -h 127.0.0.1 -p "$FAULT_PORT" -U postgres -d "$DB" -qc "CREATE EXTENSION IF NOT EXISTS pg_trgm; CREATE EXTENSION IF NOT EXISTS unaccent"
PGPASSWORD="$DB_PASSWORD" pg_dump -h "$PGHOST" -p "$PGPORT" -U "$DB_USER" -Fc "$SOURCE_DB" |
  PGPASSWORD="$DB_PASSWORD" pg_restore -h 127.0.0.1 -p "$FAULT_PORT" -U "$DB_USER" -d "$DB" --no-owner 2>/dev/null || true
CONF="$VAR_DIR/$DB.conf"
PGPORT="$FAULT_PORT" write_odoo_conf "$CONF" "$ODOO_SRC" "$DB"
export BENCH_CONF="$CONF" BENCH_DB="$DB"
FAULT_PG_RESTART="$(printf '%q ' "${PG_CTL[@]:1}") restart -m fast" FAULT_PG_AS_POSTGRES="$([ "$(id -u)" = 0 ] && echo 1 || true)" \
  "$VENV/bin/python" "$HERE/postgres_restart.py"
