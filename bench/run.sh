#!/usr/bin/env bash
# Runs one benchmark (or all with no argument) against a database that has the
# addon installed without demo data: bash bench/run.sh bench/bench_customer_create.py
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/common.sh"
setup_all
DB="${BENCH_DB:-clientes_aduanas_bench}"
CONF="$VAR_DIR/$DB.conf"
write_odoo_conf "$CONF" "$ODOO_SRC" "$DB"
LOG="$VAR_DIR/$DB-install.log"
if PGPASSWORD="$DB_PASSWORD" psql -h "$PGHOST" -p "$PGPORT" -U "$DB_USER" -d "$DB" -qAtc \
    "select 1 from ir_module_module where name = 'clientes_aduanas' and state = 'installed'" 2>/dev/null | grep -q 1; then
  odoo_bin -c "$CONF" -d "$DB" -i "$ADDONS" -u "$ADDONS" --stop-after-init --no-http >"$LOG" 2>&1 ||
    { tail -30 "$LOG"; die "updating the addon failed (log: $LOG)"; }
else
  drop_db "$DB"
  odoo_bin -c "$CONF" -d "$DB" -i "$ADDONS" --without-demo=all --stop-after-init --no-http >"$LOG" 2>&1 ||
    { tail -30 "$LOG"; die "installing the addon failed (log: $LOG)"; }
fi
export BENCH_CONF="$CONF" BENCH_DB="$DB"
cd "$ROOT"
if [ $# -eq 0 ]; then set -- bench/bench_*.py; fi
for script in "$@"; do
  info "$script"
  "$VENV/bin/python" "$script"
done
