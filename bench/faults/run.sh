#!/usr/bin/env bash
# Fault scenarios, each printing its observed outcome (README, "Fallos en
# producción"), against the benchmark database (as bench/run.sh prepares it):
#   bash bench/faults/run.sh                      # every scenario
#   bash bench/faults/run.sh padron_loads_at_once # one of them
# worker_killed serves a copy of the database with prefork workers and the job
# runner (HTTP_PORT, default 8069); postgres_restart restores a copy into a
# private PostgreSQL cluster it restarts (the shared one is never restarted),
# postgres_restart_import too, served with workers and the runner.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$HERE/../../scripts/common.sh"
setup_all
DB="${BENCH_DB:-clientes_aduanas_bench}"
CONF="$VAR_DIR/$DB.conf"
if [ "${SKIP_UPDATE:-}" != 1 ]; then
  BENCH_DB="$DB" bash "$HERE/../run.sh" /dev/null >/dev/null 2>&1 || true
fi
[ -f "$CONF" ] || write_odoo_conf "$CONF" "$ODOO_SRC" "$DB"
export BENCH_CONF="$CONF" BENCH_DB="$DB"
cd "$HERE"
scenarios=("$@")
[ ${#scenarios[@]} -gt 0 ] || scenarios=(padron_loads_at_once provider_hangs worker_killed postgres_restart postgres_restart_import)
for name in "${scenarios[@]}"; do
  name=${name%.py}; name=${name%.sh}
  info "fault: $name"
  if [ -f "$HERE/$name.sh" ]; then
    BENCH_DB="$DB" bash "$HERE/$name.sh"
  else
    "$VENV/bin/python" "$HERE/$name.py"
  fi
done
