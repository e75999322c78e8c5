#!/usr/bin/env bash
# PostgreSQL restarted during a background import: a private PostgreSQL
# cluster of its own (the shared server is never restarted) with a copy of the
# benchmark database, served with prefork workers and queue_job's runner
# through write_server_conf (the configuration `make run WORKERS=N` writes),
# then bench/faults/postgres_restart_import.py.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$HERE/../../scripts/common.sh"
source "$HERE/private_cluster.sh"
setup_all
SOURCE_DB="${BENCH_DB:-clientes_aduanas_bench}"
DB="${FAULT_DB:-${SOURCE_DB}_pgimport}"
PORT="${HTTP_PORT:-8069}"
WORKERS="${WORKERS:-2}"
CONF="$VAR_DIR/$DB-server.conf"
LOG="$VAR_DIR/$DB-server.log"
start_private_cluster fault-pg-import "${FAULT_PG_PORT:-55433}"
SERVER=
cleanup() {
  [ -z "$SERVER" ] || { kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; }
  stop_private_cluster
}
trap cleanup EXIT
copy_db_into_cluster "$SOURCE_DB" "$DB"
: > "$LOG"  # Odoo appends to its log file: this run's lines only
PGPORT="$PRIVATE_PORT" GEVENT_PORT="${GEVENT_PORT:-$((PORT + 3))}" write_server_conf "$CONF" "$DB" "$PORT" "$WORKERS" info
# The copy gets this checkout's version of the addons, and the users'
# language before the server's workers start (they cache the active ones).
odoo_bin -c "$CONF" -d "$DB" -u "$ADDONS" --load-language=es_PE --stop-after-init --no-http --logfile "$LOG" ||
  { tail -30 "$LOG"; die "updating $DB failed (log: $LOG)"; }
# exec: $! is the server's own pid (the prefork master), not a subshell's.
( exec "$VENV/bin/python" "$ODOO_SRC/odoo-bin" -c "$CONF" -d "$DB" --logfile "$LOG" ) &
SERVER=$!
for _ in $(seq 1 120); do
  curl -fs "http://127.0.0.1:$PORT/web/login" >/dev/null 2>&1 && break
  sleep 1
done
export BENCH_CONF="$CONF" BENCH_DB="$DB" FAULT_SERVER_LOG="$LOG"
"$VENV/bin/python" "$HERE/postgres_restart_import.py"
printf '  server log: %s "database connections ready" (queue_job runner), %s "Re-queued dead job", %s ERROR line(s) (log: %s)\n' \
  "$(grep -c 'database connections ready' "$LOG" || true)" "$(grep -c 'Re-queued dead job' "$LOG" || true)" \
  "$(grep -c ' ERROR ' "$LOG" || true)" "$LOG"
