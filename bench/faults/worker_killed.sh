#!/usr/bin/env bash
# Worker killed in the middle of an import chunk: a copy of the benchmark
# database (dropped afterwards), served with prefork workers and queue_job's
# runner through write_server_conf (the configuration `make run WORKERS=N`
# writes), then bench/faults/worker_killed.py.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$HERE/../../scripts/common.sh"
setup_all
SOURCE_DB="${BENCH_DB:-clientes_aduanas_bench}"
DB="${FAULT_DB:-${SOURCE_DB}_faults}"
PORT="${HTTP_PORT:-8069}"
WORKERS="${WORKERS:-2}"
CONF="$VAR_DIR/$DB-server.conf"
LOG="$VAR_DIR/$DB-server.log"
drop_db "$DB"
: > "$LOG"  # Odoo appends to its log file: this run's lines only
PGPASSWORD="$DB_PASSWORD" createdb -h "$PGHOST" -p "$PGPORT" -U "$DB_USER" -T "$SOURCE_DB" "$DB"
GEVENT_PORT="${GEVENT_PORT:-$((PORT + 3))}" write_server_conf "$CONF" "$DB" "$PORT" "$WORKERS" info
# The copy gets this checkout's version of the addons.
odoo_bin -c "$CONF" -d "$DB" -u "$ADDONS" --stop-after-init --no-http --logfile "$LOG" ||
  { tail -30 "$LOG"; die "updating $DB failed (log: $LOG)"; }
# exec: $! is the server's own pid (the prefork master), not a subshell's.
( exec "$VENV/bin/python" "$ODOO_SRC/odoo-bin" -c "$CONF" -d "$DB" --logfile "$LOG" ) &
SERVER=$!
cleanup() { kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; drop_db "$DB" || true; }
trap cleanup EXIT
for _ in $(seq 1 120); do
  curl -fs "http://127.0.0.1:$PORT/web/login" >/dev/null 2>&1 && break
  sleep 1
done
export BENCH_CONF="$CONF" BENCH_DB="$DB"
"$VENV/bin/python" "$HERE/worker_killed.py"
echo "  server log: $(grep -c 'Re-queued dead job' "$LOG" || true) 'Re-queued dead job' line(s); $(grep -c ' ERROR ' "$LOG" || true) ERROR line(s)"
