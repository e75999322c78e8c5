#!/usr/bin/env bash
# PostgreSQL restarted during a padrón load, on a private PostgreSQL cluster
# of its own (the shared one is never restarted): a copy of the benchmark
# database is restored into it, then bench/faults/postgres_restart.py.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$HERE/../../scripts/common.sh"
source "$HERE/private_cluster.sh"
setup_all
SOURCE_DB="${BENCH_DB:-clientes_aduanas_bench}"
DB="${FAULT_DB:-${SOURCE_DB}_pgfault}"
start_private_cluster fault-pg "${FAULT_PG_PORT:-55432}"
trap stop_private_cluster EXIT
copy_db_into_cluster "$SOURCE_DB" "$DB"
CONF="$VAR_DIR/$DB.conf"
PGPORT="$PRIVATE_PORT" write_odoo_conf "$CONF" "$ODOO_SRC" "$DB"
export BENCH_CONF="$CONF" BENCH_DB="$DB"
"$VENV/bin/python" "$HERE/postgres_restart.py"
